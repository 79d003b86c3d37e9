// Everything the daemon runs, built from one DaemonConfig: the store, policy, templates, calendar,
// case engine, mailer, intake, the mailbox and mail transport, the watchers and the service loop.
// Building validates everything first, so a reload with a broken configuration fails here and
// the running Runtime is kept. Owns all of its parts; destroy it only when its loop has stopped.
#pragma once

#include <memory>
#include <string>

#include "daemon/intake/mailbox_watcher.h"
#include "daemon/service/daemon_config.h"
#include "daemon/service/service.h"
#include "parsers/result.h"

namespace complaints {

class Runtime {
 public:
  // `alive` is called at every sign of life (Service::Parts::alive); may be empty.
  static Result<std::unique_ptr<Runtime>> Build(const DaemonConfig& config, const Clock& clock,
                                                Service::Logger log,
                                                std::function<void()> alive = {});
  ~Runtime();

  Service& service();
  // One mailbox pass only (complaintsctl ingest): mail it causes stays queued for the daemon.
  Result<MailboxWatcher::Pass> Ingest();
  // Staff release a message held as suspected spam: handled as new mail now, with no spam check;
  // the mail it causes stays queued for the daemon (complaintsctl messages release).
  Result<IntakeOutcome> Release(int64_t message_row, const std::string& actor);
  CaseStore& store();
  // Gauges for /metrics computed from the store (outbox waiting), through a connection of their
  // own, since the status server calls this from its threads. One caller at a time.
  std::map<std::string, long> Gauges();

  struct Parts;

 private:
  explicit Runtime(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace complaints
