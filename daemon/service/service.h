// The running daemon: one loop that reads the mailbox (waiting on IDLE or polling between passes),
// sends the outbox and runs the deadline watcher, with backoff when the mailbox or the store
// fails, an email to the admin when the mailbox has been unreachable too long (and when it
// returns), and counters for /metrics. Stops between messages when asked.
//
// Every collaborator is injected; Service owns none of them. RunOnce() is `complaintsd --once`.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "daemon/calendar/clock.h"
#include "daemon/cases/case_store.h"
#include "daemon/intake/mailbox_watcher.h"
#include "daemon/outgoing/case_mailer.h"
#include "daemon/outgoing/outbox_sender.h"
#include "daemon/privacy/retention.h"
#include "daemon/service/daily_digest.h"
#include "daemon/service/deadline_watcher.h"
#include "daemon/service/monthly_report_mail.h"

namespace complaints {

// What /healthz and /metrics report. A snapshot: safe to copy across threads.
struct ServiceStatus {
  bool mailbox_ok = false;
  bool store_ok = true;
  bool sender_ok = true;
  std::string problem;  // why not healthy, for a person
  std::optional<Instant> last_mailbox_success;
  std::map<std::string, long> counters;  // messages_ingested, cases_opened_complaint, ...
};

class Service {
 public:
  struct Parts {
    MailboxWatcher* mailbox = nullptr;
    MailSource* source = nullptr;
    OutboxSender* outbox = nullptr;
    DeadlineWatcher* deadlines = nullptr;
    DailyDigest* digest = nullptr;  // optional
    CaseStore* store = nullptr;
    CaseMailer* mailer = nullptr;
    const Clock* clock = nullptr;
    // Called at every turn of the loop (at most max_wait apart when idle, and every 100 ms while
    // waiting out a mailbox outage): a sign of life for systemd's watchdog. Optional.
    std::function<void()> alive;
    MonthlyReportMail* monthly = nullptr;  // optional
    RetentionPass* retention = nullptr;    // optional: removes expired personal data once a day
  };
  struct Timing {
    std::chrono::seconds deadline_interval{60};
    std::chrono::seconds outage_alert_after{15 * 60};
    std::chrono::milliseconds max_wait{5000};  // longest wait for mail between outbox passes
  };
  // One line per message handled, for the log (no bodies, no personal data).
  using Logger = std::function<void(const std::string& line)>;

  Service(Parts parts, Timing timing, Logger log);

  // One pass of everything. Errors are logged and reflected in status(); the next pass retries.
  void RunOnce();
  // `complaintsd --once`: one pass, then the outbox again until nothing due is left (a pass sends
  // one batch), so everything the pass queued has been sent, or tried, when it returns.
  void RunOnceAndDrain();
  // Passes until `stop` is set; between passes waits for new mail (IDLE) or the next timer.
  void Run(const std::atomic<bool>& stop);

  ServiceStatus status() const;

 private:
  void MailboxPass();
  void OutboxPass();
  void DeadlinePass();
  void CheckOutage();
  void Alive() const;
  void Count(const std::string& name, long by = 1);

  Parts parts_;
  Timing timing_;
  Logger log_;
  const std::atomic<bool>* stop_ = nullptr;  // set while Run() runs
  std::optional<Instant> last_deadline_pass_;
  std::optional<Instant> outage_since_;
  bool outage_reported_ = false;
  std::set<uint32_t> not_fetched_told_;  // UIDs already logged as not fetched
  std::chrono::milliseconds mailbox_backoff_{0};
  bool outbox_more_ = false;  // the last outbox pass sent a whole batch
  mutable std::mutex mutex_;  // guards status_
  ServiceStatus status_;
};

}  // namespace complaints
