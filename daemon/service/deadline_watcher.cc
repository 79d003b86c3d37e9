#include "daemon/service/deadline_watcher.h"

#include "daemon/intake/triage.h"

#include "daemon/calendar/london_time.h"

namespace complaints {
namespace {

std::string ActionWords(const std::string& kind) {
  if (kind == deadline_kind::kAcknowledge) {
    return "acknowledge the complaint, with its definition, the handler and the response date";
  }
  if (kind == deadline_kind::kPreFormalResolve) {
    return "resolve the problem, or move it into the formal complaints process";
  }
  return "send the stage response";
}

bool LooksLikeAddress(const std::string& text) { return ValidateAddress(text).ok(); }

}  // namespace

std::string DeadlineWords(const std::string& kind, const std::string& stage_name) {
  if (kind == deadline_kind::kAcknowledge) return stage_name + " acknowledgement";
  if (kind == deadline_kind::kPreFormalResolve) return stage_name + " resolution";
  return stage_name + " response";
}

DeadlineWatcher::DeadlineWatcher(CaseStore& store, CaseMailer& mailer, const BusinessHours& hours,
                                 WatcherSettings settings, const Clock& clock)
    : store_(store),
      mailer_(mailer),
      hours_(hours),
      settings_(std::move(settings)),
      clock_(clock) {}

Instant DeadlineWatcher::WarnAt(Instant due) const {
  if (settings_.warn_hours) return due - *settings_.warn_hours;
  std::chrono::sys_days day = ToLondon(due).day;
  for (int i = 0; i < settings_.warn_working_days; ++i) {
    day = hours_.calendar().PreviousWorkingDay(day);
  }
  return FromLondon(day, settings_.start_of_day);
}

Result<DeadlineWatcher::Pass> DeadlineWatcher::RunOnce() {
  const Instant now = clock_.Now();
  // Far enough ahead to hold any warning due now: the lead time plus the longest run of
  // non-working days (Christmas and a closure week) in calendar days.
  const auto lookahead =
      settings_.warn_hours
          ? std::chrono::duration_cast<std::chrono::seconds>(*settings_.warn_hours)
          : std::chrono::seconds{std::chrono::days{2 * settings_.warn_working_days + 21}};
  Result<std::vector<WatchedDeadline>> due = store_.PendingDeadlines(now + lookahead, 10000);
  if (!due) return Result<Pass>(due.status());
  Pass pass;
  for (const WatchedDeadline& d : *due) {
    const bool breach = now >= d.due_at;
    if (!breach && (d.warned_at || now < WarnAt(d.due_at))) continue;
    if (Status s = Notify(d, breach, now); !s) return Result<Pass>(s);
    ++(breach ? pass.breached : pass.warned);
  }
  if (Status s = SettleTriage(now, pass); !s) return Result<Pass>(s);
  return pass;
}

void DeadlineWatcher::EnableTriageDecision(CaseEngine& engine, TriageDecision decision) {
  engine_ = &engine;
  decision_ = decision;
}

Status DeadlineWatcher::SettleTriage(Instant now, Pass& pass) {
  if (engine_ == nullptr || !decision_.treat_as_complaint) return Status::Ok();
  Result<std::vector<WatchedDeadline>> due = store_.OpenDeadlines(now + decision_.before, 10000);
  if (!due) return due.status();
  for (const WatchedDeadline& d : *due) {
    if (d.kind != deadline_kind::kAcknowledge) continue;
    Result<CaseRecord> c = store_.FindCase(d.reference);
    if (!c) return c.status();
    if (!IsInTriage(*c)) continue;
    Result<CaseRecord> settled = SettleLabel(
        *engine_, store_, mailer_, d.reference, CaseType::kComplaint,
        "nobody settled the label before the acknowledgement was due: treated as a complaint, "
        "the Code's preference (triage.at-deadline)",
        "complaintsd");
    if (!settled) return settled.status();
    ++pass.triage_settled;
  }
  return Status::Ok();
}

Status DeadlineWatcher::Notify(const WatchedDeadline& d, bool breach, Instant now) {
  return store_.InTransaction([&](StoreTransaction& txn) -> Status {
    Result<bool> marked =
        breach ? txn.MarkDeadlineBreached(d.id, now) : txn.MarkDeadlineWarned(d.id, now);
    if (!marked) return marked.status();
    if (!marked.value()) return Status::Ok();  // another process got there first
    Result<CaseRecord> c = txn.LoadCase(d.reference);
    if (!c) return c.status();
    const StageRecord* stage = nullptr;
    for (const StageRecord& s : c->stages) {
      if (s.number == d.stage) stage = &s;
    }
    const std::string stage_name = stage ? stage->name : "Stage " + std::to_string(d.stage);
    const std::string words = DeadlineWords(d.kind, stage_name);
    Contact resident;
    if (Result<Contact> r = store_.GetContact(c->contact_id)) resident = *r;
    nlohmann::json values = mailer_.CaseValues(*c, resident);
    values["stage_name"] = stage_name;
    values["deadline_words"] = words;
    values["due_words"] = DayInWords(d.due_at);
    values["due_time"] = FormatLondonClock(d.due_at);
    values["action_words"] = ActionWords(d.kind);
    if (d.kind == deadline_kind::kAcknowledge && IsInTriage(*c)) {
      const std::string alternative = TriageAlternative(*c);
      values["action_words"] =
          "this message is on the triage list: the classifier could not tell whether it is a "
          "complaint" +
          (alternative.empty() ? std::string() : " or a " + alternative) +
          ", and the resident has only had a receipt. Read it, then confirm or correct its "
          "label, which sends the right letter: complaintsctl --config FILE cases relabel " +
          c->reference + " --label complaint|" + (alternative.empty() ? "TYPE" : alternative) +
          " --reason \"...\"" +
          (engine_ != nullptr && decision_.treat_as_complaint
               ? ". If nobody does, it will be treated as a complaint and acknowledged shortly "
                 "before the deadline."
               : ". Nobody else will: it breaches if it is left.");
    }
    values["resident_notice_promised"] = settings_.resident_notice_promised;
    std::vector<std::string> to;
    if (!mailer_.settings().manager_address.empty())
      to.push_back(mailer_.settings().manager_address);
    if (stage && LooksLikeAddress(stage->handler)) to.push_back(stage->handler);
    if (breach && !settings_.board_member_address.empty()) {
      to.push_back(settings_.board_member_address);
    }
    for (const std::string& address : to) {
      CaseMailer::Outgoing mail;
      mail.template_name = breach ? "deadline-breach" : "deadline-warning";
      mail.to = {"", address};
      mail.values = values;
      mail.automatic = false;  // staff notices: the resident's reply cap does not apply
      mail.case_id = c->id;
      mail.unique = std::string(breach ? "breach-" : "warning-") + std::to_string(d.id) + "-" +
                    std::to_string(&address - to.data());
      Result<std::optional<OutboxItem>> queued = mailer_.Queue(txn, mail, nullptr);
      if (!queued) return queued.status();
    }
    return txn.AppendHistory(c->id,
                             {now, "complaintsd", breach ? "deadline_breached" : "deadline_warning",
                              words + " due " + FormatLondonIso(d.due_at) +
                                  (to.empty() ? "; nobody to tell (set mail.manager)" : "")});
  });
}

}  // namespace complaints
