// The annual complaints performance and service improvement report (Complaint Handling Code
// 2024, section 8): what the governing body scrutinises and the Housing Ombudsman receives, for
// the financial year from 1 April YYYY. The figures are computed here, once, from the store; the
// documents (HTML with SVG charts, PDF, CSV: report_documents.h, report_pdf.h) only lay them out.
//
// Counting follows daemon/reports/tsm.h (one reading, kept there): a complaint is received at a
// stage when that stage opened; a response counts in the year it was sent; refused complaints are
// counted under refusals, not as stage complaints.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/calendar/business_hours.h"
#include "daemon/cases/case_store.h"
#include "daemon/cases/policy.h"
#include "daemon/reports/tsm.h"
#include "parsers/result.h"

namespace complaints {

// The Code's nine sections, for the self-assessment: {"1", "Definition of a complaint"}, ...
struct CodeSection {
  std::string number;
  std::string title;
};
const std::vector<CodeSection>& CodeSections();

// Staff's evidence for the self-assessment, kept in a plain text file: a line "[N]" (a section
// number, 1 to 9) starts that section's evidence; the lines after it, up to the next "[N]", are
// the text. Lines starting with '#' are comments. Section -> text.
Result<std::map<std::string, std::string>> ParseEvidence(const std::string& text);

struct SelfAssessmentRow {
  CodeSection section;
  std::vector<CodeConflict> conflicts;  // where the configured policy departs from the Code
  std::string evidence;                 // staff's text; empty when none was recorded
};

// Stage one and stage two side by side.
struct StagePair {
  long stage1 = 0;
  long stage2 = 0;
};

struct OutcomeCounts {
  long upheld = 0;
  long partly_upheld = 0;
  long not_upheld = 0;
  long total() const { return upheld + partly_upheld + not_upheld; }
};

struct LearningLine {
  std::string reference;
  std::string service_area;
  LearningAction action;
};

struct ThemeLine {
  std::string area;     // parsers/service_area.h
  long complaints = 0;  // stage one complaints received in the year in this area
  long confirmed = 0;   // of which a person confirmed the area
  long upheld = 0;      // of those answered at stage one, upheld in full or in part
};

struct AnnualReport {
  int year = 0;  // the financial year starting 1 April
  std::string landlord;
  std::string policy_name;
  TsmReport tsm;  // CH01, CH02 and the counts behind them

  std::map<std::string, long> received_by_type;       // every case received in the year, by type
  std::map<std::string, long> complaints_by_channel;  // stage one complaints received
  std::array<StagePair, 12> received_by_month{};      // April .. March, stages received
  long acknowledged = 0, acknowledged_on_time = 0;    // stage acks in the year, within 5 days
  OutcomeCounts outcomes_stage1, outcomes_stage2;     // responses sent in the year
  long extended = 0;                                  // responses in the year that were extended
  long apologies = 0;
  long financial_cases = 0;                           // responses with a financial remedy
  long financial_pence = 0;                           // paid or offered in those responses
  std::map<std::string, long> financial_by_reason;    // what for -> pence
  long escalation_requests = 0, escalation_late = 0;  // stage two asked for in the year
  std::map<std::string, long> refusals_by_reason;     // refused complaints received in the year
  long withdrawn = 0;
  long ombudsman_referred = 0;                     // referrals the landlord learned of in the year
  std::map<std::string, long> ombudsman_outcomes;  // determinations recorded on those
  std::vector<ThemeLine> themes;                   // report order, areas with none left out
  std::vector<LearningLine> learning;  // added in the year, or still outstanding at its end
  std::vector<SelfAssessmentRow> self_assessment;
};

// `evidence` as ParseEvidence gives it. `hours` is the Code's calendar (see tsm.h).
Result<AnnualReport> ComputeAnnualReport(CaseStore& store, const BusinessHours& hours,
                                         const Policy& policy, int year, long homes,
                                         const std::map<std::string, std::string>& evidence);

// "April 2025" .. "March 2026" for the report's months.
std::string FinancialMonthName(int year, int index);

}  // namespace complaints
