#include "daemon/calendar/bank_holidays.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::Day;

std::vector<std::string> RuleDays(Division division, int year) {
  std::vector<std::string> out;
  for (const BankHoliday& h : RuleBankHolidays(division, year)) out.push_back(FormatDay(h.day));
  return out;
}

TEST(BankHolidaysTest, EasterSundayMatchesPublishedDates) {
  const std::map<int, std::string> table = {
      {2015, "2015-04-05"}, {2019, "2019-04-21"}, {2024, "2024-03-31"}, {2025, "2025-04-20"},
      {2030, "2030-04-21"}, {2035, "2035-03-25"}, {2038, "2038-04-25"}, {2045, "2045-04-09"}};
  for (const auto& [year, expected] : table) {
    EXPECT_EQ(FormatDay(EasterSunday(year)), expected) << year;
  }
}

// The rules (not the feed) against GOV.UK's own feed for every division, 2019-2028.
TEST(BankHolidaysTest, RulesReproduceGovUkFeed2019To2028) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent: cannot compare with GOV.UK's feed";
  std::ifstream in(shared + "/data/bank-holidays.json");
  ASSERT_TRUE(in) << "missing " << shared << "/data/bank-holidays.json";
  const nlohmann::json feed = nlohmann::json::parse(in);
  int compared = 0;
  for (Division division :
       {Division::kEnglandAndWales, Division::kScotland, Division::kNorthernIreland}) {
    std::map<int, std::vector<std::string>> expected;
    for (const auto& event : feed.at(std::string(DivisionName(division))).at("events")) {
      const std::string date = event.at("date").get<std::string>();
      expected[std::stoi(date.substr(0, 4))].push_back(date);
    }
    for (int year = 2019; year <= 2028; ++year) {
      std::sort(expected[year].begin(), expected[year].end());
      EXPECT_EQ(RuleDays(division, year), expected[year]) << DivisionName(division) << " " << year;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 30);
}

struct YearCase {
  Division division;
  int year;
  std::vector<std::string> days;
};

// Substitute-day and proclamation years, written out by hand so they hold without shared/.
TEST(BankHolidaysTest, SubstituteAndOneOffYears) {
  const std::vector<YearCase> cases = {
      {Division::kEnglandAndWales,
       2021,
       {"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30",
        "2021-12-27", "2021-12-28"}},
      {Division::kScotland,
       2022,
       {"2022-01-03", "2022-01-04", "2022-04-15", "2022-05-02", "2022-06-02", "2022-06-03",
        "2022-08-01", "2022-09-19", "2022-11-30", "2022-12-26", "2022-12-27"}},
      {Division::kEnglandAndWales,
       2020,
       {"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31",
        "2020-12-25", "2020-12-28"}},
      {Division::kEnglandAndWales,
       2023,
       {"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29",
        "2023-08-28", "2023-12-25", "2023-12-26"}},
      {Division::kEnglandAndWales,
       2026,
       {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
        "2026-12-25", "2026-12-28"}},
      {Division::kScotland,
       2026,
       {"2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-06-15",
        "2026-08-03", "2026-11-30", "2026-12-25", "2026-12-28"}},
      {Division::kNorthernIreland,
       2026,
       {"2026-01-01", "2026-03-17", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
        "2026-07-13", "2026-08-31", "2026-12-25", "2026-12-28"}},
      // Beyond the feed: 2032's Christmas on Saturday, 2033's on Sunday, 2038's late Easter.
      {Division::kEnglandAndWales,
       2032,
       {"2032-01-01", "2032-03-26", "2032-03-29", "2032-05-03", "2032-05-31", "2032-08-30",
        "2032-12-27", "2032-12-28"}},
      {Division::kEnglandAndWales,
       2033,
       {"2033-01-03", "2033-04-15", "2033-04-18", "2033-05-02", "2033-05-30", "2033-08-29",
        "2033-12-26", "2033-12-27"}},
      {Division::kScotland,
       2038,
       {"2038-01-01", "2038-01-04", "2038-04-23", "2038-05-03", "2038-05-31", "2038-08-02",
        "2038-11-30", "2038-12-27", "2038-12-28"}},
  };
  for (const YearCase& c : cases) {
    EXPECT_EQ(RuleDays(c.division, c.year), c.days) << DivisionName(c.division) << " " << c.year;
  }
}

TEST(BankHolidaysTest, SundayChristmasMovesToTuesdayAndKeepsBoxingDayOnMonday) {
  const std::vector<BankHoliday> days = RuleBankHolidays(Division::kEnglandAndWales, 2022);
  std::map<std::string, std::pair<std::string, bool>> by_title;
  for (const BankHoliday& h : days) by_title[h.title] = {FormatDay(h.day), h.substitute};
  EXPECT_EQ(by_title["Christmas Day"], std::make_pair(std::string("2022-12-27"), true));
  EXPECT_EQ(by_title["Boxing Day"], std::make_pair(std::string("2022-12-26"), false));
}

