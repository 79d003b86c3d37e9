// complaintsctl report: what the landlord publishes. `report tsm` computes the Regulator's
// CH01 and CH02 for a financial year (daemon/reports/tsm.h holds our reading of the measures),
// `report annual` the Code's annual complaints report (HTML, PDF or CSV), and `report monthly` the
// board's monthly view.
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "daemon/base/command_line.h"
#include "daemon/calendar/london_time.h"
#include "daemon/ctl/commands.h"
#include "daemon/ctl/session.h"
#include "daemon/reports/annual_report.h"
#include "daemon/reports/monthly_report.h"
#include "daemon/reports/report_documents.h"
#include "daemon/reports/report_pdf.h"
#include "daemon/reports/tsm.h"
#include "daemon/service/daemon_config.h"

namespace complaints {
namespace {

constexpr const char* kUsage =
    "usage: complaintsctl [--config FILE | --db PATH --policy FILE] report COMMAND ...\n"
    "  tsm --year YYYY [--homes N] [--json] [--explain]\n"
    "      the Tenant Satisfaction Measures CH01 and CH02 for the financial year from 1 April\n"
    "      YYYY; homes from landlord.homes in --config (the figure on 31 March), or --homes\n";

int Fail(std::ostream& err, const std::string& verb, const std::string& message, int code) {
  err << "complaintsctl report " << verb << ": " << message << '\n';
  return code;
}

// Two decimal places, as a number for JSON.
double Rounded(double v) { return std::round(v * 100.0) / 100.0; }

std::string Fixed(double v, int places) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(places) << v;
  return text.str();
}

// The homes on 31 March of the financial year from 1 April `year`: --homes, else landlord.homes
// in --config.
Result<long> HomesFor(const CommandLine& line, int year) {
  using R = Result<long>;
  if (auto given = line.Get("homes")) {
    Result<long> n = ParseWholeNumber(*given, "number of homes", 1, 100000000);
    if (!n) return R::Error("invalid --homes: " + n.error());
    return n;
  }
  if (auto config = line.Get("config")) {
    Result<DaemonConfig> loaded = LoadDaemonConfig(*config);
    if (!loaded) return R::Error(loaded.error());
    const std::chrono::sys_days year_end(std::chrono::year{year + 1} / std::chrono::March / 31);
    std::optional<long> on = HomesOn(loaded->homes, year_end);
    if (!on) {
      return R::Error("no number of homes for 31 March " + std::to_string(year + 1) +
                      ": set landlord.homes in " + *config +
                      " (e.g. 2024-04-01:12450) or give --homes N");
    }
    return *on;
  }
  return R::Error("give --homes N, or --config FILE with landlord.homes");
}

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<std::string>::Error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "6 December 2026": today in Europe/London.
std::string Today(const Clock& clock) {
  const std::chrono::year_month_day day(ToLondon(clock.Now()).day);
  return std::to_string(static_cast<unsigned>(day.day())) + " " +
         MonthName(static_cast<int>(day.year()), static_cast<unsigned>(day.month()));
}

// Writes `body` to --out (replacing the file only once it is whole), or to `out`.
int Emit(const CommandLine& line, const std::string& verb, const std::string& body,
         std::ostream& out, std::ostream& err) {
  const auto path = line.Get("out");
  if (!path) {
    out << body;
    return 0;
  }
  const std::string partial = *path + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    file << body;
    file.flush();
    if (!file) return Fail(err, verb, partial + ": cannot be written", 1);
  }
  if (std::rename(partial.c_str(), path->c_str()) != 0) {
    std::remove(partial.c_str());
    return Fail(err, verb, *path + ": cannot be written", 1);
  }
  err << "complaintsctl report " << verb << ": wrote " << *path << " (" << body.size()
      << " bytes)\n";
  return 0;
}

