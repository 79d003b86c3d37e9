#include "daemon/ctl/commands.h"

#include <fstream>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "daemon/base/command_line.h"
#include "daemon/calendar/calendar_settings.h"
#include "daemon/calendar/london_time.h"
#include "daemon/cases/case_engine.h"
#include "daemon/cases/policy.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/ctl/session.h"
#include "daemon/intake/triage.h"

namespace complaints {
namespace {

using nlohmann::json;

constexpr const char* kUsage =
    "usage: complaintsctl [--db PATH] [--policy FILE] [--as NAME] cases COMMAND ...\n"
    "  open --type T --channel C [--name N] [--email E]... [--phone P] [--address A]\n"
    "       [--tenancy REF] [--vulnerabilities V] [--adjustments A] [--restrictions R]\n"
    "       [--representative-name N --representative-email E --representative-phone P]\n"
    "       [--summary S] [--received ISO]\n"
    "       [--pre-formal] [--stage N]       prints the new reference\n"
    "  list [--json] [--status S] [--all] [--triage]   (--triage: only the triage list)\n"
    "  show REF [--json]\n"
    "  ack REF [--at ISO]\n"
    "  define REF --definition TEXT [--outcome-sought TEXT]\n"
    "  assign REF --handler NAME [--handler NAME]...   (a panel: every member)\n"
    "  extend REF --working-days N --reason TEXT\n"
    "  respond REF --outcome upheld|partly_upheld|not_upheld [--apology]\n"
    "          [--financial POUNDS:WHAT]... [--action TEXT[@YYYY-MM-DD]]... [--summary S]\n"
    "  escalate REF [--at ISO] [--accept-late]\n"
    "  resolve REF --summary TEXT\n"
    "  refuse REF --reason CODE [--detail TEXT]\n"
    "  close REF [--note TEXT]\n"
    "  reopen REF --reason TEXT\n"
    "  note REF --text TEXT\n"
    "  relabel REF --label TYPE --reason TEXT   correct the classifier (kept as training data);\n"
    "          on a triage case, also confirm (the same label) and send the letter it calls for\n"
    "  action-done REF ID\n"
    "  document REF ID (--out FILE | --text)   a kept document (a scanned letter) or its text\n"
    "types: complaint comment compliment service_request asb; "
    "channels: email letter phone visit web\n";

std::string Actor(const CommandLine& line) {
  if (auto as = line.Get("as")) return *as;
  if (const char* user = std::getenv("USER")) return user;
  return "staff";
}

json DeadlinesJson(const CaseRecord& c, bool all) {
  json out = json::array();
  for (const Deadline& d : c.deadlines) {
    if (d.superseded_at && !all) continue;
    json item = {{"kind", d.kind},
                 {"stage", d.stage},
                 {"due_at", FormatLondonIso(d.due_at)},
                 {"met_at", d.met_at ? json(FormatLondonIso(*d.met_at)) : json(nullptr)}};
    if (all) {
      item["superseded_at"] =
          d.superseded_at ? json(FormatLondonIso(*d.superseded_at)) : json(nullptr);
    }
    out.push_back(item);
  }
  return out;
}

json CaseJson(const CaseRecord& c, bool all_deadlines) {
  const StageRecord* stage = c.CurrentStage();
  json actions = json::array();
  for (const ActionRecord& a : c.actions) {
    actions.push_back({{"id", a.id},
                       {"stage", a.stage},
                       {"description", a.description},
                       {"due_on", a.due_on ? json(FormatDay(*a.due_on)) : json(nullptr)},
                       {"done_at", a.done_at ? json(FormatLondonIso(*a.done_at)) : json(nullptr)}});
  }
  return {{"reference", c.reference},
          {"policy", c.policy_id},
          {"type", std::string(CaseTypeName(c.type))},
          {"channel", std::string(ChannelName(c.channel))},
          {"stage", c.stage},
          {"stage_name", stage ? stage->name : ""},
          {"status", c.status},
          {"received_at", FormatLondonIso(c.received_at)},
          {"handler", stage && !stage->handler.empty() ? json(stage->handler) : json(nullptr)},
          {"panel", stage ? stage->panel : std::vector<std::string>{}},
          {"summary", c.summary},
          {"definition", c.definition},
          {"outcome_sought", c.outcome_sought},
          {"needs_review", c.needs_review},
          {"flags", c.flags},
          {"refusal_reason", c.refusal_reason},
          {"deadlines", DeadlinesJson(c, all_deadlines)},
          {"actions", actions}};
}

Result<std::optional<Instant>> OptionalInstant(const CommandLine& line, const std::string& name) {
  auto text = line.Get(name);
  if (!text) return std::optional<Instant>();
  Result<Instant> at = ParseIsoInstant(*text);
  if (!at) return at.status();
  return std::optional<Instant>(*at);
}

Result<std::string> Required(const CommandLine& line, const std::string& name) {
  if (auto v = line.Get(name); v && !v->empty()) return *v;
  return Result<std::string>::Error("missing --" + name);
}

Result<OpenRequest> ReadOpenRequest(const CommandLine& line) {
  OpenRequest r;
  Result<std::string> type = Required(line, "type");
  if (!type) return type.status();
  Result<CaseType> parsed_type = ParseCaseType(*type);
  if (!parsed_type) return parsed_type.status();
  r.type = *parsed_type;
  Result<std::string> channel = Required(line, "channel");
  if (!channel) return channel.status();
  Result<Channel> parsed_channel = ParseChannel(*channel);
  if (!parsed_channel) return parsed_channel.status();
  r.channel = *parsed_channel;
  r.contact.name = line.Get("name").value_or("");
  r.contact.emails = line.GetAll("email");
  r.contact.phone = line.Get("phone").value_or("");
  r.contact.address = line.Get("address").value_or("");
  r.contact.tenancy_ref = line.Get("tenancy").value_or("");
  r.contact.vulnerabilities = line.Get("vulnerabilities").value_or("");
  r.contact.adjustments = line.Get("adjustments").value_or("");
  r.contact.restrictions = line.Get("restrictions").value_or("");
  if (line.Has("representative-name") || line.Has("representative-email")) {
    Contact rep;
    rep.name = line.Get("representative-name").value_or("");
    if (auto email = line.Get("representative-email")) rep.emails = {*email};
    rep.phone = line.Get("representative-phone").value_or("");
    r.representative = rep;
  }
  r.summary = line.Get("summary").value_or("");
  r.pre_formal = line.Has("pre-formal");
  if (auto stage = line.Get("stage")) {
    Result<long> n = ParseWholeNumber(*stage, "stage", 1, 9);
    if (!n) return n.status();
    r.start_stage = static_cast<int>(*n);
  }
  Result<std::optional<Instant>> received = OptionalInstant(line, "received");
  if (!received) return received.status();
  r.received_at = *received;
  return r;
}

Result<StageResponse> ReadResponse(const CommandLine& line) {
  StageResponse r;
  Result<std::string> outcome = Required(line, "outcome");
  if (!outcome) return outcome.status();
  r.outcome = *outcome;
  r.apology = line.Has("apology");
  r.summary = line.Get("summary").value_or("");
  for (const std::string& item : line.GetAll("financial")) {
    const size_t colon = item.find(':');
    const std::string amount = item.substr(0, colon);
    const size_t dot = amount.find('.');
    Result<long> pounds = ParseWholeNumber(amount.substr(0, dot), "amount in pounds", 0, 1000000);
    Result<long> pence = dot == std::string::npos
                             ? Result<long>(0L)
                             : ParseWholeNumber(amount.substr(dot + 1), "pence", 0, 99);
    if (!pounds || !pence || colon == std::string::npos ||
        (dot != std::string::npos && amount.size() - dot != 3)) {
      return Result<StageResponse>::Error("--financial '" + item +
                                          "': expected POUNDS:WHAT, e.g. 150.00:distress");
    }
    r.financial.push_back({*pounds * 100 + *pence, item.substr(colon + 1)});
  }
  for (const std::string& item : line.GetAll("action")) {
    ActionRecord a;
    const size_t at = item.rfind('@');
    a.description = item.substr(0, at);
    if (at != std::string::npos) {
      Result<std::chrono::sys_days> due = ParseDay(item.substr(at + 1));
      if (!due) return due.status();
      a.due_on = *due;
    }
    r.actions.push_back(a);
  }
  return r;
}

void PrintShow(const CaseRecord& c, const std::vector<HistoryEntry>& history,
               const Contact& contact, std::ostream& out) {
  out << c.reference << "  " << CaseTypeName(c.type) << " by " << ChannelName(c.channel)
      << ", status " << c.status << ", stage " << c.stage << "\n";
  out << "resident: " << contact.name;
  for (const std::string& e : contact.emails) out << " <" << e << ">";
  if (!contact.phone.empty()) out << ", " << contact.phone;
  out << "\n";
  if (!contact.vulnerabilities.empty())
    out << "vulnerabilities: " << contact.vulnerabilities << "\n";
  if (!contact.adjustments.empty())
    out << "reasonable adjustments: " << contact.adjustments << "\n";
  if (!contact.restrictions.empty())
    out << "contact restrictions: " << contact.restrictions << "\n";
  if (c.representative_id) out << "representative: contact " << *c.representative_id << "\n";
  out << "received: " << FormatLondonIso(c.received_at) << "\n";
  if (!c.summary.empty()) out << "summary: " << c.summary << "\n";
  if (!c.definition.empty()) out << "definition: " << c.definition << "\n";
  if (!c.outcome_sought.empty()) out << "outcome sought: " << c.outcome_sought << "\n";
  if (c.needs_review) out << "NEEDS REVIEW\n";
  for (const Deadline& d : c.deadlines) {
    out << "deadline: stage " << d.stage << " " << d.kind << " due " << FormatLondonIso(d.due_at);
    if (d.met_at) out << ", met " << FormatLondonIso(*d.met_at);
    if (d.superseded_at) out << ", superseded " << FormatLondonIso(*d.superseded_at);
    out << "\n";
  }
  for (const ActionRecord& a : c.actions) {
    out << "action " << a.id << ": " << a.description;
    if (a.due_on) out << " (due " << FormatDay(*a.due_on) << ")";
    out << (a.done_at ? ", done" : ", outstanding") << "\n";
  }
  for (const HistoryEntry& h : history) {
    out << FormatLondonIso(h.at) << "  " << h.actor << "  " << h.action << "  " << h.detail << "\n";
  }
}

// Runs one verb; `ref` is the positional reference where the verb takes one.
// The letter a staff action sends the resident, queued with the change; none without a mailer.
CaseEngine::Hook Letter(CtlSession& session, const std::string& template_name,
                        nlohmann::json extra) {
  if (!session.mailer) return nullptr;
  return [&session, template_name, extra](StoreTransaction& txn, CaseRecord& c,
                                          std::vector<HistoryEntry>& h) -> Status {
    Result<Contact> resident = session.store->GetContact(c.contact_id);
    if (!resident) return resident.status();
    if (resident->emails.empty()) {
      h.push_back({session.clock.Now(), "complaintsctl", "mail_not_sent",
                   template_name + ": the resident has no email address; send it by post"});
      return Status::Ok();
    }
    CaseMailer::Outgoing mail;
    mail.template_name = template_name;
    mail.to = {resident->name, resident->emails.front()};
    mail.values = session.mailer->CaseValues(c, *resident);
    for (const auto& [key, value] : extra.items()) mail.values[key] = value;
    mail.automatic = false;  // written by a person
    mail.case_id = c.id;
    mail.reference = c.reference;
    mail.unique = template_name + "-v" + std::to_string(c.version);
    std::string why;
    Result<std::optional<OutboxItem>> queued = session.mailer->Queue(txn, mail, &why);
    if (!queued) return queued.status();
    h.push_back({session.clock.Now(), "complaintsctl",
                 queued.value() ? "mail_queued" : "mail_suppressed",
                 queued.value() ? template_name + " to the resident" : why});
    return Status::Ok();
  };
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

Result<CaseRecord> Change(const std::string& verb, const std::string& ref, const CommandLine& line,
                          CaseEngine& engine, const std::string& actor, CtlSession& session) {
  using R = Result<CaseRecord>;
  auto need = [&](const std::string& name) { return Required(line, name); };
  if (verb == "ack") {
    Result<std::optional<Instant>> at = OptionalInstant(line, "at");
    if (!at) return R(at.status());
    return engine.Acknowledge(ref, actor, *at);
  }
  if (verb == "define") {
    Result<std::string> d = need("definition");
    if (!d) return R(d.status());
    return engine.Define(ref, *d, line.Get("outcome-sought").value_or(""), actor);
  }
  if (verb == "assign") {
    const std::vector<std::string> handlers = line.GetAll("handler");
    if (handlers.empty()) return R::Error("missing --handler");
    return engine.Assign(ref, handlers, actor);
  }
  if (verb == "extend") {
    Result<std::string> days = need("working-days");
    if (!days) return R(days.status());
    Result<long> n = ParseWholeNumber(*days, "number of working days", 1, 60);
    if (!n) return R(n.status());
    Result<std::string> reason = need("reason");
    if (!reason) return R(reason.status());
    return engine.Extend(ref, static_cast<int>(*n), *reason, actor,
                         Letter(session, "extension", {{"extension_reason", *reason}}));
  }
  if (verb == "respond") {
    Result<StageResponse> response = ReadResponse(line);
    if (!response) return R(response.status());
    return engine.Respond(ref, *response, actor,
                          Letter(session, "stage-response-cover",
                                 {{"outcome_words", OutcomeWords(response->outcome)},
                                  {"remedy", RemedyWords(*response)}}));
  }
  if (verb == "escalate") {
    Result<std::optional<Instant>> at = OptionalInstant(line, "at");
    if (!at) return R(at.status());
    return engine.Escalate(ref, actor, *at, line.Has("accept-late"));
  }
  if (verb == "resolve") {
    Result<std::string> summary = need("summary");
    if (!summary) return R(summary.status());
    Result<CaseRecord> c = session.store->FindCase(ref);
    const bool quick_fix = c && c->type == CaseType::kComplaint && c->stage == 0 &&
                           session.policy.pre_formal &&
                           session.policy.pre_formal->kind == "quick_fix";
    return engine.Resolve(
        ref, *summary, actor,
        quick_fix ? Letter(session, "quick-fix-confirmation", {{"resolution", *summary}})
                  : nullptr);
  }
  if (verb == "refuse") {
    Result<std::string> reason = need("reason");
    if (!reason) return R(reason.status());
    const RefusalReason* known = session.policy.FindRefusalReason(*reason);
    return engine.Refuse(
        ref, *reason, line.Get("detail").value_or(""), actor,
        Letter(session, "refusal", {{"refusal_reason", known ? known->text : *reason}}));
  }
  if (verb == "close") return engine.Close(ref, line.Get("note").value_or(""), actor);
  if (verb == "reopen") {
    Result<std::string> reason = need("reason");
    if (!reason) return R(reason.status());
    return engine.Reopen(ref, *reason, actor);
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
    Result<CaseRecord> current = session.store->FindCase(ref);
    if (!current) return current;
    if (!IsInTriage(*current)) return engine.Relabel(ref, *type, *reason, actor);
    if (!session.mailer) {
      return R::Error(
          "is on the triage list: settling its label sends the resident a letter, so give "
          "--config (the daemon's configuration file, for its templates and outbox)");
    }
    return SettleLabel(engine, *session.store, *session.mailer, ref, *type, *reason, actor);
  }
  if (verb == "note") {
    Result<std::string> text = need("text");
    if (!text) return R(text.status());
    return engine.Note(ref, *text, actor);
  }
  return R::Error("unknown cases command '" + verb + "'");
}

const std::map<std::string, CommandLine::Spec>& Specs() {
  static const std::map<std::string, CommandLine::Spec> specs = [] {
    const std::set<std::string> common = {"db", "policy", "config", "as"};
    auto with = [&](std::set<std::string> values, std::set<std::string> flags = {}) {
      values.insert(common.begin(), common.end());
      return CommandLine::Spec{values, flags};
    };
    return std::map<std::string, CommandLine::Spec>{
        {"open",
         with({"type", "channel", "name", "email", "phone", "address", "tenancy", "vulnerabilities",
               "adjustments", "restrictions", "summary", "received", "stage", "representative-name",
               "representative-email", "representative-phone"},
              {"pre-formal", "json"})},
        {"list", with({"status"}, {"json", "all", "triage"})},
        {"show", with({}, {"json"})},
        {"ack", with({"at"})},
        {"define", with({"definition", "outcome-sought"})},
        {"assign", with({"handler"})},
        {"extend", with({"working-days", "reason"})},
        {"respond", with({"outcome", "financial", "action", "summary"}, {"apology"})},
        {"escalate", with({"at"}, {"accept-late"})},
        {"resolve", with({"summary"})},
        {"refuse", with({"reason", "detail"})},
        {"close", with({"note"})},
        {"reopen", with({"reason"})},
        {"note", with({"text"})},
        {"relabel", with({"label", "reason"})},
        {"action-done", with({})},
        {"document", with({"out"}, {"text"})},
    };
  }();
  return specs;
}

int Fail(std::ostream& err, const std::string& verb, const std::string& message, int code) {
  err << "complaintsctl cases " << verb << ": " << message << '\n';
  return code;
}

int List(const CommandLine& line, CtlSession& s, std::ostream& out, std::ostream& err) {
  CaseQuery query;
  query.status = line.Get("status");
  query.include_closed = line.Has("all");
  Result<std::vector<CaseRecord>> cases = s.store->ListCases(query);
  if (!cases) return Fail(err, "list", cases.error(), 2);
  for (const CaseRecord& c : *cases) {
    if (line.Has("triage") && !IsInTriage(c)) continue;
    if (line.Has("json")) {
      out << CaseJsonLine(c, false) << '\n';
      continue;
    }
    const StageRecord* stage = c.CurrentStage();
    const Deadline* next = nullptr;
    for (const Deadline& d : c.deadlines) {
      if (d.open() && (next == nullptr || d.due_at < next->due_at)) next = &d;
    }
    out << c.reference << "  " << CaseTypeName(c.type) << "  " << c.status << "  "
        << (stage ? stage->name : "") << "  "
        << (stage && !stage->handler.empty() ? stage->handler : "(no handler)");
    if (next) out << "  " << next->kind << " due " << FormatLondonIso(next->due_at);
    if (IsInTriage(c)) {
      const std::string alternative = TriageAlternative(c);
      out << "  TRIAGE: complaint" << (alternative.empty() ? "?" : " or " + alternative + "?");
    } else if (c.needs_review) {
      out << "  NEEDS REVIEW";
    }
    out << '\n';
  }
  return 0;
}

}  // namespace

std::string CaseJsonLine(const CaseRecord& c, bool all_deadlines) {
  return CaseJson(c, all_deadlines).dump();
}

int RunCasesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string verb = args[0];
  const auto spec = Specs().find(verb);
  if (spec == Specs().end()) return Fail(err, verb, std::string("unknown command\n") + kUsage, 2);
  Result<CommandLine> line = CommandLine::Parse({args.begin() + 1, args.end()}, spec->second);
  if (!line) return Fail(err, verb, line.error(), 2);
  const std::vector<std::string>& words = line->positional();
  const size_t wanted = verb == "open" || verb == "list"              ? 0
                        : verb == "action-done" || verb == "document" ? 2
                                                                      : 1;
  if (words.size() != wanted) {
    return Fail(err, verb,
                wanted == 0 ? "unexpected argument '" + words[0] + "'"
                            : "expected " + std::string(wanted == 2 ? "REF and ID" : "REF"),
                2);
  }
  CtlSession session;
  if (Status s = OpenCtlSession(*line, session); !s) return Fail(err, verb, s.error(), 2);
  CaseEngine engine(*session.store, session.policy, *session.hours, session.clock);
  const std::string actor = Actor(*line);
  if (verb == "list") return List(*line, session, out, err);
  if (verb == "open") {
    Result<OpenRequest> request = ReadOpenRequest(*line);
    if (!request) return Fail(err, verb, request.error(), 2);
    Result<CaseRecord> opened = engine.Open(*request, actor);
    if (!opened) return Fail(err, verb, opened.error(), 1);
    out << (line->Has("json") ? CaseJsonLine(*opened, false) : opened->reference) << '\n';
    return 0;
  }
  if (verb == "show") {
    Result<CaseRecord> c = session.store->FindCase(words[0]);
    if (!c) return Fail(err, verb, c.error(), 1);
    if (line->Has("json")) {
      out << CaseJsonLine(*c, true) << '\n';
      return 0;
    }
    Result<std::vector<HistoryEntry>> history = session.store->History(c->id);
    Result<Contact> contact = session.store->GetContact(c->contact_id);
    if (!history || !contact) return Fail(err, verb, "cannot read the case's history", 2);
    PrintShow(*c, *history, *contact, out);
    Result<std::vector<CaseDocument>> docs = session.store->Documents(c->id);
    if (!docs) return Fail(err, verb, docs.error(), 2);
    for (const CaseDocument& d : *docs) {
      out << "document " << d.id << ": " << d.filename << " (" << d.content_type << ", "
          << d.bytes.size() << " bytes"
          << (d.pages ? ", " + std::to_string(d.pages) + " page(s) read by " + d.method : "")
          << ")\n";
    }
    if (!docs->empty()) {
      out << "('complaintsctl cases document " << c->reference
          << " ID --out FILE' saves one; --text prints what was read from it)\n";
    }
    return 0;
  }
  if (verb == "document") {
    Result<CaseRecord> c = session.store->FindCase(words[0]);
    if (!c) return Fail(err, verb, c.error(), 1);
    Result<long> id = ParseWholeNumber(words[1], "document id", 1, 1L << 40);
    if (!id) return Fail(err, verb, id.error(), 2);
    Result<std::vector<CaseDocument>> docs = session.store->Documents(c->id);
    if (!docs) return Fail(err, verb, docs.error(), 2);
    const auto doc = std::find_if(docs->begin(), docs->end(),
                                  [&](const CaseDocument& d) { return d.id == *id; });
    if (doc == docs->end()) {
      return Fail(err, verb, "no document " + words[1] + " on " + c->reference, 1);
    }
    if (line->Has("text")) {
      out << doc->text << (doc->text.empty() || doc->text.back() == '\n' ? "" : "\n");
      return 0;
    }
    const std::optional<std::string> file = line->Get("out");
    if (!file) return Fail(err, verb, "say where: --out FILE, or --text", 2);
    std::ofstream save(*file, std::ios::binary | std::ios::trunc);
    save.write(doc->bytes.data(), static_cast<std::streamsize>(doc->bytes.size()));
    save.close();
    if (!save) return Fail(err, verb, *file + ": cannot be written", 1);
    out << *file << ": " << doc->bytes.size() << " bytes (" << doc->content_type << ")\n";
    return 0;
  }
  Result<CaseRecord> changed = Result<CaseRecord>::Error("");
  if (verb == "action-done") {
    Result<long> id = ParseWholeNumber(words[1], "action id", 1, 1L << 40);
    if (!id) return Fail(err, verb, id.error(), 2);
    changed = engine.CompleteAction(words[0], *id, actor);
  } else {
    changed = Change(verb, words[0], *line, engine, actor, session);
  }
  if (!changed)
    return Fail(err, verb, changed.error(),
                changed.error().rfind("missing", 0) == 0 || changed.error().rfind("invalid", 0) == 0
                    ? 2
                    : 1);
  out << changed->reference << ": " << changed->status << ", stage " << changed->stage << '\n';
  return 0;
}

}  // namespace complaints
