#include "daemon/calendar/calendar_settings.h"

#include <memory>

namespace complaints {

Result<std::set<std::chrono::sys_days>> ParseDayList(const std::string& text) {
  using Days = std::set<std::chrono::sys_days>;
  Days days;
  for (const std::string& item : SplitList(text)) {
    const size_t dots = item.find("..");
    Result<std::chrono::sys_days> first = ParseDay(item.substr(0, dots));
    if (!first) return Result<Days>::Error(first.error());
    std::chrono::sys_days last = *first;
    if (dots != std::string::npos) {
      Result<std::chrono::sys_days> end = ParseDay(item.substr(dots + 2));
      if (!end) return Result<Days>::Error(end.error());
      if (*end < *first) return Result<Days>::Error("range '" + item + "' ends before it starts");
      if (*end - *first > std::chrono::days{366}) {
        return Result<Days>::Error("range '" + item + "' is longer than a year");
      }
      last = *end;
    }
    for (auto day = *first; day <= last; day += std::chrono::days{1}) days.insert(day);
  }
  return days;
}

Result<CalendarSettings> ReadCalendarSettings(const ConfigFile& config) {
  const auto fail = [&](const std::string& key, const std::string& why) {
    return Result<CalendarSettings>::Error(config.source() + ": " + key + ": " + why);
  };
  CalendarSettings settings;
  if (auto region = config.Get("calendar.region")) {
    Result<Division> division = ParseDivision(*region);
    if (!division) return fail("calendar.region", division.error());
    settings.division = *division;
  }
  if (auto close = config.Get("calendar.close-of-business")) {
    Result<std::chrono::minutes> minutes = ParseClockTime(*close);
    if (!minutes) return fail("calendar.close-of-business", minutes.error());
    settings.close_of_business = *minutes;
  }
  if (auto closures = config.Get("calendar.closures")) {
    auto days = ParseDayList(*closures);
    if (!days) return fail("calendar.closures", days.error());
    settings.adjustments.closures = *days;
  }
  if (auto removed = config.Get("calendar.removed-holidays")) {
    auto days = ParseDayList(*removed);
    if (!days) return fail("calendar.removed-holidays", days.error());
    settings.adjustments.removed_holidays = *days;
  }
  settings.bank_holidays_file = config.GetOr("calendar.bank-holidays-file", "");
  return settings;
}

Result<BusinessHours> BuildBusinessHours(const CalendarSettings& settings) {
  std::shared_ptr<const BankHolidayFeed> feed;
  if (!settings.bank_holidays_file.empty()) {
    Result<BankHolidayFeed> loaded = BankHolidayFeed::Load(settings.bank_holidays_file);
    if (!loaded) return Result<BusinessHours>::Error(loaded.error());
    feed = std::make_shared<const BankHolidayFeed>(std::move(loaded).value());
  }
  return BusinessHours(WorkingCalendar(settings.division, settings.adjustments, feed),
                       settings.close_of_business);
}

}  // namespace complaints
