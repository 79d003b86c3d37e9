// When a message counts as received, and when "within N working days" runs out.
//
// Our reading of the Code, which is silent on it (DOMAIN.md): a message that arrives on a
// non-working day, or at or after close of business on a working day, counts as received on the
// next working day; "within N working days" ends at close of business on the N-th working day after
// the day of receipt. All in Europe/London time. Immutable and thread-safe.
#pragma once

#include <chrono>
#include <string_view>

#include "daemon/calendar/working_calendar.h"
#include "parsers/result.h"

namespace complaints {

class BusinessHours {
 public:
  // Precondition: 0 < close_of_business <= 24h.
  BusinessHours(WorkingCalendar calendar, std::chrono::minutes close_of_business);

  const WorkingCalendar& calendar() const { return calendar_; }
  std::chrono::minutes close_of_business() const { return close_; }

  // The working day a message received at `instant` counts as received on.
  std::chrono::sys_days ReceiptDay(std::chrono::sys_seconds instant) const;
  // The instant the office closes on `day` (local close of business).
  std::chrono::sys_seconds CloseOfBusiness(std::chrono::sys_days day) const;
  // Close of business on the n-th working day after ReceiptDay(start). Precondition: n >= 0.
  std::chrono::sys_seconds DueAt(std::chrono::sys_seconds start, int working_days) const;

 private:
  WorkingCalendar calendar_;
  std::chrono::minutes close_;
};

// "HH:MM", 00:01 to 24:00.
Result<std::chrono::minutes> ParseClockTime(std::string_view text);

}  // namespace complaints
