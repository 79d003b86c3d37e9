#include "daemon/ctl/commands.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "daemon/calendar/london_time.h"
#include "daemon/ctl/session.h"
#include "daemon/service/deadline_watcher.h"

namespace complaints {

int RunDeadlinesCommand(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err) {
  constexpr const char* kUsage =
      "usage: complaintsctl [--db PATH] [--policy FILE] deadlines [--json] [--due-within N]\n"
      "  every open deadline we owe that falls due within N working days (default 5), overdue\n"
      "  ones included, soonest first\n";
  const CommandLine::Spec spec{{"db", "policy", "config", "as", "due-within"}, {"json", "help"}};
  Result<CommandLine> line = CommandLine::Parse(args, spec);
  if (line && !line->positional().empty()) {
    line = Result<CommandLine>::Error("unexpected argument '" + line->positional()[0] + "'");
  }
  if (!line) {
    err << "complaintsctl deadlines: " << line.error() << '\n' << kUsage;
    return 2;
  }
  if (line->Has("help")) {
    out << kUsage;
    return 0;
  }
  long within = 5;
  if (auto text = line->Get("due-within")) {
    Result<long> n = ParseWholeNumber(*text, "number of working days", 0, 365);
    if (!n) {
      err << "complaintsctl deadlines: " << n.error() << '\n';
      return 2;
    }
    within = *n;
  }
  CtlSession session;
  if (Status s = OpenCtlSession(*line, session); !s) {
    err << "complaintsctl deadlines: " << s.error() << '\n';
    return 2;
  }
  const Instant now = session.clock.Now();
  const Instant until = session.hours->DueAt(now, static_cast<int>(within));
  Result<std::vector<WatchedDeadline>> due = session.store->OpenDeadlines(until, 100000);
  if (!due) {
    err << "complaintsctl deadlines: " << due.error() << '\n';
    return 2;
  }
  for (const WatchedDeadline& d : *due) {
    const bool overdue = d.due_at <= now;
    if (line->Has("json")) {
      out << nlohmann::json{{"reference", d.reference},
                            {"stage", d.stage},
                            {"kind", d.kind},
                            {"due_at", FormatLondonIso(d.due_at)},
                            {"overdue", overdue},
                            {"warned", d.warned_at.has_value()},
                            {"breached", d.breached_at.has_value()}}
                 .dump()
          << '\n';
    } else {
      out << FormatLondonIso(d.due_at) << "  " << d.reference << "  stage " << d.stage << " "
          << d.kind << (overdue ? "  OVERDUE" : "") << '\n';
    }
  }
  return 0;
}

}  // namespace complaints
