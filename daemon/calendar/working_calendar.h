// Which days are working days for one landlord, and counting them.
//
// A working day is Monday to Friday, not a bank holiday of the landlord's division and not one of
// the landlord's closure days. Bank holidays come from the GOV.UK feed for the years it covers and
// from the rules otherwise; the landlord may also strike a holiday off (its office opens that day).
// Immutable after construction, so one calendar can be shared by every thread.
#pragma once

#include <chrono>
#include <memory>
#include <set>
#include <vector>

#include "daemon/calendar/bank_holidays.h"

namespace complaints {

struct CalendarAdjustments {
  std::set<std::chrono::sys_days> closures;          // extra non-working days
  std::set<std::chrono::sys_days> removed_holidays;  // bank holidays the landlord works
};

class WorkingCalendar {
 public:
  explicit WorkingCalendar(Division division = Division::kEnglandAndWales,
                           CalendarAdjustments adjustments = {},
                           std::shared_ptr<const BankHolidayFeed> feed = nullptr);

  Division division() const { return division_; }

  // The year's bank holidays (feed or rules, less the removed ones), ascending.
  std::vector<BankHoliday> BankHolidays(int year) const;
  bool IsBankHoliday(std::chrono::sys_days day) const;
  bool IsWorkingDay(std::chrono::sys_days day) const;

  // `day` when it is a working day, else the first working day after it.
  std::chrono::sys_days EffectiveDay(std::chrono::sys_days day) const;
  // The first working day strictly after `day`.
  std::chrono::sys_days NextWorkingDay(std::chrono::sys_days day) const;
  // The n-th working day after EffectiveDay(from); n = 0 gives the effective day.
  // Precondition: n >= 0.
  std::chrono::sys_days AddWorkingDays(std::chrono::sys_days from, int n) const;
  // The last working day strictly before `day`.
  std::chrono::sys_days PreviousWorkingDay(std::chrono::sys_days day) const;
  // Working days in (from, to]: how many working days `to` lies after `from`; 0 when to <= from.
  int WorkingDaysAfter(std::chrono::sys_days from, std::chrono::sys_days to) const;

 private:
  // The bank holidays of these years are worked out once, at construction (a report over a
  // million cases asks about every day of their deadlines); other years as they are asked for.
  static constexpr int kFirstKnownYear = 2000;
  static constexpr int kLastKnownYear = 2060;

  Division division_;
  CalendarAdjustments adjustments_;
  std::shared_ptr<const BankHolidayFeed> feed_;
  std::vector<std::chrono::sys_days> known_holidays_;  // ascending
};

}  // namespace complaints
