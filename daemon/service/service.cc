#include "daemon/service/service.h"

#include <algorithm>
#include <thread>

#include "daemon/calendar/london_time.h"

namespace complaints {

Service::Service(Parts parts, Timing timing, Logger log)
    : parts_(std::move(parts)), timing_(timing), log_(std::move(log)) {
  // Before each message in and each message out.
  if (parts_.mailbox != nullptr) parts_.mailbox->SetAlive(parts_.alive);
  if (parts_.outbox != nullptr) parts_.outbox->SetAlive(parts_.alive);
}

ServiceStatus Service::status() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_;
}

void Service::Count(const std::string& name, long by) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.counters[name] += by;
}

void Service::Alive() const {
  if (parts_.alive) parts_.alive();
}

void Service::RunOnce() {
  Alive();
  MailboxPass();
  Alive();
  DeadlinePass();
  OutboxPass();  // last: sends what the other two queued, in the same pass
}

void Service::RunOnceAndDrain() {
  RunOnce();
  // Each pass sends what is due; a failed item waits for its retry time, so this ends.
  while (outbox_more_ && !(stop_ && stop_->load())) {
    Alive();
    OutboxPass();
  }
}

void Service::MailboxPass() {
  Result<MailboxWatcher::Pass> pass = parts_.mailbox->RunOnce(stop_);
  const Instant now = parts_.clock->Now();
  if (!pass) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      status_.mailbox_ok = false;
      status_.problem = "mailbox: " + pass.error();
    }
    log_("mailbox error: " + pass.error());
    if (!outage_since_) outage_since_ = now;
    mailbox_backoff_ = std::min(std::max(mailbox_backoff_ * 2, std::chrono::milliseconds{1000}),
                                std::chrono::milliseconds{30000});
    CheckOutage();
    return;
  }
  mailbox_backoff_ = std::chrono::milliseconds{0};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    status_.mailbox_ok = true;
    status_.store_ok = true;
    if (status_.problem.rfind("mailbox", 0) == 0) status_.problem.clear();
    status_.last_mailbox_success = now;
  }
  CheckOutage();
  outage_since_.reset();
  for (uint32_t uid : pass->not_fetched) {
    if (!not_fetched_told_.insert(uid).second) continue;  // once per message, not every pass
    Count("messages_not_fetched");
    log_("mailbox: UID " + std::to_string(uid) +
         " is listed but could not be read; it stays in the inbox and is tried at every pass");
  }
  // A case event: the deadline watcher looks again in this pass, not only on its timer.
  if (!pass->outcomes.empty()) last_deadline_pass_.reset();
  for (const IntakeOutcome& o : pass->outcomes) {
    Count("messages_ingested");
    Count(std::string("intake_") + std::string(OutcomeName(o.kind)));
    if (o.kind == IntakeOutcome::Kind::kOpened) {
      Count("cases_opened_" + o.detail.substr(0, o.detail.find(' ')));
    }
    log_(
        "message " + std::to_string(o.message_row) + ": " + std::string(OutcomeName(o.kind)) +
        (o.reference.empty() ? "" : " " + o.reference) +
        (o.detail.empty() || o.kind == IntakeOutcome::Kind::kQuarantined ? ""
                                                                         : " (" + o.detail + ")") +
        (o.kind == IntakeOutcome::Kind::kQuarantined ? " (see complaintsctl for the reason)" : ""));
  }
}

