#include "daemon/calendar/business_hours.h"

#include <string>

#include "daemon/calendar/london_time.h"

namespace complaints {

BusinessHours::BusinessHours(WorkingCalendar calendar, std::chrono::minutes close_of_business)
    : calendar_(std::move(calendar)), close_(close_of_business) {}

std::chrono::sys_days BusinessHours::ReceiptDay(std::chrono::sys_seconds instant) const {
  const LondonTime local = ToLondon(instant);
  if (calendar_.IsWorkingDay(local.day) && local.time_of_day < close_) return local.day;
  return calendar_.NextWorkingDay(local.day);
}

std::chrono::sys_seconds BusinessHours::CloseOfBusiness(std::chrono::sys_days day) const {
  return FromLondon(day, close_);
}

std::chrono::sys_seconds BusinessHours::DueAt(std::chrono::sys_seconds start,
                                              int working_days) const {
  return CloseOfBusiness(calendar_.AddWorkingDays(ReceiptDay(start), working_days));
}

Result<std::chrono::minutes> ParseClockTime(std::string_view text) {
  const auto bad = [&] {
    return Result<std::chrono::minutes>::Error("invalid close of business '" + std::string(text) +
                                               "': expected HH:MM between 00:01 and 24:00");
  };
  if (text.size() != 5 || text[2] != ':') return bad();
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return bad();
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  const int total = hours * 60 + minutes;
  if (minutes > 59 || total == 0 || total > 24 * 60) return bad();
  return std::chrono::minutes{total};
}

}  // namespace complaints
