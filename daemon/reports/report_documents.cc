#include "daemon/reports/report_documents.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "daemon/base/html_text.h"
#include "daemon/calendar/bank_holidays.h"
#include "parsers/service_area.h"

namespace complaints {
namespace {

std::string Esc(std::string_view s) { return HtmlEscape(s); }

std::string Count(long n) { return Thousands(n); }

std::string Fixed(double v, int places) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(places) << v;
  return out.str();
}

std::string Table(const std::string& caption, const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table><caption>" + Esc(caption) + "</caption><thead><tr>";
  for (size_t i = 0; i < head.size(); ++i) {
    out += std::string("<th scope=\"col\"") + (i ? " class=\"num\"" : "") + ">" + Esc(head[i]) +
           "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      out += i == 0 ? "<th scope=\"row\">" + Esc(row[i]) + "</th>"
                    : "<td class=\"num\">" + Esc(row[i]) + "</td>";
    }
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

std::string Figure(const BarChart& chart) {
  return "<figure>" + BarChartSvg(chart) + "<figcaption>" + Esc(chart.title) +
         "</figcaption></figure>";
}

long Sum(const std::map<std::string, long>& m) {
  long total = 0;
  for (const auto& [k, v] : m) total += v;
  return total;
}

std::string CsvCell(const std::string& value) {
  std::string v = value;
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    // A number such as -1 is safe; anything else starting so would run as a formula.
    const bool number =
        v.size() > 1 && v[0] == '-' && v.find_first_not_of("0123456789.", 1) == std::string::npos;
    if (!number) v = "'" + v;
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

constexpr const char* kStyle = R"css(
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;max-width:60rem;margin:0 auto;padding:1.5rem;line-height:1.45}
h1{font-size:2rem;margin:0 0 .5rem}h2{font-size:1.5rem;margin-top:2.5rem;border-top:2px solid #1d70b8;padding-top:1rem}
h3{font-size:1.15rem;margin-top:1.5rem}
.lead{font-size:1.2rem}.meta{color:#505a5f}
.glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:1rem;padding:0;list-style:none}
.glance li{border-left:5px solid #1d70b8;background:#f3f2f1;padding:.75rem 1rem}
.glance strong{display:block;font-size:1.9rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border-bottom:1px solid #b1b4b6;padding:.4rem .5rem;text-align:left;vertical-align:top}
.num{text-align:right}td.text{text-align:left;white-space:pre-wrap}
figure{margin:1rem 0}figcaption{color:#505a5f;font-size:.9rem}
.ok{color:#00703c;font-weight:bold}.warn{color:#d4351c;font-weight:bold}
@media print{h2{break-before:page}figure,table{break-inside:avoid}}
)css";

}  // namespace

std::string Thousands(long n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return (n < 0 ? "-" : "") + digits;
}

std::string Pounds(long pence) {
  std::string p = std::to_string(pence % 100);
  if (p.size() < 2) p = "0" + p;
  return "£" + Count(pence / 100) + "." + p;
}

std::string FinancialYearName(int year) {
  std::string next = std::to_string((year + 1) % 100);
  if (next.size() < 2) next = "0" + next;
  return std::to_string(year) + "-" + next;
}

std::string Percent(long part, long whole) {
  if (whole <= 0) return "none responded to";
  return Fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + "%";
}

std::string OutcomeTitle(const std::string& code) {
  if (code == "upheld") return "Upheld";
  if (code == "partly_upheld") return "Upheld in part";
  if (code == "not_upheld") return "Not upheld";
  if (code == "severe_maladministration") return "Severe maladministration";
  if (code == "maladministration") return "Maladministration";
  if (code == "service_failure") return "Service failure";
  if (code == "reasonable_redress") return "Reasonable redress";
  if (code == "no_maladministration") return "No maladministration";
  if (code == "outside_jurisdiction") return "Outside the Ombudsman's jurisdiction";
  if (code == "service_request") return "Service request";
  if (code == "asb") return "Anti-social behaviour report";
  if (IsServiceArea(code)) return ServiceAreaTitle(code);
  std::string out = code;
  for (char& c : out) c = c == '_' ? ' ' : c;
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

std::vector<BarChart> AnnualCharts(const AnnualReport& r) {
  std::vector<BarChart> charts;
  BarChart months{"received-by-month",
                  "Complaints received each month",
                  "Stage one and stage two complaints received in each month of the year.",
                  {},
                  {{"Stage one", {}, kChartBlue}, {"Stage two", {}, kChartOrange}},
                  false,
                  ""};
  for (int i = 0; i < 12; ++i) {
    months.categories.push_back(FinancialMonthName(r.year, i).substr(0, 3));
    months.series[0].values.push_back(static_cast<double>(r.received_by_month[i].stage1));
    months.series[1].values.push_back(static_cast<double>(r.received_by_month[i].stage2));
  }
  charts.push_back(months);
  BarChart on_time{
      "on-time",
      "Responded to within the Code's timescales",
      "The share of stage one and stage two responses sent within the Code's "
      "timescales (CH02).",
      {"Stage one", "Stage two"},
      {{"Within timescale", {r.tsm.ch02_1.value_or(0), r.tsm.ch02_2.value_or(0)}, kChartGreen}},
      true,
      "%"};
  charts.push_back(on_time);
  BarChart outcomes{"outcomes",
                    "Outcomes of the responses sent in the year",
                    "How many stage one and stage two responses upheld the complaint, upheld it "
                    "in part, or did not uphold it.",
                    {"Upheld", "Upheld in part", "Not upheld"},
                    {{"Stage one",
                      {static_cast<double>(r.outcomes_stage1.upheld),
                       static_cast<double>(r.outcomes_stage1.partly_upheld),
                       static_cast<double>(r.outcomes_stage1.not_upheld)},
                      kChartBlue},
                     {"Stage two",
                      {static_cast<double>(r.outcomes_stage2.upheld),
                       static_cast<double>(r.outcomes_stage2.partly_upheld),
                       static_cast<double>(r.outcomes_stage2.not_upheld)},
                      kChartOrange}},
                    true,
                    ""};
  charts.push_back(outcomes);
  BarChart themes{"themes",
                  "What complaints were about",
                  "Stage one complaints received in the year by service area.",
                  {},
                  {{"Complaints", {}, kChartBlue}},
                  true,
                  ""};
  for (const ThemeLine& t : r.themes) {
    themes.categories.push_back(ServiceAreaTitle(t.area));
    themes.series[0].values.push_back(static_cast<double>(t.complaints));
  }
  charts.push_back(themes);
  BarChart channels{"channels",
                    "How complaints reached us",
                    "Stage one complaints received in the year by the way they were made.",
                    {},
                    {{"Complaints", {}, kChartBlue}},
                    true,
                    ""};
  for (const auto& [channel, n] : r.complaints_by_channel) {
    channels.categories.push_back(OutcomeTitle(channel));
    channels.series[0].values.push_back(static_cast<double>(n));
  }
  charts.push_back(channels);
  return charts;
}

const char* const kAnnualIntro =
    "This report is what the Housing Ombudsman's Complaint Handling Code (section 8) asks of "
    "every landlord each year: how many complaints residents made, how quickly and how well we "
    "answered them, what we put right, and what we changed as a result. A complaint is any "
    "expression of dissatisfaction with our service; we answer it at stage one, and a resident "
    "who is still unhappy may ask for stage two, and then go to the Housing Ombudsman. The Code "
    "gives us 10 working days to answer at stage one and 20 at stage two, from our "
    "acknowledgement.";

const char* const kAnnualMethod =
    "A complaint counts as received at a stage on the day that stage began, and as answered in "
    "the year its response was sent. Timescales are the Code's (5 working days to acknowledge; "
    "10 at stage one and 20 at stage two to respond, plus an extension within the Code's limit "
    "that was explained to the resident), in working days excluding bank holidays. Complaints "
    "we did not accept under the Code's exclusions are counted only as refusals. A withdrawn "
    "complaint counts as received, and as answered only if the response came first.";

std::vector<std::vector<std::string>> MonthRows(const AnnualReport& r) {
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 12; ++i) {
    rows.push_back({FinancialMonthName(r.year, i), Count(r.received_by_month[i].stage1),
                    Count(r.received_by_month[i].stage2)});
  }
  rows.push_back({"Year", Count(r.tsm.stage1_received), Count(r.tsm.stage2_received)});
  return rows;
}

std::vector<std::string> OutcomeRow(const std::string& stage, const OutcomeCounts& o) {
  return {stage, Count(o.upheld), Count(o.partly_upheld), Count(o.not_upheld), Count(o.total())};
}

long ResponsesSent(const AnnualReport& r) {
  return r.tsm.stage1_responded + r.tsm.stage2_responded;
}

long ResponsesUpheld(const AnnualReport& r) {
  return r.outcomes_stage1.upheld + r.outcomes_stage1.partly_upheld + r.outcomes_stage2.upheld +
         r.outcomes_stage2.partly_upheld;
}

const char* AnnualHtmlStyle() { return kStyle; }

std::string AnnualHtml(const AnnualReport& r, const std::string& generated) {
  const std::vector<BarChart> charts = AnnualCharts(r);
  const std::string period =
      "1 April " + std::to_string(r.year) + " to 31 March " + std::to_string(r.year + 1);
  const TsmReport& t = r.tsm;
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
      "Complaints performance and service improvement report " +
      FinancialYearName(r.year) + " - " + Esc(r.landlord) + "</title><style>" + kStyle +
      "</style></head><body><main>";
  h += "<h1>Complaints performance and service improvement report " + FinancialYearName(r.year) +
       "</h1><p class=\"lead\">" + Esc(r.landlord) + ", " + period + "</p>";
  h += "<p class=\"meta\">Made on " + Esc(generated) +
       " from the complaints record. Policy: " + Esc(r.policy_name) + ". " + Count(t.homes) +
       " homes.</p>";
  h += "<p>" + Esc(kAnnualIntro) + "</p>";
  h += "<h2 id=\"glance\">At a glance</h2><ul class=\"glance\">";
  auto glance = [&](const std::string& figure, const std::string& what) {
    h += "<li><strong>" + Esc(figure) + "</strong>" + Esc(what) + "</li>";
  };
  glance(Count(t.stage1_received),
         "stage one complaints received (" + Fixed(t.ch01_1, 1) + " per 1,000 homes)");
  glance(Count(t.stage2_received),
         "stage two complaints received (" + Fixed(t.ch01_2, 1) + " per 1,000 homes)");
  glance(Percent(t.stage1_on_time, t.stage1_responded), "of stage one responses on time");
  glance(Percent(t.stage2_on_time, t.stage2_responded), "of stage two responses on time");
  glance(Percent(ResponsesUpheld(r), ResponsesSent(r)),
         "of responses upheld the complaint in full or in part");
  glance(Pounds(r.financial_pence),
         "compensation and refunds in " + Count(r.financial_cases) + " responses");
  glance(Count(r.ombudsman_referred), "complaints taken to the Housing Ombudsman");
  glance(Count(static_cast<long>(r.learning.size())), "learning actions");
  h += "</ul>";

  h += "<h2 id=\"received\">1. Complaints received</h2>";
  h += Figure(charts[0]);
  std::vector<std::vector<std::string>> rows;
  h += Table("Complaints received by month", {"Month", "Stage one", "Stage two"}, MonthRows(r));
  h += Figure(charts[4]);
  rows.clear();
  for (const auto& [channel, n] : r.complaints_by_channel) {
    rows.push_back({OutcomeTitle(channel), Count(n)});
  }
  h += Table("Stage one complaints by the way they were made", {"Channel", "Complaints"}, rows);
  rows.clear();
  for (const auto& [type, n] : r.received_by_type) rows.push_back({OutcomeTitle(type), Count(n)});
  rows.push_back({"All", Count(Sum(r.received_by_type))});
  h += "<p>Not everything residents send us is a complaint. Everything received in the year, by "
       "what it was:</p>" +
       Table("Everything received, by type", {"Type", "Received"}, rows);

  h += "<h2 id=\"timescales\">2. Answering on time</h2>";
  h += Figure(charts[1]);
  h += Table("Tenant Satisfaction Measures (Regulator of Social Housing)",
             {"Measure", "Figure", "Counted"},
             {{"CH01(1) stage one complaints per 1,000 homes", Fixed(t.ch01_1, 1),
               Count(t.stage1_received) + " received"},
              {"CH01(2) stage two complaints per 1,000 homes", Fixed(t.ch01_2, 1),
               Count(t.stage2_received) + " received"},
              {"CH02(1) stage one responses within the Code's timescales",
               Percent(t.stage1_on_time, t.stage1_responded),
               Count(t.stage1_on_time) + " of " + Count(t.stage1_responded)},
              {"CH02(2) stage two responses within the Code's timescales",
               Percent(t.stage2_on_time, t.stage2_responded),
               Count(t.stage2_on_time) + " of " + Count(t.stage2_responded)}});
  h += "<p>Acknowledged within 5 working days: " +
       Esc(Percent(r.acknowledged_on_time, r.acknowledged)) + " (" + Count(r.acknowledged_on_time) +
       " of " + Count(r.acknowledged) +
       " acknowledgements). Responses that needed an extension, agreed and explained to the "
       "resident: " +
       Count(r.extended) + ".</p>";

  h += "<h2 id=\"outcomes\">3. What we found</h2>";
  h += Figure(charts[2]);
  h += Table(
      "Outcomes of the responses sent in the year",
      {"Stage", "Upheld", "Upheld in part", "Not upheld", "All"},
      {OutcomeRow("Stage one", r.outcomes_stage1), OutcomeRow("Stage two", r.outcomes_stage2)});

  h += "<h2 id=\"remedies\">4. Putting things right</h2>";
  h += "<p>We apologised in " + Count(r.apologies) + " responses and paid or offered " +
       Esc(Pounds(r.financial_pence)) + " in " + Count(r.financial_cases) + ".</p>";
  rows.clear();
  for (const auto& [what, pence] : r.financial_by_reason) rows.push_back({what, Pounds(pence)});
  if (!rows.empty())
    h += Table("Compensation and refunds, by what they were for", {"For", "Amount"}, rows);

  h += "<h2 id=\"escalations\">5. Escalations, refusals and withdrawals</h2>";
  h += "<p>Residents asked for stage two " + Count(r.escalation_requests) + " times (" +
       Count(r.escalation_late) +
       " after the time the policy allows, each decided by a "
       "manager). " +
       Count(r.withdrawn) + " complaints were withdrawn by the resident.</p>";
  rows.clear();
  for (const auto& [reason, n] : r.refusals_by_reason) rows.push_back({reason, Count(n)});
  h += rows.empty()
           ? std::string("<p>We refused no complaints under the Code's exclusions.</p>")
           : Table("Complaints we did not accept, by reason", {"Reason", "Complaints"}, rows);

  h += "<h2 id=\"ombudsman\">6. The Housing Ombudsman</h2>";
  h += "<p>" + Count(r.ombudsman_referred) +
       " complaints were taken to the Housing Ombudsman in the year.</p>";
  rows.clear();
  for (const auto& [outcome, n] : r.ombudsman_outcomes) {
    rows.push_back({OutcomeTitle(outcome), Count(n)});
  }
  if (!rows.empty())
    h += Table("The Ombudsman's determinations", {"Determination", "Complaints"}, rows);

  h += "<h2 id=\"themes\">7. What complaints were about</h2>";
  h += Figure(charts[3]);
  rows.clear();
  for (const ThemeLine& th : r.themes) {
    rows.push_back(
        {ServiceAreaTitle(th.area), Count(th.complaints), Count(th.confirmed), Count(th.upheld)});
  }
  h += Table("Stage one complaints by service area",
             {"Service area", "Complaints", "Area confirmed by staff", "Upheld (in full or part)"},
             rows);

  h += "<h2 id=\"learning\">8. What we changed</h2>";
  if (r.learning.empty()) {
    h += "<p>No learning actions were recorded.</p>";
  } else {
    h += "<table><caption>Learning actions from complaints</caption><thead><tr>"
         "<th scope=\"col\">Complaint</th><th scope=\"col\">Service area</th>"
         "<th scope=\"col\">What will change</th><th scope=\"col\">Owner</th>"
         "<th scope=\"col\">Due</th><th scope=\"col\">Done</th></tr></thead><tbody>";
    for (const LearningLine& l : r.learning) {
      h += "<tr><th scope=\"row\">" + Esc(l.reference) + "</th><td>" +
           Esc(ServiceAreaTitle(l.service_area)) + "</td><td class=\"text\">" + Esc(l.action.what) +
           "</td><td>" + Esc(l.action.owner) + "</td><td>" +
           (l.action.due_on ? Esc(FormatDay(*l.action.due_on)) : std::string("-")) + "</td><td>" +
           (l.action.done_at ? std::string("Done") : std::string("Outstanding")) + "</td></tr>";
    }
    h += "</tbody></table>";
  }

  h += "<h2 id=\"self-assessment\">9. Self-assessment against the Complaint Handling Code</h2>";
  h += "<p>For each section of the Code: whether the complaints policy we run departs from it (a "
       "check the system makes of the policy's timescales, stages and rules), and our evidence "
       "of compliance.</p><table><caption>Self-assessment</caption><thead><tr>"
       "<th scope=\"col\">Section of the Code</th><th scope=\"col\">Policy check</th>"
       "<th scope=\"col\">Our evidence</th></tr></thead><tbody>";
  for (const SelfAssessmentRow& row : r.self_assessment) {
    std::string check;
    if (row.conflicts.empty()) {
      check = "<span class=\"ok\">No departure found</span>";
    } else {
      for (const CodeConflict& c : row.conflicts) {
        check += "<p><span class=\"warn\">Departs (" + Esc(c.paragraph) +
                 ")</span>: " + Esc(c.message) + "</p>";
      }
    }
    h +=
        "<tr><th scope=\"row\">" + Esc(row.section.number + ". " + row.section.title) +
        "</th><td>" + check + "</td><td class=\"text\">" +
        (row.evidence.empty() ? std::string("<em>No evidence recorded.</em>") : Esc(row.evidence)) +
        "</td></tr>";
  }
  h += "</tbody></table>";
  h += "<h2 id=\"method\">How the figures are counted</h2><p>" + Esc(kAnnualMethod) +
       "</p></main></body></html>\n";
  return h;
}

std::string AnnualCsv(const AnnualReport& r) {
  std::string out = "section,measure,category,value\r\n";
  auto row = [&](const std::string& section, const std::string& measure,
                 const std::string& category, const std::string& value) {
    out += CsvCell(section) + "," + CsvCell(measure) + "," + CsvCell(category) + "," +
           CsvCell(value) + "\r\n";
  };
  const TsmReport& t = r.tsm;
  const std::string year = FinancialYearName(r.year);
  row("report", "financial year", "", year);
  row("report", "landlord", "", r.landlord);
  row("report", "homes", "", std::to_string(t.homes));
  row("tsm", "CH01_1", "", Fixed(t.ch01_1, 2));
  row("tsm", "CH01_2", "", Fixed(t.ch01_2, 2));
  row("tsm", "CH02_1", "", t.ch02_1 ? Fixed(*t.ch02_1, 2) : "");
  row("tsm", "CH02_2", "", t.ch02_2 ? Fixed(*t.ch02_2, 2) : "");
  row("received", "stage one", "", std::to_string(t.stage1_received));
  row("received", "stage two", "", std::to_string(t.stage2_received));
  for (int i = 0; i < 12; ++i) {
    row("received by month", "stage one", FinancialMonthName(r.year, i),
        std::to_string(r.received_by_month[i].stage1));
    row("received by month", "stage two", FinancialMonthName(r.year, i),
        std::to_string(r.received_by_month[i].stage2));
  }
  for (const auto& [channel, n] : r.complaints_by_channel) {
    row("received by channel", "stage one", channel, std::to_string(n));
  }
  for (const auto& [type, n] : r.received_by_type) {
    row("received by type", "cases", type, std::to_string(n));
  }
  row("timescales", "stage one responded", "", std::to_string(t.stage1_responded));
  row("timescales", "stage one on time", "", std::to_string(t.stage1_on_time));
  row("timescales", "stage two responded", "", std::to_string(t.stage2_responded));
  row("timescales", "stage two on time", "", std::to_string(t.stage2_on_time));
  row("timescales", "acknowledged", "", std::to_string(r.acknowledged));
  row("timescales", "acknowledged within 5 working days", "",
      std::to_string(r.acknowledged_on_time));
  row("timescales", "responses extended", "", std::to_string(r.extended));
  auto outcomes = [&](const std::string& stage, const OutcomeCounts& o) {
    row("outcomes", stage, "upheld", std::to_string(o.upheld));
    row("outcomes", stage, "partly_upheld", std::to_string(o.partly_upheld));
    row("outcomes", stage, "not_upheld", std::to_string(o.not_upheld));
  };
  outcomes("stage one", r.outcomes_stage1);
  outcomes("stage two", r.outcomes_stage2);
  row("remedies", "apologies", "", std::to_string(r.apologies));
  row("remedies", "responses with a financial remedy", "", std::to_string(r.financial_cases));
  row("remedies", "financial remedy (pounds)", "", Fixed(r.financial_pence / 100.0, 2));
  for (const auto& [what, pence] : r.financial_by_reason) {
    row("remedies", "financial remedy (pounds)", what, Fixed(pence / 100.0, 2));
  }
  row("escalations", "stage two requests", "", std::to_string(r.escalation_requests));
  row("escalations", "late requests", "", std::to_string(r.escalation_late));
  for (const auto& [reason, n] : r.refusals_by_reason) {
    row("refusals", "complaints", reason, std::to_string(n));
  }
  row("withdrawals", "complaints", "", std::to_string(r.withdrawn));
  row("ombudsman", "referred", "", std::to_string(r.ombudsman_referred));
  for (const auto& [outcome, n] : r.ombudsman_outcomes) {
    row("ombudsman", "determination", outcome, std::to_string(n));
  }
  for (const ThemeLine& th : r.themes) {
    row("themes", "complaints", th.area, std::to_string(th.complaints));
    row("themes", "confirmed by staff", th.area, std::to_string(th.confirmed));
    row("themes", "upheld", th.area, std::to_string(th.upheld));
  }
  for (const LearningLine& l : r.learning) {
    row("learning", l.reference, l.action.what,
        l.action.owner + "; due " + (l.action.due_on ? FormatDay(*l.action.due_on) : "-") + "; " +
            (l.action.done_at ? "done" : "outstanding"));
  }
  for (const SelfAssessmentRow& s : r.self_assessment) {
    row("self-assessment", s.section.number + " " + s.section.title, "departures",
        std::to_string(s.conflicts.size()));
    row("self-assessment", s.section.number + " " + s.section.title, "evidence", s.evidence);
  }
  return out;
}

}  // namespace complaints
