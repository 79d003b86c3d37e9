#include "daemon/calendar/working_calendar.h"

#include <algorithm>

namespace complaints {
namespace {

using std::chrono::sys_days;

int YearOf(sys_days day) { return static_cast<int>(std::chrono::year_month_day{day}.year()); }

bool IsWeekend(sys_days day) {
  const std::chrono::weekday wd{day};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

}  // namespace

WorkingCalendar::WorkingCalendar(Division division, CalendarAdjustments adjustments,
                                 std::shared_ptr<const BankHolidayFeed> feed)
    : division_(division), adjustments_(std::move(adjustments)), feed_(std::move(feed)) {
  for (int year = kFirstKnownYear; year <= kLastKnownYear; ++year) {
    for (const BankHoliday& h : BankHolidays(year)) known_holidays_.push_back(h.day);
  }
  std::sort(known_holidays_.begin(), known_holidays_.end());
}

std::vector<BankHoliday> WorkingCalendar::BankHolidays(int year) const {
  std::vector<BankHoliday> days = feed_ && feed_->Covers(division_, year)
                                      ? feed_->Holidays(division_, year)
                                      : RuleBankHolidays(division_, year);
  std::erase_if(days, [this](const BankHoliday& h) {
    return adjustments_.removed_holidays.count(h.day) > 0;
  });
  return days;
}

bool WorkingCalendar::IsBankHoliday(sys_days day) const {
  if (const int year = YearOf(day); year >= kFirstKnownYear && year <= kLastKnownYear) {
    return std::binary_search(known_holidays_.begin(), known_holidays_.end(), day);
  }
  const std::vector<BankHoliday> days = BankHolidays(YearOf(day));
  return std::any_of(days.begin(), days.end(),
                     [day](const BankHoliday& h) { return h.day == day; });
}

bool WorkingCalendar::IsWorkingDay(sys_days day) const {
  return !IsWeekend(day) && adjustments_.closures.count(day) == 0 && !IsBankHoliday(day);
}

sys_days WorkingCalendar::EffectiveDay(sys_days day) const {
  while (!IsWorkingDay(day)) day += std::chrono::days{1};
  return day;
}

sys_days WorkingCalendar::NextWorkingDay(sys_days day) const {
  return EffectiveDay(day + std::chrono::days{1});
}

sys_days WorkingCalendar::PreviousWorkingDay(sys_days day) const {
  do {
    day -= std::chrono::days{1};
  } while (!IsWorkingDay(day));
  return day;
}

sys_days WorkingCalendar::AddWorkingDays(sys_days from, int n) const {
  sys_days day = EffectiveDay(from);
  for (int i = 0; i < n; ++i) day = NextWorkingDay(day);
  return day;
}

int WorkingCalendar::WorkingDaysAfter(sys_days from, sys_days to) const {
  int count = 0;
  for (sys_days day = from + std::chrono::days{1}; day <= to; day += std::chrono::days{1}) {
    if (IsWorkingDay(day)) ++count;
  }
  return count;
}

}  // namespace complaints
