// What a complaintsctl command that works on cases needs: the store, the policy and the working
// calendar, from --db, --policy and --config (or $COMPLAINTSD_DB, $COMPLAINTSD_POLICY).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "daemon/base/command_line.h"
#include "daemon/calendar/business_hours.h"
#include "daemon/calendar/clock.h"
#include "daemon/cases/policy.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/outgoing/case_mailer.h"
#include "daemon/privacy/sqlite_privacy_store.h"

namespace complaints {

struct CtlSession {
  std::unique_ptr<SqliteCaseStore> store;
  Policy policy;
  std::optional<BusinessHours> hours;
  SystemClock clock;
  // With --config (the daemon's configuration file): letters to residents are queued in the
  // outbox, which the daemon sends. Without it, nothing is sent.
  std::unique_ptr<MailTemplates> templates;
  std::unique_ptr<CaseMailer> mailer;
};

// The shipped hos-code-2024 policy, unless $COMPLAINTSD_POLICY names another.
std::string DefaultPolicyPath();

// Reads --db, --policy and --config from `line` (each command declares them). --config names the
// daemon's configuration: its store, policy, calendar and mail settings are used, and --db and
// --policy override the first two.
Status OpenCtlSession(const CommandLine& line, CtlSession& session);

// The case store's path alone, chosen as OpenCtlSession chooses it (--db, else --config's store,
// else $COMPLAINTSD_DB, else complaints.db).
Result<std::string> CtlStorePath(const CommandLine& line);

// Who a command acts as: --as, else $USER, else "staff" (recorded in histories and logs).
std::string CtlActor(const CommandLine& line);

// The store's privacy records (daemon/privacy): holds, erasure, the access log.
Result<std::unique_ptr<SqlitePrivacyStore>> OpenCtlPrivacy(const CommandLine& line);

// Records a read of a resident's case, message or document by complaintsctl in the store's access
// log (daemon/privacy), as the workbench records its reads: channel "complaintsctl", the actor
// --as or else $USER. An error means the read must not be shown.
Status LogCtlRead(const CommandLine& line, const std::string& what, std::optional<int64_t> case_id,
                  std::optional<int64_t> message_id = std::nullopt, const std::string& detail = "");
// The same, into a log the command already has open.
Status LogCtlRead(AccessLog& log, const CommandLine& line, const std::string& what,
                  std::optional<int64_t> case_id, std::optional<int64_t> message_id = std::nullopt,
                  const std::string& detail = "");

}  // namespace complaints
