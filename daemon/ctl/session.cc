#include "daemon/ctl/session.h"

#include <cstdlib>

#include "daemon/base/config_file.h"
#include "daemon/calendar/calendar_settings.h"
#include "daemon/outgoing/mail_templates.h"
#include "daemon/service/daemon_config.h"

namespace complaints {

std::string DefaultPolicyPath() {
  if (const char* env = std::getenv("COMPLAINTSD_POLICY")) return env;
  return std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/hos-code-2024.json";
}

Status OpenCtlSession(const CommandLine& line, CtlSession& s) {
  std::string db = "complaints.db";
  if (const char* env = std::getenv("COMPLAINTSD_DB")) db = env;
  std::string policy_path = DefaultPolicyPath();
  CalendarSettings calendar;
  std::optional<DaemonConfig> daemon;
  if (auto config = line.Get("config")) {
    Result<DaemonConfig> loaded = LoadDaemonConfig(*config);
    if (!loaded) return loaded.status();
    daemon = std::move(loaded).value();
    db = daemon->store_path;
    policy_path = daemon->policy_file;
    calendar = daemon->calendar;
  }
  db = line.Get("db").value_or(db);
  Result<Policy> policy = LoadPolicy(line.Get("policy").value_or(policy_path));
  if (!policy) return policy.status();
  s.policy = std::move(policy).value();
  calendar.division = s.policy.division;  // the policy's division and hours win
  calendar.close_of_business = s.policy.close_of_business;
  Result<BusinessHours> hours = BuildBusinessHours(calendar);
  if (!hours) return hours.status();
  s.hours = *hours;
  if (daemon) {
    Result<MailTemplates> templates = MailTemplates::Load(daemon->templates_dir);
    if (!templates) return templates.status();
    s.templates = std::make_unique<MailTemplates>(std::move(templates).value());
    s.mailer =
        std::make_unique<CaseMailer>(*s.templates, s.policy, *s.hours, daemon->mail, s.clock);
  }
  Result<std::unique_ptr<SqliteCaseStore>> store = SqliteCaseStore::Open(db);
  if (!store) return store.status();
  s.store = std::move(store).value();
  return Status::Ok();
}

Result<std::string> CtlStorePath(const CommandLine& line) {
  if (auto db = line.Get("db")) return *db;
  if (auto config = line.Get("config")) {
    Result<DaemonConfig> loaded = LoadDaemonConfig(*config);
    if (!loaded) return loaded.status();
    return loaded->store_path;
  }
  if (const char* env = std::getenv("COMPLAINTSD_DB")) return std::string(env);
  return std::string("complaints.db");
}

std::string CtlActor(const CommandLine& line) {
  if (auto as = line.Get("as")) return *as;
  if (const char* user = std::getenv("USER")) return user;
  return "staff";
}

Result<std::unique_ptr<SqlitePrivacyStore>> OpenCtlPrivacy(const CommandLine& line) {
  Result<std::string> path = CtlStorePath(line);
  if (!path) return path.status();
  return SqlitePrivacyStore::Open(*path);
}

Status LogCtlRead(const CommandLine& line, const std::string& what, std::optional<int64_t> case_id,
                  std::optional<int64_t> message_id, const std::string& detail) {
  Result<std::unique_ptr<SqlitePrivacyStore>> log = OpenCtlPrivacy(line);
  if (!log) return log.status();
  return LogCtlRead(**log, line, what, case_id, message_id, detail);
}

Status LogCtlRead(AccessLog& log, const CommandLine& line, const std::string& what,
                  std::optional<int64_t> case_id, std::optional<int64_t> message_id,
                  const std::string& detail) {
  Status recorded = log.Record({SystemClock().Now(), CtlActor(line), "complaintsctl", what, case_id,
                                "", message_id, detail});
  if (!recorded) {
    return Status::Error("the read could not be recorded in the access log, so it is not shown (" +
                         recorded.error() + ")");
  }
  return recorded;
}

}  // namespace complaints
