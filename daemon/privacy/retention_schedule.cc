#include "daemon/privacy/retention_schedule.h"

namespace complaints {
namespace {

Instant YearsBefore(Instant now, int years) {
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(now);
  std::chrono::year_month_day ymd{day};
  ymd = (ymd.year() - std::chrono::years{years}) / ymd.month() / ymd.day();
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / std::chrono::last;
  return std::chrono::sys_days{ymd} + (now - day);
}

}  // namespace

RetentionCutoffs CutoffsAt(const RetentionSchedule& s, Instant now) {
  return {YearsBefore(now, s.complaint_years), YearsBefore(now, s.other_case_years),
          now - std::chrono::days{s.spam_days}, now - std::chrono::days{s.unfiled_days}};
}

std::vector<std::string> DescribeSchedule(const RetentionSchedule& s) {
  return {"complaint: " + std::to_string(s.complaint_years) + " years after the case ended",
          "other-case: " + std::to_string(s.other_case_years) + " years after the case ended",
          "spam: " + std::to_string(s.spam_days) +
              " days after arrival (suspected spam, quarantined; on no case)",
          "unfiled: " + std::to_string(s.unfiled_days) +
              " days after arrival (other mail that joined no case)"};
}

}  // namespace complaints
