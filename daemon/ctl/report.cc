// complaintsctl report: what the landlord publishes. `report tsm` computes the Regulator's
// CH01 and CH02 for a financial year (daemon/reports/tsm.h holds our reading of the measures).
#include <cmath>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "daemon/base/command_line.h"
#include "daemon/calendar/london_time.h"
#include "daemon/ctl/commands.h"
#include "daemon/ctl/session.h"
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

int Tsm(const CommandLine& line, std::ostream& out, std::ostream& err) {
  const std::string year_text = line.Get("year").value_or("");
  Result<long> year = ParseWholeNumber(year_text, "year", 2000, 2200);
  if (!year) return Fail(err, "tsm", "give --year YYYY (the year the financial year starts)", 2);
  const std::chrono::sys_days year_end(std::chrono::year{static_cast<int>(*year + 1)} /
                                       std::chrono::March / 31);
  long homes = 0;
  if (auto given = line.Get("homes")) {
    Result<long> n = ParseWholeNumber(*given, "number of homes", 1, 100000000);
    if (!n) return Fail(err, "tsm", "invalid --homes: " + n.error(), 2);
    homes = *n;
  } else if (auto config = line.Get("config")) {
    Result<DaemonConfig> loaded = LoadDaemonConfig(*config);
    if (!loaded) return Fail(err, "tsm", loaded.error(), 2);
    std::optional<long> on = HomesOn(loaded->homes, year_end);
    if (!on) {
      return Fail(err, "tsm",
                  "no number of homes for 31 March " + std::to_string(*year + 1) +
                      ": set landlord.homes in " + *config +
                      " (e.g. 2024-04-01:12450) or give "
                      "--homes N",
                  2);
    }
    homes = *on;
  } else {
    return Fail(err, "tsm", "give --homes N, or --config FILE with landlord.homes", 2);
  }
  CtlSession session;
  if (Status s = OpenCtlSession(line, session); !s) return Fail(err, "tsm", s.error(), 2);
  Result<TsmReport> r = ComputeTsm(*session.store, *session.hours, static_cast<int>(*year), homes);
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
  };
  const auto spec = specs.find(verb);
  if (spec == specs.end()) return Fail(err, verb, std::string("unknown command\n") + kUsage, 2);
  Result<CommandLine> line = CommandLine::Parse({args.begin() + 1, args.end()}, spec->second);
  if (!line) return Fail(err, verb, line.error(), 2);
  if (!line->positional().empty()) {
    return Fail(err, verb, "unexpected argument '" + line->positional()[0] + "'", 2);
  }
  return Tsm(*line, out, err);
}

}  // namespace complaints
