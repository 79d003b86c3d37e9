#include "daemon/calendar/working_calendar.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::Day;

struct AddCase {
  Division division;
  const char* from;
  int n;
  const char* expected;
};

TEST(WorkingCalendarTest, AddWorkingDaysTable) {
  const std::vector<AddCase> cases = {
      {Division::kEnglandAndWales, "2026-06-10", 5, "2026-06-17"},  // plain week
      {Division::kEnglandAndWales, "2026-06-13", 0, "2026-06-15"},  // Saturday -> Monday
      {Division::kEnglandAndWales, "2026-06-15", 0, "2026-06-15"},  // already working
      {Division::kScotland, "2026-06-13", 0, "2026-06-16"},         // World Cup Monday
      {Division::kEnglandAndWales, "2026-12-18", 5, "2026-12-29"},  // Christmas + substitute
      {Division::kEnglandAndWales, "2026-04-02", 1, "2026-04-07"},  // Good Friday, Easter Monday
      {Division::kScotland, "2026-04-02", 1, "2026-04-06"},         // no Easter Monday
      {Division::kScotland, "2026-12-31", 1, "2027-01-05"},         // 1 Jan, 2 Jan substitute
      {Division::kEnglandAndWales, "2026-12-31", 1, "2027-01-04"},
      {Division::kNorthernIreland, "2026-07-10", 1, "2026-07-14"},  // Boyne substitute Monday
      {Division::kEnglandAndWales, "2026-07-10", 1, "2026-07-13"},
      {Division::kEnglandAndWales, "2022-09-16", 1, "2022-09-20"},  // State funeral
      {Division::kEnglandAndWales, "2026-01-01", 20, "2026-01-30"},
      {Division::kEnglandAndWales, "2040-12-21", 10, "2041-01-09"},
  };
  for (const AddCase& c : cases) {
    const WorkingCalendar calendar(c.division);
    EXPECT_EQ(FormatDay(calendar.AddWorkingDays(Day(c.from), c.n)), c.expected)
        << DivisionName(c.division) << " " << c.from << " + " << c.n;
  }
}

TEST(WorkingCalendarTest, ClosureDaysAreNotWorkingDays) {
  CalendarAdjustments adjustments;
  adjustments.closures = {Day("2026-12-29"), Day("2026-12-30"), Day("2026-12-31")};
  const WorkingCalendar calendar(Division::kEnglandAndWales, adjustments);
  EXPECT_FALSE(calendar.IsWorkingDay(Day("2026-12-30")));
  EXPECT_FALSE(calendar.IsBankHoliday(Day("2026-12-30")));
  EXPECT_EQ(FormatDay(calendar.AddWorkingDays(Day("2026-12-24"), 1)), "2027-01-04");
}

TEST(WorkingCalendarTest, RemovedHolidayBecomesAWorkingDay) {
  CalendarAdjustments adjustments;
  adjustments.removed_holidays = {Day("2026-08-31")};
  const WorkingCalendar calendar(Division::kEnglandAndWales, adjustments);
  EXPECT_TRUE(calendar.IsWorkingDay(Day("2026-08-31")));
  EXPECT_EQ(calendar.BankHolidays(2026).size(), 7u);
  EXPECT_FALSE(WorkingCalendar().IsWorkingDay(Day("2026-08-31")));
}

TEST(WorkingCalendarTest, FeedReplacesRulesForTheYearsItCovers) {
  Result<BankHolidayFeed> feed = BankHolidayFeed::Parse(
      R"({"england-and-wales": {"events": [{"title": "Proclaimed", "date": "2029-06-01"},
          {"title": "New Year", "date": "2029-01-01"}]}})",
      "test");
  ASSERT_TRUE(feed.ok()) << feed.error();
  const WorkingCalendar calendar(Division::kEnglandAndWales, {},
                                 std::make_shared<const BankHolidayFeed>(*feed));
  EXPECT_TRUE(calendar.IsBankHoliday(Day("2029-06-01")));
  EXPECT_FALSE(calendar.IsBankHoliday(Day("2029-12-25")));  // the feed is the whole of 2029
  EXPECT_TRUE(calendar.IsBankHoliday(Day("2030-12-25")));   // rules for uncovered years
  const WorkingCalendar scotland(Division::kScotland, {},
                                 std::make_shared<const BankHolidayFeed>(*feed));
  EXPECT_FALSE(scotland.IsBankHoliday(Day("2029-06-01")));
}

TEST(WorkingCalendarTest, PreviousAndCountedWorkingDays) {
  const WorkingCalendar calendar;
  EXPECT_EQ(FormatDay(calendar.PreviousWorkingDay(Day("2026-12-29"))), "2026-12-24");
  EXPECT_EQ(FormatDay(calendar.PreviousWorkingDay(Day("2026-04-07"))), "2026-04-02");
  EXPECT_EQ(calendar.WorkingDaysAfter(Day("2026-12-18"), Day("2026-12-29")), 5);
  EXPECT_EQ(calendar.WorkingDaysAfter(Day("2026-12-29"), Day("2026-12-18")), 0);
  EXPECT_EQ(calendar.WorkingDaysAfter(Day("2026-06-10"), Day("2026-06-10")), 0);
}

TEST(WorkingCalendarTest, AddAndCountAgreeOverTwoDecades) {
  const WorkingCalendar calendar(Division::kScotland);
  for (auto day = Day("2025-01-01"); day < Day("2045-01-01"); day += std::chrono::days{97}) {
    const auto effective = calendar.EffectiveDay(day);
    for (int n : {1, 5, 10, 20, 40}) {
      const auto due = calendar.AddWorkingDays(day, n);
      ASSERT_EQ(calendar.WorkingDaysAfter(effective, due), n) << FormatDay(day) << " + " << n;
      ASSERT_TRUE(calendar.IsWorkingDay(due));
    }
  }
}

// The years worked out once at construction and the years outside them (worked out when asked)
// give the same answers as the year's own list, removed holidays included.
TEST(WorkingCalendarTest, EveryYearAgreesWithItsOwnList) {
  CalendarAdjustments adjustments;
  adjustments.removed_holidays = {Day("2026-12-28")};
  const WorkingCalendar calendar(Division::kEnglandAndWales, adjustments);
  for (int year : {1995, 1999, 2000, 2026, 2060, 2061, 2090}) {
    const std::vector<BankHoliday> list = calendar.BankHolidays(year);
    ASSERT_GE(list.size(), year == 2026 ? 7u : 8u) << year;
    int holidays = 0;
    const std::chrono::sys_days first{std::chrono::year{year} / 1 / 1};
    for (std::chrono::sys_days d = first; d < first + std::chrono::days{366};
         d += std::chrono::days{1}) {
      if (static_cast<int>(std::chrono::year_month_day{d}.year()) != year) break;
      const bool listed =
          std::any_of(list.begin(), list.end(), [&](const BankHoliday& h) { return h.day == d; });
      EXPECT_EQ(calendar.IsBankHoliday(d), listed) << year;
      holidays += calendar.IsBankHoliday(d);
    }
    EXPECT_EQ(holidays, static_cast<int>(list.size())) << year;
  }
  EXPECT_FALSE(calendar.IsBankHoliday(Day("2026-12-28")));  // the landlord works it
  EXPECT_TRUE(calendar.IsBankHoliday(Day("2061-12-26")));   // Boxing Day, from the rules
}

}  // namespace
}  // namespace complaints