int Annual(const CommandLine& line, std::ostream& out, std::ostream& err) {
  Result<long> year = ParseWholeNumber(line.Get("year").value_or(""), "year", 2000, 2200);
  if (!year) return Fail(err, "annual", "give --year YYYY (the year the financial year starts)", 2);
  const std::string format = line.Get("format").value_or("html");
  if (format != "html" && format != "pdf" && format != "csv") {
    return Fail(err, "annual", "--format is html, pdf or csv, not '" + format + "'", 2);
  }
  if (format == "pdf" && !line.Get("out")) {
    return Fail(err, "annual", "a PDF needs --out FILE (it is not text for a terminal)", 2);
  }
  Result<long> homes = HomesFor(line, static_cast<int>(*year));
  if (!homes) return Fail(err, "annual", homes.error(), 2);
  std::string evidence_path = line.Get("evidence").value_or("");
  if (evidence_path.empty()) {
    if (auto config = line.Get("config")) {
      Result<DaemonConfig> loaded = LoadDaemonConfig(*config);
      if (!loaded) return Fail(err, "annual", loaded.error(), 2);
      evidence_path = loaded->evidence_file;
    }
  }
  std::map<std::string, std::string> evidence;
  if (!evidence_path.empty()) {
    Result<std::string> text = ReadWhole(evidence_path);
    if (!text) return Fail(err, "annual", text.error(), 2);
    Result<std::map<std::string, std::string>> parsed = ParseEvidence(*text);
    if (!parsed) return Fail(err, "annual", evidence_path + ": " + parsed.error(), 2);
    evidence = std::move(parsed).value();
  }
  CtlSession session;
  if (Status s = OpenCtlSession(line, session); !s) return Fail(err, "annual", s.error(), 2);
  Result<AnnualReport> r = ComputeAnnualReport(*session.store, *session.hours, session.policy,
                                               static_cast<int>(*year), *homes, evidence);
  if (!r) return Fail(err, "annual", r.error(), 1);
  const std::string generated = Today(session.clock);
  if (format == "html") return Emit(line, "annual", AnnualHtml(*r, generated), out, err);
  if (format == "csv") return Emit(line, "annual", AnnualCsv(*r), out, err);
  Result<std::string> pdf = AnnualPdf(*r, generated);
  if (!pdf) return Fail(err, "annual", pdf.error(), 1);
  return Emit(line, "annual", *pdf, out, err);
}

int Monthly(const CommandLine& line, std::ostream& out, std::ostream& err) {
  const std::string text = line.Get("month").value_or("");
  Result<long> year = text.size() == 7 && text[4] == '-'
                          ? ParseWholeNumber(text.substr(0, 4), "year", 2000, 2200)
                          : Result<long>::Error("");
  Result<long> month = text.size() == 7 && text[4] == '-'
                           ? ParseWholeNumber(text.substr(5), "month", 1, 12)
                           : Result<long>::Error("");
  if (!year || !month) return Fail(err, "monthly", "give --month YYYY-MM, e.g. 2026-11", 2);
  CtlSession session;
  if (Status s = OpenCtlSession(line, session); !s) return Fail(err, "monthly", s.error(), 2);
  Result<MonthlyReport> r =
      ComputeMonthlyReport(*session.store, *session.hours, static_cast<int>(*year),
                           static_cast<unsigned>(*month), session.clock.Now());
  if (!r) return Fail(err, "monthly", r.error(), 1);
  if (!line.Has("json")) {
    out << MonthlyText(*r);
    return 0;
  }
  auto lines = [](const std::vector<MonthlyLine>& from) {
    nlohmann::json a = nlohmann::json::array();
    for (const MonthlyLine& l : from) {
      a.push_back({{"name", l.name},
                   {"received", l.received},
                   {"open", l.open},
                   {"responded", l.responded},
                   {"on_time", l.on_time},
                   {"breached", l.breached}});
    }
    return a;
  };
  nlohmann::json j = {{"month", text},
                      {"received", r->received_all},
                      {"stage1_received", r->stage1_received},
                      {"stage2_received", r->stage2_received},
                      {"open", r->open_at_end},
                      {"responded", r->responded},
                      {"on_time", r->on_time},
                      {"breached", r->breached},
                      {"oldest_open", r->oldest_reference ? nlohmann::json(*r->oldest_reference)
                                                          : nlohmann::json(nullptr)},
                      {"oldest_open_working_days", r->oldest_working_days},
                      {"by_theme", lines(r->by_theme)},
                      {"by_handler", lines(r->by_handler)}};
  out << j.dump(2) << '\n';
  return 0;
}

