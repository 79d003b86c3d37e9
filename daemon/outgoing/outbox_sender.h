// Delivers the outbox: every queued message due now is handed to the transport, then marked sent
// (or retried with exponential backoff, or failed for good) in the store, so retries survive
// restarts and a message is never sent twice except in the moment between the server accepting
// it and the store recording that (a crash there repeats that one message once).
//
// Not thread-safe; the daemon runs one sender.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "daemon/calendar/clock.h"
#include "daemon/cases/case_store.h"
#include "parsers/result.h"

namespace complaints {

// What a mail transport (SMTP, or the pickup folder) says about one message.
struct SendOutcome {
  enum class Kind { kSent, kTemporary, kPermanent };
  Kind kind = Kind::kSent;
  std::string detail;  // the server's reply or the error, for staff
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual SendOutcome Send(const OutboxItem& item) = 0;
};

struct OutboxSettings {
  std::chrono::seconds first_retry{60};
  std::chrono::seconds max_retry{3600};
  int max_attempts = 60;  // then failed for good (about two and a half days at the cap)
  int batch = 50;
};

class OutboxSender {
 public:
  // `on_sent` and `on_failed` run after the store records the outcome: the daemon records the
  // acknowledgement on the case, or flags the case and tells staff.
  using Callback = std::function<void(const OutboxItem&, const std::string& detail)>;

  OutboxSender(CaseStore& store, MailTransport& transport, const Clock& clock,
               OutboxSettings settings, Callback on_sent = nullptr, Callback on_failed = nullptr);

  struct Pass {
    int sent = 0;
    int retried = 0;
    int failed = 0;
    bool more = false;  // a whole batch was due: more may be waiting, so run again at once
  };
  Result<Pass> RunOnce();
  // Called before each item is sent (a send may wait for a slow server): a sign of life.
  void SetAlive(std::function<void()> alive) { alive_ = std::move(alive); }

  // The wait before attempt `attempts + 1` (attempts already made >= 1).
  std::chrono::seconds Backoff(int attempts) const;

 private:
  CaseStore& store_;
  MailTransport& transport_;
  const Clock& clock_;
  OutboxSettings settings_;
  Callback on_sent_;
  Callback on_failed_;
  std::function<void()> alive_;
};

}  // namespace complaints
