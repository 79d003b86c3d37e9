#include "daemon/staff/staff_actions.h"

#include <algorithm>

#include "daemon/base/command_line.h"
#include "daemon/calendar/bank_holidays.h"
#include "daemon/calendar/london_time.h"
#include "daemon/intake/triage.h"

namespace complaints {
namespace {

using R = Result<CaseRecord>;

Result<std::string> Required(const ActionFields& fields, const std::string& name) {
  if (auto v = fields.Get(name)) return *v;
  return Result<std::string>::Error("missing --" + name);
}

Result<std::optional<Instant>> OptionalInstant(const ActionFields& fields,
                                               const std::string& name) {
  auto text = fields.Get(name);
  if (!text) return std::optional<Instant>();
  Result<Instant> at = ParseIsoInstant(*text);
  if (!at) return Result<std::optional<Instant>>::Error("invalid --" + name + ": " + at.error());
  return std::optional<Instant>(*at);
}

Result<StageResponse> ReadResponse(const ActionFields& fields) {
  StageResponse r;
  Result<std::string> outcome = Required(fields, "outcome");
  if (!outcome) return outcome.status();
  if (*outcome != "upheld" && *outcome != "partly_upheld" && *outcome != "not_upheld") {
    return Result<StageResponse>::Error("invalid --outcome '" + *outcome +
                                        "': upheld, partly_upheld or not_upheld");
  }
  r.outcome = *outcome;
  r.apology = fields.Has("apology");
  r.summary = fields.Get("summary").value_or("");
  for (const std::string& item : fields.GetAll("financial")) {
    const size_t colon = item.find(':');
    const std::string amount = item.substr(0, colon);
    const size_t dot = amount.find('.');
    Result<long> pounds = ParseWholeNumber(amount.substr(0, dot), "amount in pounds", 0, 1000000);
    Result<long> pence = dot == std::string::npos
                             ? Result<long>(0L)
                             : ParseWholeNumber(amount.substr(dot + 1), "pence", 0, 99);
    if (!pounds || !pence || colon == std::string::npos || colon + 1 == item.size() ||
        (dot != std::string::npos && amount.size() - dot != 3)) {
      return Result<StageResponse>::Error("invalid --financial '" + item +
                                          "': expected POUNDS:WHAT, e.g. 150.00:distress");
    }
    r.financial.push_back({*pounds * 100 + *pence, item.substr(colon + 1)});
  }
  for (const std::string& item : fields.GetAll("action")) {
    ActionRecord a;
    const size_t at = item.rfind('@');
    a.description = item.substr(0, at);
    if (at != std::string::npos) {
      Result<std::chrono::sys_days> due = ParseDay(item.substr(at + 1));
      if (!due)
        return Result<StageResponse>::Error("invalid --action '" + item + "': " + due.error());
      a.due_on = *due;
    }
    r.actions.push_back(a);
  }
  return r;
}

// The letter a staff action sends the resident, queued with the change; none without a mailer.
CaseEngine::Hook Letter(StaffDesk& desk, const std::string& template_name, nlohmann::json extra) {
  if (!desk.mailer) return nullptr;
  return [&desk, template_name, extra](StoreTransaction& txn, CaseRecord& c,
                                       std::vector<HistoryEntry>& h) -> Status {
    Result<Contact> resident = desk.store.GetContact(c.contact_id);
    if (!resident) return resident.status();
    if (resident->emails.empty()) {
      h.push_back({desk.clock.Now(), desk.system_actor, "mail_not_sent",
                   template_name + ": the resident has no email address; send it by post"});
      return Status::Ok();
    }
    CaseMailer::Outgoing mail;
    mail.template_name = template_name;
    mail.to = {resident->name, resident->emails.front()};
    mail.values = desk.mailer->CaseValues(c, *resident);
    for (const auto& [key, value] : extra.items()) mail.values[key] = value;
    mail.automatic = false;  // written by a person
    mail.case_id = c.id;
    mail.reference = c.reference;
    mail.unique = template_name + "-v" + std::to_string(c.version);
    std::string why;
    Result<std::optional<OutboxItem>> queued = desk.mailer->Queue(txn, mail, &why);
    if (!queued) return queued.status();
    h.push_back({desk.clock.Now(), desk.system_actor,
                 queued.value() ? "mail_queued" : "mail_suppressed",
                 queued.value() ? template_name + " to the resident" : why});
    return Status::Ok();
  };
}

// What changed on a case since the person loaded it, in words: the history entries after theirs.
std::string WhatChanged(CaseStore& store, const CaseRecord& now, const SeenCase& seen) {
  std::string out = "changed since you loaded it (someone else acted on it); reload it and check";
  Result<std::vector<HistoryEntry>> history = store.History(now.id);
  if (!history || history->size() <= seen.history_entries) return out;
  out += ": ";
  for (size_t i = seen.history_entries; i < history->size(); ++i) {
    const HistoryEntry& e = (*history)[i];
    if (i > seen.history_entries) out += "; ";
    out += FormatLondonIso(e.at) + " " + e.actor + " " + e.action;
    if (!e.detail.empty()) out += " (" + e.detail + ")";
  }
  return out;
}

// Refuses the write when another writer got there between the page check and this transaction.
CaseEngine::Hook Guarded(std::optional<SeenCase> seen, CaseEngine::Hook then) {
  if (!seen) return then;
  return [version = seen->version, then](StoreTransaction& txn, CaseRecord& c,
                                         std::vector<HistoryEntry>& h) -> Status {
    if (c.version != version) {
      return Status::Error(c.reference + " changed since you loaded it; reload it and check");
    }
    return then ? then(txn, c, h) : Status::Ok();
  };
}

// Dates the engine's operations at `--at` for one action, and back to now afterwards.
class ActingAt {
 public:
  explicit ActingAt(CaseEngine& engine) : engine_(engine) {}
  ~ActingAt() { (void)engine_.SetActingAt(std::nullopt); }
  ActingAt(const ActingAt&) = delete;
  ActingAt& operator=(const ActingAt&) = delete;
  Status Set(std::optional<Instant> at) { return engine_.SetActingAt(at); }

