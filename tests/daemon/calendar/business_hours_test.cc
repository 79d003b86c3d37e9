#include "daemon/calendar/business_hours.h"

#include <gtest/gtest.h>

#include "daemon/calendar/london_time.h"
#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::Instant;

struct DueCase {
  Division division;
  const char* received;
  int n;
  const char* due;
  const char* why;
};

TEST(BusinessHoursTest, DueAtTable) {
  const std::vector<DueCase> cases = {
      {Division::kEnglandAndWales, "2026-06-10T09:30:00+01:00", 5, "2026-06-17T17:00:00+01:00",
       "the issue's example"},
      {Division::kEnglandAndWales, "2026-06-10T16:59:59+01:00", 5, "2026-06-17T17:00:00+01:00",
       "one second before close counts today"},
      {Division::kEnglandAndWales, "2026-06-10T17:00:00+01:00", 5, "2026-06-18T17:00:00+01:00",
       "at close of business counts tomorrow"},
      {Division::kEnglandAndWales, "2026-06-10T16:30:00Z", 5, "2026-06-18T17:00:00+01:00",
       "16:30 UTC is 17:30 in London in June"},
      {Division::kEnglandAndWales, "2026-06-10T23:30:00Z", 5, "2026-06-18T17:00:00+01:00",
       "23:30 UTC is already Thursday in London"},
      {Division::kEnglandAndWales, "2026-06-13T11:00:00+01:00", 0, "2026-06-15T17:00:00+01:00",
       "Saturday counts as Monday"},
      {Division::kEnglandAndWales, "2026-03-27T10:00:00Z", 1, "2026-03-30T17:00:00+01:00",
       "spring clock change over the weekend"},
      {Division::kEnglandAndWales, "2026-10-23T12:00:00+01:00", 1, "2026-10-26T17:00:00+00:00",
       "autumn clock change over the weekend"},
      {Division::kEnglandAndWales, "2026-10-24T12:00:00+01:00", 0, "2026-10-26T17:00:00+00:00",
       "received on the Saturday before the change"},
      {Division::kScotland, "2026-06-12T10:00:00+01:00", 1, "2026-06-16T17:00:00+01:00",
       "Scotland's World Cup Monday"},
      {Division::kEnglandAndWales, "2026-06-12T10:00:00+01:00", 1, "2026-06-15T17:00:00+01:00",
       "no World Cup holiday in England"},
      {Division::kEnglandAndWales, "2026-12-24T17:30:00Z", 5, "2027-01-06T17:00:00+00:00",
       "Christmas Eve after close, over Christmas, substitute and New Year"},
      {Division::kEnglandAndWales, "2026-12-25T10:00:00Z", 10, "2027-01-13T17:00:00+00:00",
       "received on Christmas Day"},
  };
  for (const DueCase& c : cases) {
    const BusinessHours hours(WorkingCalendar(c.division), std::chrono::hours{17});
    EXPECT_EQ(FormatLondonIso(hours.DueAt(Instant(c.received), c.n)), c.due) << c.why;
  }
}

TEST(BusinessHoursTest, ConfiguredCloseOfBusinessMovesTheEdge) {
  const BusinessHours hours(WorkingCalendar(), std::chrono::minutes{16 * 60 + 30});
  EXPECT_EQ(FormatLondonIso(hours.DueAt(Instant("2026-06-10T16:29:00+01:00"), 1)),
            "2026-06-11T16:30:00+01:00");
  EXPECT_EQ(FormatLondonIso(hours.DueAt(Instant("2026-06-10T16:30:00+01:00"), 1)),
            "2026-06-12T16:30:00+01:00");
}

TEST(BusinessHoursTest, ParseClockTime) {
  EXPECT_EQ(*ParseClockTime("17:00"), std::chrono::minutes{17 * 60});
  EXPECT_EQ(*ParseClockTime("24:00"), std::chrono::minutes{24 * 60});
  for (const char* bad : {"5pm", "17:60", "24:01", "00:00", "1700", "7:00", "", "17:0a"}) {
    EXPECT_FALSE(ParseClockTime(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace complaints