void Service::CheckOutage() {
  const Instant now = parts_.clock->Now();
  const bool down = outage_since_.has_value() && !status().mailbox_ok;
  const std::string& admin = parts_.mailer->settings().admin_address;
  auto tell = [&](const std::string& what) {
    if (admin.empty()) return;
    parts_.store->InTransaction([&](StoreTransaction& txn) -> Status {
      CaseMailer::Outgoing mail;
      mail.template_name = "mailbox-outage";
      mail.to = {"", admin};
      mail.values = {{"state", what},
                     {"since", FormatLondonIso(*outage_since_)},
                     {"problem", status().problem},
                     {"mailbox", parts_.source->Name()}};
      mail.automatic = false;
      mail.unique =
          "outage-" + what + "-" + std::to_string(outage_since_->time_since_epoch().count());
      Result<std::optional<OutboxItem>> queued = parts_.mailer->Queue(txn, mail, nullptr);
      return queued ? Status::Ok() : queued.status();
    });
  };
  if (down && !outage_reported_ && now - *outage_since_ >= timing_.outage_alert_after) {
    outage_reported_ = true;
    log_("mailbox unreachable since " + FormatLondonIso(*outage_since_) + ": admin told");
    tell("down");
  } else if (!down && outage_reported_) {
    outage_reported_ = false;
    log_("mailbox reachable again");
    tell("recovered");
  }
}

void Service::OutboxPass() {
  Result<OutboxSender::Pass> pass = parts_.outbox->RunOnce();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!pass) {
    status_.store_ok = false;
    status_.problem = "outbox: " + pass.error();
    return;
  }
  outbox_more_ = pass->more;
  status_.sender_ok = pass->retried == 0 || pass->sent > 0;
  if (!status_.sender_ok) status_.problem = "sender: messages are waiting to be retried";
  status_.counters["mail_sent"] += pass->sent;
  status_.counters["mail_retried"] += pass->retried;
  status_.counters["mail_failed"] += pass->failed;
}

void Service::DeadlinePass() {
  const Instant now = parts_.clock->Now();
  if (last_deadline_pass_ && now - *last_deadline_pass_ < timing_.deadline_interval) return;
  last_deadline_pass_ = now;
  Result<DeadlineWatcher::Pass> pass = parts_.deadlines->RunOnce();
  if (!pass) {
    log_("deadline watcher error: " + pass.error());
    return;
  }
  Count("deadlines_warned", pass->warned);
  Count("deadlines_breached", pass->breached);
  if (parts_.digest != nullptr) {
    Result<bool> digest = parts_.digest->RunOnce();
    if (!digest) log_("daily digest: " + digest.error());
    if (digest && *digest) log_("daily digest queued for the complaints manager");
  }
  if (parts_.monthly != nullptr) {
    Result<int> monthly = parts_.monthly->RunOnce();
    if (!monthly) log_("monthly view: " + monthly.error());
    if (monthly && *monthly > 0) {
      log_("monthly view queued for " + std::to_string(*monthly) + " recipient(s)");
    }
  }
  if (parts_.retention != nullptr) {
    Result<std::optional<RemovalCounts>> removed = parts_.retention->RunDaily();
    if (!removed) log_("retention: " + removed.error());
    if (removed && *removed) {
      const RemovalCounts& r = **removed;
      Count("retention_cases_removed", r.cases);
      if (r.cases + r.contacts + r.spam + r.unfiled + r.held > 0) log_(DescribeRemoval(r, false));
    }
  }
  if (pass->warned + pass->breached > 0) {
    log_("deadlines: " + std::to_string(pass->warned) + " warned, " +
         std::to_string(pass->breached) + " breached");
  }
}

void Service::Run(const std::atomic<bool>& stop) {
  stop_ = &stop;
  while (!stop.load()) {
    RunOnce();
    if (stop.load()) break;
    if (mailbox_backoff_.count() > 0) {
      // The mailbox is down: wait (in small steps, to stop promptly), then try again.
      for (auto waited = std::chrono::milliseconds{0}; waited < mailbox_backoff_ && !stop.load();
           waited += std::chrono::milliseconds{100}) {
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
        Alive();
      }
      continue;
    }
    // A backlog in the outbox (after an outage, or a flood of mail) is sent batch after batch
    // without waiting, with a look at the mailbox between batches.
    if (outbox_more_) continue;
    if (Status s = parts_.source->WaitForMail(timing_.max_wait); !s) {
      log_("waiting for mail: " + s.error());
    }
    Alive();
  }
  stop_ = nullptr;
}

}  // namespace complaints