int Tsm(const CommandLine& line, std::ostream& out, std::ostream& err) {
  const std::string year_text = line.Get("year").value_or("");
  Result<long> year = ParseWholeNumber(year_text, "year", 2000, 2200);
  if (!year) return Fail(err, "tsm", "give --year YYYY (the year the financial year starts)", 2);
  Result<long> homes = HomesFor(line, static_cast<int>(*year));
  if (!homes) return Fail(err, "tsm", homes.error(), 2);
  CtlSession session;
  if (Status s = OpenCtlSession(line, session); !s) return Fail(err, "tsm", s.error(), 2);
  Result<TsmReport> r = ComputeTsm(*session.store, *session.hours, static_cast<int>(*year), *homes,
                                   line.Has("explain"));
  if (!r) return Fail(err, "tsm", r.error(), 1);
  if (line.Has("json")) {
    auto pct = [](std::optional<double> v) {
      return v ? nlohmann::json(Rounded(*v)) : nlohmann::json(nullptr);
    };
    nlohmann::json j = {{"year", std::to_string(*year) + "-" + std::to_string((*year + 1) % 100)},
                        {"CH01_1", Rounded(r->ch01_1)},
                        {"CH01_2", Rounded(r->ch01_2)},
                        {"CH02_1", pct(r->ch02_1)},
                        {"CH02_2", pct(r->ch02_2)},
                        {"homes", r->homes},
                        {"stage1_received", r->stage1_received},
                        {"stage2_received", r->stage2_received},
                        {"stage1_responded", r->stage1_responded},
                        {"stage1_on_time", r->stage1_on_time},
                        {"stage2_responded", r->stage2_responded},
                        {"stage2_on_time", r->stage2_on_time}};
    if (line.Has("explain")) {
      nlohmann::json lines = nlohmann::json::array();
      for (const TsmLine& l : r->lines) {
        lines.push_back({{"reference", l.reference},
                         {"stage", l.stage},
                         {"received", l.received},
                         {"responded", l.responded},
                         {"on_time", l.on_time},
                         {"why", l.why}});
      }
      j["cases"] = lines;
    }
    out << j.dump(2) << '\n';
    return 0;
  }
  auto pct = [](std::optional<double> v) { return v ? Fixed(*v, 1) + "%" : std::string("n/a"); };
  out << "Tenant Satisfaction Measures, complaints, " << *year << "-" << (*year + 1) % 100
      << " (1 April " << *year << " to 31 March " << *year + 1 << "), " << r->homes << " homes\n"
      << "CH01(1) stage one complaints received per 1,000 homes   " << Fixed(r->ch01_1, 1) << "  ("
      << r->stage1_received << " received)\n"
      << "CH01(2) stage two complaints received per 1,000 homes   " << Fixed(r->ch01_2, 1) << "  ("
      << r->stage2_received << " received)\n"
      << "CH02(1) stage one responded to within the Code's timescales  " << pct(r->ch02_1) << "  ("
      << r->stage1_on_time << " of " << r->stage1_responded << ")\n"
      << "CH02(2) stage two responded to within the Code's timescales  " << pct(r->ch02_2) << "  ("
      << r->stage2_on_time << " of " << r->stage2_responded << ")\n";
  if (line.Has("explain")) {
    out << "\nEvery case counted, and why (our reading is in docs/reports.md):\n";
    for (const TsmLine& l : r->lines) {
      out << l.reference << "  stage " << l.stage << "  " << (l.received ? "received" : "-") << "  "
          << (l.responded ? (l.on_time ? "on time" : "late") : "-") << "  " << l.why << '\n';
    }
  }
  return 0;
}

}  // namespace

int RunReportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string verb = args[0];
  static const std::map<std::string, CommandLine::Spec> specs = {
      {"tsm", {{"db", "config", "policy", "year", "homes"}, {"json", "explain"}}},
      {"annual", {{"db", "config", "policy", "year", "homes", "format", "out", "evidence"}, {}}},
      {"monthly", {{"db", "config", "policy", "month"}, {"json"}}},
  };
  const auto spec = specs.find(verb);
  if (spec == specs.end()) return Fail(err, verb, std::string("unknown command\n") + kUsage, 2);
  Result<CommandLine> line = CommandLine::Parse({args.begin() + 1, args.end()}, spec->second);
  if (!line) return Fail(err, verb, line.error(), 2);
  if (!line->positional().empty()) {
    return Fail(err, verb, "unexpected argument '" + line->positional()[0] + "'", 2);
  }
  if (verb == "annual") return Annual(*line, out, err);
  if (verb == "monthly") return Monthly(*line, out, err);
  return Tsm(*line, out, err);
}

}  // namespace complaints
