#include "daemon/ctl/commands.h"

#include <ostream>

#include "daemon/calendar/london_time.h"

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
    {"cases", RunCasesCommand, "open, progress, list and show cases"},
    {"classifier", RunClassifierCommand, "train the classifier's model from labelled examples"},
    {"classify", RunClassifyCommand, "label messages or texts, or measure on a labelled set"},
    {"deadlines", RunDeadlinesCommand, "open deadlines due soon, and overdue ones"},
    {"ingest", RunIngestCommand, "one pass of the mailbox (or a Maildir) through intake"},
    {"letter", RunLetterCommand, "what would be read from scanned letters (PDF, TIFF, PNG, JPEG)"},
    {"mailbox", RunMailboxCommand, "test the IMAP and SMTP logins; the Microsoft 365 sign-in"},
    {"messages", RunMessagesCommand, "incoming mail as stored: what opened no case, and why"},
    {"oauth2", RunOAuth2Command, "fetch an OAuth2 token as configured (never printed)"},
    {"person", RunPersonCommand, "a resident's data: export, erase, correct, access log"},
    {"parse", RunParseCommand, "what the MIME parser makes of message files"},
    {"policy", RunPolicyCommand, "check a landlord's policy against the Code, or show it"},
    {"retention", RunRetentionCommand, "remove personal data the retention schedule expired"},
    {"staff", RunStaffCommand, "the workbench's staff accounts and API tokens"},
    {"report", RunReportCommand, "the Regulator's TSM complaint measures (CH01, CH02)"},
    {"templates", RunTemplatesCommand, "check the email templates, or show one with sample values"},
};

void Usage(std::ostream& out) {
  out << "usage: complaintsctl COMMAND [ARGS...]\n\ncommands:\n";
  for (const Entry& e : kCommands) out << "  " << e.name << "\t" << e.summary << '\n';
  out << "\n'complaintsctl COMMAND --help' describes a command.\n";
}

}  // namespace

int RunCtl(const std::vector<std::string>& all_args, std::ostream& out, std::ostream& err) {
  // Options before the command (--db, --policy, --config, --as) are handed to the command, which
  // refuses those it does not take.
  std::vector<std::string> args, global;
  size_t i = 0;
  for (; i < all_args.size(); ++i) {
    const std::string& a = all_args[i];
    const bool takes_value = a == "--db" || a == "--policy" || a == "--config" || a == "--as";
    if (takes_value && i + 1 < all_args.size()) {
      global.push_back(a + "=" + all_args[++i]);
    } else if (a.rfind("--db=", 0) == 0 || a.rfind("--policy=", 0) == 0 ||
               a.rfind("--config=", 0) == 0 || a.rfind("--as=", 0) == 0) {
      global.push_back(a);
    } else {
      break;
    }
  }
  args.assign(all_args.begin() + static_cast<long>(i), all_args.end());
  if (!args.empty()) args.insert(args.end(), global.begin(), global.end());
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
