#include "daemon/reports/annual_report.h"

#include <algorithm>
#include <sstream>

#include "daemon/calendar/london_time.h"
#include "daemon/reports/case_scan.h"
#include "daemon/reports/monthly_report.h"
#include "parsers/service_area.h"

namespace complaints {
namespace {

using std::chrono::sys_days;

constexpr int kAcknowledgeDays = 5;  // the Code's, whatever the policy says (see tsm.h)

std::string Trim(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// The month of the financial year `at` falls in: 0 for April .. 11 for March.
int MonthIndex(Instant at) {
  const std::chrono::year_month_day day(ToLondon(at).day);
  const int month = static_cast<int>(static_cast<unsigned>(day.month()));
  return (month + 8) % 12;
}

// The Code's section a policy check's paragraph belongs to ("5.2" -> "5"); the Ombudsman's
// access rules are part of the stages (the final response names the Ombudsman).
std::string SectionOf(const std::string& paragraph) {
  if (!paragraph.empty() && paragraph[0] >= '1' && paragraph[0] <= '9') {
    return paragraph.substr(0, paragraph.find('.'));
  }
  return "6";
}

}  // namespace

const std::vector<CodeSection>& CodeSections() {
  static const std::vector<CodeSection> sections = {
      {"1", "Definition of a complaint"},
      {"2", "Exclusions"},
      {"3", "Accessibility and awareness"},
      {"4", "Complaint handling staff"},
      {"5", "The complaint handling process"},
      {"6", "Complaint stages"},
      {"7", "Putting things right"},
      {"8", "Self-assessment, reporting and compliance"},
      {"9", "Scrutiny and oversight: continuous learning and improvement"},
  };
  return sections;
}

Result<std::map<std::string, std::string>> ParseEvidence(const std::string& text) {
  using R = Result<std::map<std::string, std::string>>;
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line, section;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string t = Trim(line);
    if (!t.empty() && t[0] == '#') continue;
    if (t.size() >= 3 && t.front() == '[' && t.back() == ']') {
      section = Trim(t.substr(1, t.size() - 2));
      const bool known = std::any_of(CodeSections().begin(), CodeSections().end(),
                                     [&](const CodeSection& s) { return s.number == section; });
      if (!known) {
        return R::Error("line " + std::to_string(number) + ": '[" + section +
                        "]' is not a section of the Code: use [1] to [9]");
      }
      continue;
    }
    if (section.empty()) {
      if (t.empty()) continue;
      return R::Error("line " + std::to_string(number) +
                      ": text before the first section: start with a line such as [1]");
    }
    std::string& into = out[section];
    if (!into.empty() || !t.empty()) into += (into.empty() ? "" : "\n") + t;
  }
  for (auto& [key, value] : out) value = Trim(value);
  return out;
}

std::string FinancialMonthName(int year, int index) {
  return MonthName(index < 9 ? year : year + 1, static_cast<unsigned>((index + 3) % 12 + 1));
}

Result<AnnualReport> ComputeAnnualReport(CaseStore& store, const BusinessHours& hours,
                                         const Policy& policy, int year, long homes,
                                         const std::map<std::string, std::string>& evidence) {
  using R = Result<AnnualReport>;
  if (homes <= 0) return R::Error("the number of homes must be above 0");
  TsmCounter tsm(hours, year, homes, /*explain=*/false);  // counted in the same pass
  AnnualReport r;
  r.year = year;
  r.landlord = policy.landlord;
  r.policy_name = policy.name;
  const Instant from = FromLondon(sys_days(std::chrono::year{year} / std::chrono::April / 1),
                                  std::chrono::seconds{0});
  const Instant to = FromLondon(sys_days(std::chrono::year{year + 1} / std::chrono::April / 1),
                                std::chrono::seconds{0});
  auto in_year = [&](std::optional<Instant> t) { return t && *t >= from && *t < to; };

  std::map<std::string, ThemeLine> themes;
  CaseQuery q;
  q.include_closed = true;
  q.stages_and_learning_only = true;  // no deadlines or actions: not counted here
  const Status scanned = ForEachCase(store, q, [&](const CaseRecord& c) {
    tsm.Add(c);
    if (in_year(c.received_at)) ++r.received_by_type[std::string(CaseTypeName(c.type))];
    for (const LearningAction& l : c.learning) {
      if (in_year(l.added_at) || (l.added_at < to && (!l.done_at || *l.done_at >= to))) {
        r.learning.push_back({c.reference, c.service_area, l});
      }
    }
    if (c.type != CaseType::kComplaint) return;
    if (c.status == case_status::kRefused) {
      if (in_year(c.received_at)) {
        ++r.refusals_by_reason[c.refusal_reason.empty() ? "unstated" : c.refusal_reason];
      }
      return;
    }
    if (c.status == case_status::kWithdrawn && in_year(c.closed_at)) ++r.withdrawn;
    if (in_year(c.ombudsman_at)) {
      ++r.ombudsman_referred;
      if (!c.ombudsman_outcome.empty()) ++r.ombudsman_outcomes[c.ombudsman_outcome];
    }
    for (const StageRecord& s : c.stages) {
      if (s.number < 1 || s.number > 2) continue;
      if (in_year(s.opened_at)) {
        StagePair& month = r.received_by_month[static_cast<size_t>(MonthIndex(s.opened_at))];
        (s.number == 1 ? month.stage1 : month.stage2) += 1;
        if (s.number == 1) {
          ++r.complaints_by_channel[std::string(ChannelName(c.channel))];
          const std::string area = c.service_area.empty() ? "other" : c.service_area;
          ThemeLine& theme = themes[area];
          theme.area = area;
          ++theme.complaints;
          theme.confirmed += c.service_area_by.empty() ? 0 : 1;
          theme.upheld += s.outcome == "upheld" || s.outcome == "partly_upheld";
        }
      }
      if (in_year(s.acknowledged_at)) {
        ++r.acknowledged;
        r.acknowledged_on_time += *s.acknowledged_at <= hours.DueAt(s.opened_at, kAcknowledgeDays);
      }
      // The request is kept on the stage it asks to move on from.
      if (in_year(s.escalation_requested_at)) {
        ++r.escalation_requests;
        r.escalation_late += s.escalation_late;
      }
      if (!in_year(s.responded_at)) continue;
      OutcomeCounts& outcomes = s.number == 1 ? r.outcomes_stage1 : r.outcomes_stage2;
      if (s.outcome == "upheld") ++outcomes.upheld;
      if (s.outcome == "partly_upheld") ++outcomes.partly_upheld;
      if (s.outcome == "not_upheld") ++outcomes.not_upheld;
      r.extended += s.extension_days > 0;
      r.apologies += s.apology;
      if (!s.financial.empty()) ++r.financial_cases;
      for (const FinancialRemedy& f : s.financial) {
        r.financial_pence += f.amount_pence;
        r.financial_by_reason[f.what_for] += f.amount_pence;
      }
    }
  });
  if (!scanned) return R(scanned);
  r.tsm = std::move(tsm).Finish();
  for (const std::string& area : ServiceAreas()) {
    if (auto it = themes.find(area); it != themes.end()) r.themes.push_back(it->second);
  }
  std::sort(r.learning.begin(), r.learning.end(), [](const LearningLine& a, const LearningLine& b) {
    return std::tie(a.action.added_at, a.reference) < std::tie(b.action.added_at, b.reference);
  });
  const std::vector<CodeConflict> conflicts = CheckAgainstCode(policy);
  for (const CodeSection& section : CodeSections()) {
    SelfAssessmentRow row{section, {}, ""};
    for (const CodeConflict& c : conflicts) {
      if (SectionOf(c.paragraph) == section.number) row.conflicts.push_back(c);
    }
    if (auto it = evidence.find(section.number); it != evidence.end()) row.evidence = it->second;
    r.self_assessment.push_back(std::move(row));
  }
  return r;
}

}  // namespace complaints