TEST(BankHolidaysTest, EveryYearHasTheRightCountAndNoWeekendDays) {
  for (int year = 2015; year <= 2045; ++year) {
    for (Division division :
         {Division::kEnglandAndWales, Division::kScotland, Division::kNorthernIreland}) {
      const std::vector<BankHoliday> days = RuleBankHolidays(division, year);
      std::set<std::chrono::sys_days> distinct;
      for (const BankHoliday& h : days) {
        const std::chrono::weekday wd{h.day};
        EXPECT_NE(wd, std::chrono::Saturday) << FormatDay(h.day);
        EXPECT_NE(wd, std::chrono::Sunday) << FormatDay(h.day);
        distinct.insert(h.day);
      }
      EXPECT_EQ(distinct.size(), days.size()) << year;
      const size_t base = division == Division::kEnglandAndWales ? 8
                          : division == Division::kScotland      ? 9
                                                                 : 10;
      EXPECT_GE(days.size(), base) << DivisionName(division) << " " << year;
      EXPECT_LE(days.size(), base + 2) << DivisionName(division) << " " << year;
    }
  }
}

TEST(BankHolidaysTest, ParseDivisionNamesTheChoicesOnError) {
  EXPECT_EQ(*ParseDivision("scotland"), Division::kScotland);
  Result<Division> bad = ParseDivision("wales");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("england-and-wales"), std::string::npos);
}

TEST(BankHolidaysTest, ParseDayIsStrict) {
  EXPECT_EQ(FormatDay(*ParseDay("2024-02-29")), "2024-02-29");
  for (const char* bad : {"2023-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01",
                          "2026/01/01", "", "2026-01-01x", "abcd-ef-gh"}) {
    EXPECT_FALSE(ParseDay(bad).ok()) << bad;
  }
}

constexpr const char* kFeed = R"({
  "england-and-wales": {"division": "england-and-wales", "events": [
    {"title": "New Year's Day", "date": "2029-01-01", "notes": "", "bunting": true},
    {"title": "Proclaimed day", "date": "2029-06-01", "notes": "", "bunting": true},
    {"title": "Christmas Day", "date": "2029-12-25", "notes": "", "bunting": true},
    {"title": "Boxing Day", "date": "2029-12-26", "notes": "Substitute day", "bunting": true}]}
})";

TEST(BankHolidayFeedTest, ParsesEventsByDivisionAndYear) {
  Result<BankHolidayFeed> feed = BankHolidayFeed::Parse(kFeed, "test.json");
  ASSERT_TRUE(feed.ok()) << feed.error();
  EXPECT_TRUE(feed->Covers(Division::kEnglandAndWales, 2029));
  EXPECT_FALSE(feed->Covers(Division::kEnglandAndWales, 2030));
  EXPECT_FALSE(feed->Covers(Division::kScotland, 2029));
  const std::vector<BankHoliday> days = feed->Holidays(Division::kEnglandAndWales, 2029);
  ASSERT_EQ(days.size(), 4u);
  EXPECT_EQ(days[1].title, "Proclaimed day");
  EXPECT_EQ(days[1].day, Day("2029-06-01"));
  EXPECT_TRUE(days[3].substitute);
}

TEST(BankHolidayFeedTest, BadInputNamesTheFileAndTheEvent) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "x.json: not valid JSON"},
      {"[1,2]", "x.json: expected a JSON object"},
      {R"({"scotland": {"events": 3}})", "x.json: scotland: expected an object"},
      {R"({"scotland": {"events": [{"date": "2026-02-30"}]}})",
       "x.json: scotland.events[0]: invalid date '2026-02-30'"},
      {R"({"scotland": {"events": [{"title": "x"}]}})", "x.json: scotland.events[0]: expected"},
  };
  for (const auto& [json, message] : cases) {
    Result<BankHolidayFeed> feed = BankHolidayFeed::Parse(json, "x.json");
    ASSERT_FALSE(feed.ok()) << json;
    EXPECT_EQ(feed.error().rfind(message, 0), 0u) << feed.error();
  }
  EXPECT_FALSE(BankHolidayFeed::Load("/nonexistent/bank-holidays.json").ok());
}

TEST(BankHolidayFeedTest, LoadsGovUkFeed) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent: no GOV.UK feed to load";
  Result<BankHolidayFeed> feed = BankHolidayFeed::Load(shared + "/data/bank-holidays.json");
  ASSERT_TRUE(feed.ok()) << feed.error();
  EXPECT_TRUE(feed->Covers(Division::kNorthernIreland, 2028));
  EXPECT_EQ(feed->Holidays(Division::kScotland, 2026).size(), 10u);
}

}  // namespace
}  // namespace complaints