 private:
  CaseEngine& engine_;
};

R Dispatch(StaffDesk& desk, const std::string& verb, const std::string& ref,
           const ActionFields& fields, const std::string& actor, std::optional<SeenCase> seen) {
  CaseEngine& engine = desk.engine;
  auto need = [&](const std::string& name) { return Required(fields, name); };
  auto guard = [&](CaseEngine::Hook then = nullptr) { return Guarded(seen, std::move(then)); };
  if (verb == "ack") {
    Result<std::optional<Instant>> at = OptionalInstant(fields, "at");
    if (!at) return R(at.status());
    return engine.Acknowledge(ref, actor, *at, guard());
  }
  if (verb == "define") {
    Result<std::string> d = need("definition");
    if (!d) return R(d.status());
    return engine.Define(ref, *d, fields.Get("outcome-sought").value_or(""), actor, guard());
  }
  if (verb == "assign") {
    const std::vector<std::string> handlers = fields.GetAll("handler");
    if (handlers.empty()) return R::Error("missing --handler");
    return engine.Assign(ref, handlers, actor, guard());
  }
  if (verb == "extend") {
    Result<std::string> days = need("working-days");
    if (!days) return R(days.status());
    Result<long> n = ParseWholeNumber(*days, "number of working days", 1, 60);
    if (!n) return R::Error("invalid --working-days: " + n.error());
    Result<std::string> reason = need("reason");
    if (!reason) return R(reason.status());
    return engine.Extend(ref, static_cast<int>(*n), *reason, actor,
                         guard(Letter(desk, "extension", {{"extension_reason", *reason}})));
  }
  if (verb == "respond") {
    Result<StageResponse> response = ReadResponse(fields);
    if (!response) return R(response.status());
    return engine.Respond(ref, *response, actor,
                          guard(Letter(desk, "stage-response-cover",
                                       {{"outcome_words", OutcomeWords(response->outcome)},
                                        {"remedy", RemedyWords(*response)}})));
  }
  if (verb == "escalate") {
    Result<std::optional<Instant>> at = OptionalInstant(fields, "at");
    if (!at) return R(at.status());
    return engine.Escalate(ref, actor, *at, fields.Has("accept-late"), guard());
  }
  if (verb == "resolve") {
    Result<std::string> summary = need("summary");
    if (!summary) return R(summary.status());
    Result<CaseRecord> c = desk.store.FindCase(ref);
    const bool quick_fix = c && c->type == CaseType::kComplaint && c->stage == 0 &&
                           desk.policy.pre_formal && desk.policy.pre_formal->kind == "quick_fix";
    return engine.Resolve(
        ref, *summary, actor,
        guard(quick_fix ? Letter(desk, "quick-fix-confirmation", {{"resolution", *summary}})
                        : nullptr));
  }
  if (verb == "refuse") {
    Result<std::string> reason = need("reason");
    if (!reason) return R(reason.status());
    const RefusalReason* known = desk.policy.FindRefusalReason(*reason);
    return engine.Refuse(
        ref, *reason, fields.Get("detail").value_or(""), actor,
        guard(Letter(desk, "refusal", {{"refusal_reason", known ? known->text : *reason}})));
  }
  if (verb == "close") return engine.Close(ref, fields.Get("note").value_or(""), actor, guard());
  if (verb == "reopen") {
    Result<std::string> reason = need("reason");
    if (!reason) return R(reason.status());
    return engine.Reopen(ref, *reason, actor, guard());
  }
  if (verb == "note") {
    Result<std::string> text = need("text");
    if (!text) return R(text.status());
    return engine.Note(ref, *text, actor, guard());
  }
  if (verb == "withdraw") {
    Result<std::string> reason = need("reason");
    if (!reason) return R(reason.status());
    return engine.Withdraw(ref, *reason, actor, guard());
  }
  if (verb == "action-done") {
    Result<std::string> id_text = need("id");
    if (!id_text) return R(id_text.status());
    Result<long> id = ParseWholeNumber(*id_text, "action id", 1, 1L << 40);
    if (!id) return R::Error("invalid action id: " + id.error());
    return engine.CompleteAction(ref, *id, actor, guard());
  }
  if (verb == "area") {
    Result<std::string> area = need("area");
    if (!area) return R(area.status());
    return engine.SetServiceArea(ref, *area, actor, guard());
  }
  if (verb == "learning") {
    LearningAction l;
    Result<std::string> what = need("what");
    if (!what) return R(what.status());
    Result<std::string> owner = need("owner");
    if (!owner) return R(owner.status());
    l.what = *what;
    l.owner = *owner;
    if (auto due = fields.Get("due")) {
      Result<std::chrono::sys_days> day = ParseDay(*due);
      if (!day) return R::Error("invalid --due: " + day.error());
      l.due_on = *day;
    }
    return engine.AddLearning(ref, l, actor, guard());
  }
  if (verb == "learning-done") {
    Result<std::string> id_text = need("id");
    if (!id_text) return R(id_text.status());
    Result<long> id = ParseWholeNumber(*id_text, "learning action id", 1, 1L << 40);
    if (!id) return R::Error("invalid learning action id: " + id.error());
    return engine.CompleteLearning(ref, *id, actor, guard());
  }
  if (verb == "ombudsman") {
    return engine.RecordOmbudsman(ref, fields.Get("outcome").value_or(""), actor, guard());
  }
  if (verb == "relabel") {
    Result<std::string> label = need("label");
    if (!label) return R(label.status());
    Result<CaseType> type = ParseCaseType(*label);
    if (!type) {
      return R::Error("invalid --label '" + *label +
                      "': complaint, comment, compliment, service_request or asb");
    }
    Result<std::string> reason = need("reason");
    if (!reason) return R(reason.status());
    Result<CaseRecord> current = desk.store.FindCase(ref);
    if (!current) return current;
    if (!IsInTriage(*current)) return engine.Relabel(ref, *type, *reason, actor, guard());
    if (!desk.mailer) {
      return R::Error(
          "is on the triage list: settling its label sends the resident a letter, so give "
          "--config (the daemon's configuration file, for its templates and outbox)");
    }
    // SettleLabel runs its own transaction; the page check above is what guards it.
    return SettleLabel(engine, desk.store, *desk.mailer, ref, *type, *reason, actor);
  }
  return R::Error("unknown action '" + verb + "'");
}

}  // namespace

void ActionFields::Add(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
}

bool ActionFields::Has(const std::string& name) const {
  return std::any_of(items_.begin(), items_.end(),
                     [&](const auto& item) { return item.first == name; });
}

std::optional<std::string> ActionFields::Get(const std::string& name) const {
  std::optional<std::string> out;
  for (const auto& [key, value] : items_) {
    if (key == name && !value.empty()) out = value;
  }
  return out;
}

std::vector<std::string> ActionFields::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : items_) {
    if (key == name && !value.empty()) out.push_back(value);
  }
  return out;
}

