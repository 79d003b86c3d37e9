#include "daemon/ctl.h"

#include <ostream>

#include "daemon/ctl_calendar.h"
#include "daemon/london_time.h"

namespace complaints {
namespace {

using Command = int (*)(const std::vector<std::string>&, std::ostream&, std::ostream&);

struct Entry {
  const char* name;
  Command run;
  const char* summary;
};

constexpr Entry kCommands[] = {
    {"calendar", RunCalendarCommand, "bank holidays, working days and due times"},
};

void Usage(std::ostream& out) {
  out << "usage: complaintsctl COMMAND [ARGS...]\n\ncommands:\n";
  for (const Entry& e : kCommands) out << "  " << e.name << "\t" << e.summary << '\n';
  out << "\n'complaintsctl COMMAND --help' describes a command.\n";
}

}  // namespace

int RunCtl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    Usage(err);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "help") {
    Usage(out);
    return 0;
  }
  if (Status tz = CheckLondonTimeZone(); !tz) {
    err << "complaintsctl: " << tz.error() << '\n';
    return 2;
  }
  for (const Entry& e : kCommands) {
    if (args[0] == e.name) return e.run({args.begin() + 1, args.end()}, out, err);
  }
  err << "complaintsctl: unknown command '" << args[0] << "'\n";
  Usage(err);
  return 2;
}

}  // namespace complaints
