#include "daemon/calendar/calendar_settings.h"

#include <gtest/gtest.h>

#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::Day;

TEST(CalendarSettingsTest, ReadsEveryKey) {
  Result<ConfigFile> file = ConfigFile::FromString(
      "calendar.region = scotland\n"
      "calendar.close-of-business = 16:30\n"
      "calendar.closures = 2026-12-29..2026-12-31, 2027-04-06\n"
      "calendar.removed-holidays = 2026-11-30\n",
      "test.properties");
  ASSERT_TRUE(file.ok()) << file.error();
  Result<CalendarSettings> settings = ReadCalendarSettings(*file);
  ASSERT_TRUE(settings.ok()) << settings.error();
  EXPECT_EQ(settings->division, Division::kScotland);
  EXPECT_EQ(settings->close_of_business, std::chrono::minutes{16 * 60 + 30});
  EXPECT_EQ(settings->adjustments.closures,
            (std::set{Day("2026-12-29"), Day("2026-12-30"), Day("2026-12-31"), Day("2027-04-06")}));
  Result<BusinessHours> hours = BuildBusinessHours(*settings);
  ASSERT_TRUE(hours.ok());
  EXPECT_TRUE(hours->calendar().IsWorkingDay(Day("2026-11-30")));  // St Andrew's struck off
  EXPECT_FALSE(hours->calendar().IsWorkingDay(Day("2027-04-06")));
}

TEST(CalendarSettingsTest, DefaultsWithNoKeys) {
  Result<ConfigFile> file = ConfigFile::FromString("", "empty");
  ASSERT_TRUE(file.ok());
  Result<CalendarSettings> settings = ReadCalendarSettings(*file);
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->division, Division::kEnglandAndWales);
  EXPECT_EQ(settings->close_of_business, std::chrono::hours{17});
  EXPECT_TRUE(settings->bank_holidays_file.empty());
}

TEST(CalendarSettingsTest, ErrorsNameTheFileAndKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"calendar.region = wales", "f: calendar.region: unknown region 'wales'"},
      {"calendar.close-of-business = 5pm", "f: calendar.close-of-business: invalid close"},
      {"calendar.closures = 2026-12-31..2026-12-29", "f: calendar.closures: range"},
      {"calendar.removed-holidays = 2026-02-30", "f: calendar.removed-holidays: invalid date"},
  };
  for (const auto& [text, message] : cases) {
    Result<CalendarSettings> settings = ReadCalendarSettings(*ConfigFile::FromString(text, "f"));
    ASSERT_FALSE(settings.ok()) << text;
    EXPECT_EQ(settings.error().rfind(message, 0), 0u) << settings.error();
  }
}

TEST(CalendarSettingsTest, MissingFeedFileIsAnError) {
  CalendarSettings settings;
  settings.bank_holidays_file = "/nonexistent/feed.json";
  Result<BusinessHours> hours = BuildBusinessHours(settings);
  ASSERT_FALSE(hours.ok());
  EXPECT_NE(hours.error().find("/nonexistent/feed.json"), std::string::npos);
}

}  // namespace
}  // namespace complaints