const std::vector<std::string>& StaffVerbs() {
  static const std::vector<std::string> verbs = {
      "ack",      "define",      "assign", "extend",   "respond",       "escalate",
      "resolve",  "refuse",      "close",  "reopen",   "note",          "relabel",
      "withdraw", "action-done", "area",   "learning", "learning-done", "ombudsman"};
  return verbs;
}

Result<CaseRecord> RunStaffAction(StaffDesk& desk, const std::string& verb, const std::string& ref,
                                  const ActionFields& fields, const std::string& actor,
                                  std::optional<SeenCase> seen) {
  if (seen) {
    Result<CaseRecord> now = desk.store.FindCase(ref);
    if (!now) return now;
    if (now->version != seen->version) return R::Error(WhatChanged(desk.store, *now, *seen));
  }
  Result<std::optional<Instant>> at = OptionalInstant(fields, "at");
  if (!at) return R(at.status());
  ActingAt acting(desk.engine);
  if (Status s = acting.Set(*at); !s) return R(s);
  return Dispatch(desk, verb, ref, fields, actor, seen);
}

Result<OpenRequest> ReadOpenRequest(const ActionFields& fields) {
  using O = Result<OpenRequest>;
  OpenRequest r;
  Result<std::string> type = Required(fields, "type");
  if (!type) return type.status();
  Result<CaseType> parsed_type = ParseCaseType(*type);
  if (!parsed_type) return O::Error("invalid --type: " + parsed_type.error());
  r.type = *parsed_type;
  Result<std::string> channel = Required(fields, "channel");
  if (!channel) return channel.status();
  Result<Channel> parsed_channel = ParseChannel(*channel);
  if (!parsed_channel) return O::Error("invalid --channel: " + parsed_channel.error());
  r.channel = *parsed_channel;
  r.contact.name = fields.Get("name").value_or("");
  r.contact.emails = fields.GetAll("email");
  r.contact.phone = fields.Get("phone").value_or("");
  r.contact.address = fields.Get("address").value_or("");
  r.contact.tenancy_ref = fields.Get("tenancy").value_or("");
  r.contact.vulnerabilities = fields.Get("vulnerabilities").value_or("");
  r.contact.adjustments = fields.Get("adjustments").value_or("");
  r.contact.restrictions = fields.Get("restrictions").value_or("");
  if (fields.Get("representative-name") || fields.Get("representative-email")) {
    Contact rep;
    rep.name = fields.Get("representative-name").value_or("");
    if (auto email = fields.Get("representative-email")) rep.emails = {*email};
    rep.phone = fields.Get("representative-phone").value_or("");
    r.representative = rep;
  }
  r.summary = fields.Get("summary").value_or("");
  r.pre_formal = fields.Has("pre-formal");
  if (auto stage = fields.Get("stage")) {
    Result<long> n = ParseWholeNumber(*stage, "stage", 1, 9);
    if (!n) return O::Error("invalid --stage: " + n.error());
    r.start_stage = static_cast<int>(*n);
  }
  Result<std::optional<Instant>> received = OptionalInstant(fields, "received");
  if (!received) return received.status();
  r.received_at = *received;
  return r;
}

