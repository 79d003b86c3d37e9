// What a complaintsctl command that works on cases needs: the store, the policy and the working
// calendar, from --db, --policy and --config (or $COMPLAINTSD_DB, $COMPLAINTSD_POLICY).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "daemon/business_hours.h"
#include "daemon/clock.h"
#include "daemon/command_line.h"
#include "daemon/policy.h"
#include "daemon/sqlite_case_store.h"

namespace complaints {

struct CtlSession {
  std::unique_ptr<SqliteCaseStore> store;
  Policy policy;
  std::optional<BusinessHours> hours;
  SystemClock clock;
};

// The shipped hos-code-2024 policy, unless $COMPLAINTSD_POLICY names another.
std::string DefaultPolicyPath();

// Reads --db, --policy and --config from `line` (each command declares them).
Status OpenCtlSession(const CommandLine& line, CtlSession& session);

}  // namespace complaints
