#include "daemon/outgoing/outbox_sender.h"

#include <algorithm>

namespace complaints {

OutboxSender::OutboxSender(CaseStore& store, MailTransport& transport, const Clock& clock,
                           OutboxSettings settings, Callback on_sent, Callback on_failed)
    : store_(store),
      transport_(transport),
      clock_(clock),
      settings_(settings),
      on_sent_(std::move(on_sent)),
      on_failed_(std::move(on_failed)) {}

std::chrono::seconds OutboxSender::Backoff(int attempts) const {
  std::chrono::seconds wait = settings_.first_retry;
  for (int i = 1; i < attempts && wait < settings_.max_retry; ++i) wait *= 2;
  return std::min(wait, settings_.max_retry);
}

Result<OutboxSender::Pass> OutboxSender::RunOnce() {
  Result<std::vector<OutboxItem>> due = store_.DueOutgoing(clock_.Now(), settings_.batch);
  if (!due) return Result<Pass>(due.status());
  Pass pass;
  pass.more = static_cast<int>(due->size()) >= settings_.batch;
  for (const OutboxItem& item : *due) {
    if (alive_) alive_();
    const SendOutcome outcome = transport_.Send(item);
    const Instant now = clock_.Now();
    if (outcome.kind == SendOutcome::Kind::kSent) {
      if (Status s = store_.MarkSent(item.id, now); !s) return Result<Pass>(s);
      ++pass.sent;
      if (on_sent_) on_sent_(item, outcome.detail);
      continue;
    }
    const int attempts = item.attempts + 1;
    const bool permanent =
        outcome.kind == SendOutcome::Kind::kPermanent || attempts >= settings_.max_attempts;
    Status s =
        store_.MarkAttemptFailed(item.id, outcome.detail, now + Backoff(attempts), permanent);
    if (!s) return Result<Pass>(s);
    if (permanent) {
      ++pass.failed;
      if (on_failed_) on_failed_(item, outcome.detail);
    } else {
      ++pass.retried;
    }
  }
  return pass;
}

}  // namespace complaints
