#include "daemon/ctl_session.h"

#include <cstdlib>

#include "daemon/calendar_settings.h"
#include "daemon/config_file.h"

namespace complaints {

std::string DefaultPolicyPath() {
  if (const char* env = std::getenv("COMPLAINTSD_POLICY")) return env;
  return std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/hos-code-2024.json";
}

Status OpenCtlSession(const CommandLine& line, CtlSession& s) {
  std::string db = "complaints.db";
  if (const char* env = std::getenv("COMPLAINTSD_DB")) db = env;
  db = line.Get("db").value_or(db);
  Result<Policy> policy = LoadPolicy(line.Get("policy").value_or(DefaultPolicyPath()));
  if (!policy) return policy.status();
  s.policy = std::move(policy).value();
  CalendarSettings calendar;
  if (auto config = line.Get("config")) {
    Result<ConfigFile> file = ConfigFile::Load(*config);
    if (!file) return file.status();
    Result<CalendarSettings> read = ReadCalendarSettings(*file);
    if (!read) return read.status();
    calendar = *read;
  }
  calendar.division = s.policy.division;  // the policy's division and hours win
  calendar.close_of_business = s.policy.close_of_business;
  Result<BusinessHours> hours = BuildBusinessHours(calendar);
  if (!hours) return hours.status();
  s.hours = *hours;
  Result<std::unique_ptr<SqliteCaseStore>> store = SqliteCaseStore::Open(db);
  if (!store) return store.status();
  s.store = std::move(store).value();
  return Status::Ok();
}

}  // namespace complaints
