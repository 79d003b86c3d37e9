// The workbench's pages as HTML, from values the server has read; no I/O here. Every value is
// escaped (html.h). Form field names are complaintsctl's option names (staff/staff_actions.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemon/calendar/business_hours.h"
#include "daemon/cases/case_record.h"
#include "daemon/cases/case_store.h"
#include "daemon/cases/policy.h"
#include "daemon/privacy/privacy_store.h"
#include "daemon/reports/monthly_report.h"
#include "daemon/reports/tsm.h"
#include "daemon/staff/staff_accounts.h"
#include "daemon/web/html.h"

namespace complaints::web {

// A case in a list, with who else has it open.
struct CaseRow {
  CaseRecord c;
  std::string resident;
  std::vector<std::string> viewers;
};

struct QueueFilter {
  std::string type, stage, status, handler, flag, q;
  int page = 1;
};

// A message on the case's timeline, in or out, as text.
struct MessageView {
  int64_t id = 0;
  bool incoming = true;
  Instant at{};
  std::string from, to, subject, text, state, kind;
  std::vector<std::string> attachments;  // file names, by position (downloadable)
  bool truncated = false;
  std::string problem;  // when the message could not be read as mail
};

struct CaseView {
  CaseRecord c;
  Contact resident;
  std::optional<Contact> representative;
  std::vector<HistoryEntry> history;
  std::vector<MessageView> messages;
  std::vector<CaseDocument> documents;  // bytes not needed
  std::vector<std::string> viewers;     // others with the page open
  std::optional<CaseHold> hold;         // a legal hold: kept past retention, no erasure
  std::string notice;                   // after an action
  std::string error;                    // an action refused
};

struct HomeView {
  std::vector<CaseRow> breached, due_today, due_next, triage, flagged;
  // Cases past the first rows of each deadline list (counted, not listed: the queue has them).
  long more_breached = 0, more_today = 0, more_next = 0;
  long quarantined = 0, held_spam = 0;
  std::vector<FailedMail> failed_mail;  // outgoing mail that failed for good
};

std::string LoginPage(const std::string& error, const std::string& form_token,
                      const std::string& username);
std::string HomePage(const Viewer& viewer, const HomeView& view, Instant now,
                     const BusinessHours& hours);
std::string QueuePage(const Viewer& viewer, const QueueFilter& filter,
                      const std::vector<CaseRow>& rows, long total, int page_size, Instant now,
                      const BusinessHours& hours);
std::string TriagePage(const Viewer& viewer, const std::vector<CaseRow>& rows, Instant now,
                       const BusinessHours& hours);
std::string CasePage(const Viewer& viewer, const CaseView& view, const Policy& policy, Instant now,
                     const BusinessHours& hours);
// The TSM complaint measures for one financial year; `homes_known` false when landlord.homes is
// not set (then the counts show, not the rates per 1,000 homes).
// With links to the annual report (HTML, PDF, CSV) and the monthly view.
std::string ReportsPage(const Viewer& viewer, const TsmReport& report, bool homes_known);
// The month's view for the board and the Member Responsible for Complaints.
std::string MonthlyPage(const Viewer& viewer, const MonthlyReport& report);
std::string NewCasePage(const Viewer& viewer, const std::string& error);
std::string SearchPage(const Viewer& viewer, const std::string& q, const std::vector<CaseRow>& rows,
                       Instant now, const BusinessHours& hours);
std::string StaffPage(const Viewer& viewer, const std::vector<StaffAccount>& accounts,
                      const std::string& notice, const std::string& error);
std::string MessagePage(const Viewer* viewer, const std::string& title, const std::string& text);

}  // namespace complaints::web
