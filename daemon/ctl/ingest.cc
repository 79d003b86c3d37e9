#include "daemon/ctl/commands.h"

#include <ostream>

#include "daemon/base/command_line.h"
#include "daemon/service/daemon_config.h"
#include "daemon/service/runtime.h"

namespace complaints {

int RunIngestCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Result<CommandLine> line =
      CommandLine::Parse(args, {{"config", "maildir", "db", "policy", "as"}, {}});
  if (!line || !line->Get("config")) {
    err << "complaintsctl ingest: " << (line ? "needs --config FILE (the daemon's)" : line.error())
        << "\nusage: complaintsctl --config FILE ingest [--maildir DIR]\n";
    return 2;
  }
  Result<DaemonConfig> config = LoadDaemonConfig(*line->Get("config"));
  if (!config) {
    err << "complaintsctl ingest: " << config.error() << '\n';
    return 2;
  }
  DaemonConfig c = std::move(config).value();
  if (auto dir = line->Get("maildir")) {
    c.mailbox.kind = "maildir";
    c.mailbox.maildir = *dir;
  }
  if (auto db = line->Get("db")) c.store_path = *db;
  if (auto policy = line->Get("policy")) c.policy_file = *policy;
  SystemClock clock;
  Result<std::unique_ptr<Runtime>> runtime =
      Runtime::Build(c, clock, [&](const std::string& l) { err << l << '\n'; });
  if (!runtime) {
    err << "complaintsctl ingest: " << runtime.error() << '\n';
    return 2;
  }
  Result<MailboxWatcher::Pass> pass = (*runtime)->Ingest();
  if (!pass) {
    err << "complaintsctl ingest: " << pass.error() << '\n';
    return 1;
  }
  for (const IntakeOutcome& o : pass->outcomes) {
    out << "message " << o.message_row << ": " << OutcomeName(o.kind)
        << (o.reference.empty() ? "" : " " + o.reference)
        << (o.detail.empty() ? "" : " (" + o.detail + ")") << '\n';
  }
  out << pass->fetched << " messages read\n";
  return 0;
}

}  // namespace complaints
