// The landlord's calendar settings, from the configuration file's calendar.* keys:
//   calendar.region              england-and-wales | scotland | northern-ireland
//   calendar.close-of-business   HH:MM, Europe/London
//   calendar.closures            days the office is shut: "2026-12-29..2026-12-31, 2027-04-06"
//   calendar.removed-holidays    bank holidays the office works, same syntax
//   calendar.bank-holidays-file  a GOV.UK bank-holidays.json to take in new proclamations
#pragma once

#include <chrono>
#include <set>
#include <string>

#include "daemon/base/config_file.h"
#include "daemon/calendar/business_hours.h"
#include "daemon/calendar/working_calendar.h"
#include "parsers/result.h"

namespace complaints {

struct CalendarSettings {
  Division division = Division::kEnglandAndWales;
  CalendarAdjustments adjustments;
  std::string bank_holidays_file;  // empty: the rules alone
  std::chrono::minutes close_of_business{17 * 60};
};

Result<CalendarSettings> ReadCalendarSettings(const ConfigFile& config);

// "YYYY-MM-DD" items and "YYYY-MM-DD..YYYY-MM-DD" inclusive ranges, comma-separated.
Result<std::set<std::chrono::sys_days>> ParseDayList(const std::string& text);

// Loads the feed file, when one is named, and builds the calendar and business hours.
Result<BusinessHours> BuildBusinessHours(const CalendarSettings& settings);

}  // namespace complaints
