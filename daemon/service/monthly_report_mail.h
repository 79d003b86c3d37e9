// The monthly view (daemon/reports/monthly_report.h) by email to the configured recipients
// (reports.monthly-to), for the month just ended, on the first working day of the next month at
// the digest's time. Sent once per month and recipient (the Message-ID names both), so a restart
// does not repeat it; a daemon that was down that day sends it when it is next up in the month.
// Not thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "daemon/calendar/business_hours.h"
#include "daemon/calendar/clock.h"
#include "daemon/cases/case_store.h"
#include "daemon/outgoing/case_mailer.h"

namespace complaints {

class MonthlyReportMail {
 public:
  MonthlyReportMail(CaseStore& store, CaseMailer& mailer, const BusinessHours& hours,
                    std::vector<std::string> recipients, std::chrono::minutes send_at,
                    const Clock& clock);

  // Queues last month's view for each recipient not yet sent it; how many it queued.
  Result<int> RunOnce();

 private:
  CaseStore& store_;
  CaseMailer& mailer_;
  const BusinessHours& hours_;
  std::vector<std::string> recipients_;
  std::chrono::minutes send_at_;
  const Clock& clock_;
};

}  // namespace complaints
