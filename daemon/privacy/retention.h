// The retention pass: what the schedule says has expired, removed from the store in one
// transaction (PrivacyStore::RemoveExpired), daily by the daemon and on demand by
// `complaintsctl retention run`. Not thread-safe; the store and clock outlive it.
#pragma once

#include <optional>
#include <string>

#include "daemon/calendar/clock.h"
#include "daemon/privacy/privacy_store.h"
#include "daemon/privacy/retention_schedule.h"

namespace complaints {

class RetentionPass {
 public:
  RetentionPass(PrivacyStore& store, RetentionSchedule schedule, const Clock& clock);

  // One pass now; with dry_run nothing changes and the counts say what would.
  Result<RemovalCounts> Run(bool dry_run);
  // The daemon's: a pass on the first call of each day (UTC), when the schedule is enabled;
  // none (nothing done) otherwise.
  Result<std::optional<RemovalCounts>> RunDaily();

 private:
  PrivacyStore& store_;
  RetentionSchedule schedule_;
  const Clock& clock_;
  std::optional<std::chrono::sys_days> last_day_;
};

// For people: "retention: 12 cases (3 complaints), 14 contacts, ..." on one line.
std::string DescribeRemoval(const RemovalCounts& counts, bool dry_run);
// For scripts: every count, and the references.
std::string RemovalJson(const RemovalCounts& counts, bool dry_run);

}  // namespace complaints
