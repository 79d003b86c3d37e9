#include "daemon/privacy/retention.h"

#include <nlohmann/json.hpp>

namespace complaints {

RetentionPass::RetentionPass(PrivacyStore& store, RetentionSchedule schedule, const Clock& clock)
    : store_(store), schedule_(schedule), clock_(clock) {}

Result<RemovalCounts> RetentionPass::Run(bool dry_run) {
  const Instant now = clock_.Now();
  return store_.RemoveExpired(CutoffsAt(schedule_, now), now, dry_run);
}

Result<std::optional<RemovalCounts>> RetentionPass::RunDaily() {
  using R = Result<std::optional<RemovalCounts>>;
  if (!schedule_.enabled) return std::optional<RemovalCounts>();
  const auto today = std::chrono::floor<std::chrono::days>(clock_.Now());
  if (last_day_ && *last_day_ == today) return std::optional<RemovalCounts>();
  Result<RemovalCounts> done = Run(false);
  if (!done) return R(done.status());
  last_day_ = today;
  return std::optional<RemovalCounts>(*done);
}

std::string DescribeRemoval(const RemovalCounts& c, bool dry_run) {
  return std::string(dry_run ? "retention (dry run, nothing changed): would remove "
                             : "retention: removed ") +
         "the personal data of " + std::to_string(c.cases) + " cases (" +
         std::to_string(c.complaint_cases) + " complaints), " + std::to_string(c.contacts) +
         " contacts, " + std::to_string(c.messages) + " messages on them, " +
         std::to_string(c.outgoing) + " outgoing, " + std::to_string(c.attachments) +
         " attachments; " + std::to_string(c.spam) + " suspected spam or quarantined and " +
         std::to_string(c.unfiled) + " other messages on no case; " + std::to_string(c.held) +
         " expired cases kept under a legal hold";
}

std::string RemovalJson(const RemovalCounts& c, bool dry_run) {
  return nlohmann::json{{"dry_run", dry_run},
                        {"cases", c.cases},
                        {"complaint_cases", c.complaint_cases},
                        {"contacts", c.contacts},
                        {"messages", c.messages},
                        {"outgoing", c.outgoing},
                        {"attachments", c.attachments},
                        {"spam", c.spam},
                        {"unfiled", c.unfiled},
                        {"held", c.held},
                        {"references", c.references}}
      .dump();
}

}  // namespace complaints
