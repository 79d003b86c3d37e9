#include "daemon/calendar/london_time.h"

#include <gtest/gtest.h>

#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::Day;
using testing::Instant;

TEST(LondonTimeTest, ParsesOffsetsAndFormatsInLondonTime) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2026-06-17T17:00:00+01:00", "2026-06-17T17:00:00+01:00"},
      {"2026-06-17T16:00:00Z", "2026-06-17T17:00:00+01:00"},
      {"2026-06-17 16:00Z", "2026-06-17T17:00:00+01:00"},
      {"2026-06-17T12:00:00-0400", "2026-06-17T17:00:00+01:00"},
      {"2026-12-01T09:15:30.250+00:00", "2026-12-01T09:15:30+00:00"},
      {"2026-06-10T23:30:00Z", "2026-06-11T00:30:00+01:00"},
  };
  for (const auto& [input, london] : cases) {
    Result<std::chrono::sys_seconds> t = ParseIsoInstant(input);
    ASSERT_TRUE(t.ok()) << input << ": " << t.error();
    EXPECT_EQ(FormatLondonIso(*t), london) << input;
  }
}

TEST(LondonTimeTest, RejectsAmbiguousAndMalformedTimes) {
  for (const char* bad :
       {"2026-06-17T17:00:00", "2026-06-17", "2026-06-31T10:00Z", "2026-06-17T25:00Z",
        "2026-06-17T10:60Z", "2026-06-17T10:00+1", "2026-06-17T10:00+01:00junk",
        "2026-06-17X10:00Z", "", "yesterday", "2026-06-17T10:00:00.Z", "2026-06-17T10:00+24:00"}) {
    Result<std::chrono::sys_seconds> t = ParseIsoInstant(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_NE(t.error().find("expected e.g."), std::string::npos);
    }
  }
}

TEST(LondonTimeTest, LocalDayAndOffsetAcrossTheSpringChange) {
  // Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
  const LondonTime before = ToLondon(Instant("2026-03-29T00:59:59Z"));
  EXPECT_EQ(before.utc_offset, std::chrono::seconds{0});
  const LondonTime after = ToLondon(Instant("2026-03-29T01:00:00Z"));
  EXPECT_EQ(after.utc_offset, std::chrono::hours{1});
  EXPECT_EQ(after.time_of_day, std::chrono::hours{2});
  EXPECT_EQ(after.day, Day("2026-03-29"));
}

TEST(LondonTimeTest, FromLondonInTheRepeatedAndMissingHours) {
  // 01:30 happens twice on 25 October 2026: the earlier (BST) instant is taken.
  EXPECT_EQ(FromLondon(Day("2026-10-25"), std::chrono::minutes{90}), Instant("2026-10-25T00:30Z"));
  // 01:30 never happens on 29 March 2026: the moment the clocks changed is taken.
  EXPECT_EQ(FromLondon(Day("2026-03-29"), std::chrono::minutes{90}), Instant("2026-03-29T01:00Z"));
  EXPECT_EQ(FromLondon(Day("2026-01-15"), std::chrono::hours{17}), Instant("2026-01-15T17:00Z"));
  EXPECT_EQ(FromLondon(Day("2026-07-15"), std::chrono::hours{17}), Instant("2026-07-15T16:00Z"));
}

}  // namespace
}  // namespace complaints
