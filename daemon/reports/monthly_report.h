// The monthly view for the board and the Member Responsible for Complaints: for one calendar
// month (Europe/London), complaints received, open at its end, deadlines breached, responses on
// time, the oldest open complaint, and all of it by theme (service area) and by handler. Printed
// by `complaintsctl report monthly` and emailed on the first working day of the next month
// (daemon/service/monthly_report_mail.h).
//
// On time here is the landlord's own policy (its deadlines, extensions included), which is what
// staff are managed to; the Code's timescales are the annual report's (tsm.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/calendar/business_hours.h"
#include "daemon/cases/case_store.h"
#include "parsers/result.h"

namespace complaints {

struct MonthlyLine {  // one theme or one handler
  std::string name;
  long received = 0;   // stage complaints received in the month
  long open = 0;       // open at the month's end
  long responded = 0;  // stage responses sent in the month
  long on_time = 0;    // of which within the policy's deadline
  long breached = 0;   // deadlines that fell due in the month and were missed
};

struct MonthlyReport {
  int year = 0;
  unsigned month = 0;     // 1-12
  long received_all = 0;  // every case received (complaints, service requests, ...)
  long stage1_received = 0, stage2_received = 0;
  long open_at_end = 0;  // complaints with a stage open at the month's end
  long responded = 0, on_time = 0;
  std::vector<std::string> breached;  // "WW-2026-00042: stage 1 respond due 2026-11-03 17:00"
  std::optional<std::string> oldest_reference;
  std::optional<Instant> oldest_received;
  int oldest_working_days = 0;          // its age at the month's end
  std::vector<MonthlyLine> by_theme;    // report order of service areas, empty ones left out
  std::vector<MonthlyLine> by_handler;  // by name; "(no handler)" for unassigned stages
};

// `now`: a month still in progress is counted up to now (a deadline still to come is not missed).
Result<MonthlyReport> ComputeMonthlyReport(CaseStore& store, const BusinessHours& hours, int year,
                                           unsigned month, Instant now);

// "November 2026"
std::string MonthName(int year, unsigned month);
// Plain text, for the terminal and the email.
std::string MonthlyText(const MonthlyReport& report);

}  // namespace complaints