Result<CaseRecord> OpenStaffCase(StaffDesk& desk, const ActionFields& fields,
                                 const std::string& actor) {
  Result<OpenRequest> request = ReadOpenRequest(fields);
  if (!request) return R(request.status());
  Result<std::optional<Instant>> at = OptionalInstant(fields, "at");
  if (!at) return R(at.status());
  ActingAt acting(desk.engine);
  if (Status s = acting.Set(*at); !s) return R(s);
  return desk.engine.Open(*request, actor);
}

std::string OutcomeWords(const std::string& outcome) {
  if (outcome == "upheld") return "upheld";
  if (outcome == "partly_upheld") return "upheld in part";
  return "not upheld";
}

std::string RemedyWords(const StageResponse& r) {
  std::string out = r.apology ? "an apology" : "";
  for (const FinancialRemedy& f : r.financial) {
    const std::string pence = std::to_string(f.amount_pence % 100);
    out += (out.empty() ? "" : "; ") + std::string("£") + std::to_string(f.amount_pence / 100) +
           "." + (pence.size() < 2 ? "0" : "") + pence + " for " + f.what_for;
  }
  for (const ActionRecord& a : r.actions) {
    out += (out.empty() ? "" : "; ") + a.description +
           (a.due_on ? " by " + FormatDay(*a.due_on) : std::string());
  }
  return out;
}

}  // namespace complaints
