#include "daemon/ctl/commands.h"

#include <fstream>

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
#include "daemon/staff/case_json.h"
#include "daemon/staff/staff_actions.h"

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
    "  withdraw REF --reason TEXT   the resident withdrew it: its clocks stop\n"
    "  area REF --area AREA   confirm or change the suggested service area: repairs,\n"
    "          damp_and_mould, asb_handling, staff_conduct, communication, rent_and_charges,\n"
    "          estate_services, other\n"
    "  learning REF --what TEXT --owner NAME [--due YYYY-MM-DD]   what will change because of it\n"
    "  learning-done REF ID\n"
    "  ombudsman REF [--outcome O]   the resident went to the Housing Ombudsman (--at: when we\n"
    "          were told); later, its determination: severe_maladministration, maladministration,\n"
    "          service_failure, reasonable_redress, no_maladministration, outside_jurisdiction\n"
    "  document REF ID (--out FILE | --text)   a kept document (a scanned letter) or its text\n"
    "  hold REF --reason TEXT   a legal hold: retention and erasure leave the case alone\n"
    "  unhold REF --reason TEXT\n"
    "every action but list, show and document takes --at ISO: when it happened (a call made\n"
    "yesterday), not in the future nor before the case's latest event; the history keeps both\n"
    "types: complaint comment compliment service_request asb; "
    "channels: email letter phone visit web\n";

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
  if (!c.service_area.empty()) {
    out << "service area: " << c.service_area;
    if (!c.service_area_by.empty()) {
      out << " (confirmed by " << c.service_area_by << ")";
    } else if (c.service_area_confidence) {
      out << " (suggested, confidence " << static_cast<int>(*c.service_area_confidence * 100 + 0.5)
          << "%: confirm with 'cases area')";
    }
    out << "\n";
  }
  if (c.ombudsman_at) {
    out << "Housing Ombudsman: since " << FormatLondonIso(*c.ombudsman_at)
        << (c.ombudsman_outcome.empty() ? ", no determination yet" : ", " + c.ombudsman_outcome)
        << "\n";
  }
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
  for (const LearningAction& l : c.learning) {
    out << "learning " << l.id << ": " << l.what << " (owner " << l.owner;
    if (l.due_on) out << ", due " << FormatDay(*l.due_on);
    out << (l.done_at ? "), done" : "), outstanding") << "\n";
  }
  for (const HistoryEntry& h : history) {
    out << FormatLondonIso(h.at) << "  " << h.actor << "  " << h.action << "  " << h.detail;
    if (h.recorded_at) out << "  (recorded " << FormatLondonIso(*h.recorded_at) << ")";
    out << "\n";
  }
}

// The command line's options as a staff action's fields (the same names: see staff_actions.h).
ActionFields FieldsOf(const CommandLine& line, const CommandLine::Spec& spec) {
  ActionFields fields;
  for (const std::string& name : spec.value_options) {
    for (const std::string& value : line.GetAll(name)) fields.Add(name, value);
  }
  for (const std::string& name : spec.flags) {
    if (line.Has(name)) fields.Add(name, "yes");
  }
  return fields;
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
               "representative-email", "representative-phone", "at"},
              {"pre-formal", "json"})},
        {"list", with({"status"}, {"json", "all", "triage"})},
        {"show", with({}, {"json"})},
        {"ack", with({"at"})},
        {"define", with({"definition", "outcome-sought", "at"})},
        {"assign", with({"handler", "at"})},
        {"extend", with({"working-days", "reason", "at"})},
        {"respond", with({"outcome", "financial", "action", "summary", "at"}, {"apology"})},
        {"escalate", with({"at"}, {"accept-late"})},
        {"resolve", with({"summary", "at"})},
        {"refuse", with({"reason", "detail", "at"})},
        {"close", with({"note", "at"})},
        {"reopen", with({"reason", "at"})},
        {"note", with({"text", "at"})},
        {"relabel", with({"label", "reason", "at"})},
        {"withdraw", with({"reason", "at"})},
        {"action-done", with({"at"})},
        {"area", with({"area", "at"})},
        {"learning", with({"what", "owner", "due", "at"})},
        {"learning-done", with({"at"})},
        {"ombudsman", with({"outcome", "at"})},
        {"document", with({"out"}, {"text"})},
        {"hold", with({"reason"})},
        {"unhold", with({"reason"})},
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
  return CaseToJson(c, all_deadlines).dump();
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
  if (verb == "hold" || verb == "unhold") return RunCaseHoldCommand(verb, *line, out, err);
  const std::vector<std::string>& words = line->positional();
  const size_t wanted = verb == "open" || verb == "list" ? 0
                        : verb == "action-done" || verb == "document" || verb == "learning-done"
                            ? 2
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
  StaffDesk desk{*session.store, engine,        session.mailer.get(),
                 session.policy, session.clock, "complaintsctl"};
  const std::string actor = CtlActor(*line);
  if (verb == "list") return List(*line, session, out, err);
  if (verb == "open") {
    const ActionFields fields = FieldsOf(*line, spec->second);
    if (Result<OpenRequest> request = ReadOpenRequest(fields); !request) {
      return Fail(err, verb, request.error(), 2);
    }
    Result<CaseRecord> opened = OpenStaffCase(desk, fields, actor);
    if (!opened) return Fail(err, verb, opened.error(), 1);
    out << (line->Has("json") ? CaseJsonLine(*opened, false) : opened->reference) << '\n';
    return 0;
  }
  if (verb == "show") {
    Result<CaseRecord> c = session.store->FindCase(words[0]);
    if (!c) return Fail(err, verb, c.error(), 1);
    Result<std::unique_ptr<SqlitePrivacyStore>> privacy = OpenCtlPrivacy(*line);
    if (!privacy) return Fail(err, verb, privacy.error(), 2);
    Result<std::optional<CaseHold>> hold = (*privacy)->HoldOn(c->reference);
    if (!hold) return Fail(err, verb, "cannot read the case's legal hold: " + hold.error(), 2);
    if (Status logged = LogCtlRead(**privacy, *line, "case", c->id); !logged) {
      return Fail(err, verb, logged.error(), 2);
    }
    if (line->Has("json")) {
      nlohmann::json j = CaseToJson(*c, true);
      j["legal_hold"] = nullptr;
      if (*hold) {
        j["legal_hold"] = {{"since", FormatLondonIso((*hold)->at)},
                           {"by", (*hold)->actor},
                           {"reason", (*hold)->reason}};
      }
      out << j.dump() << '\n';
      return 0;
    }
    Result<std::vector<HistoryEntry>> history = session.store->History(c->id);
    Result<Contact> contact = session.store->GetContact(c->contact_id);
    if (!history || !contact) return Fail(err, verb, "cannot read the case's history", 2);
    if (*hold) {
      out << "LEGAL HOLD since " << FormatLondonIso((*hold)->at) << " by " << (*hold)->actor << ": "
          << (*hold)->reason
          << "\n  (kept past the retention schedule; no erasure or correction of its people until "
             "'complaintsctl cases unhold')\n";
    }
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
    const std::optional<std::string> file = line->Get("out");
    if (!file && !line->Has("text")) return Fail(err, verb, "say where: --out FILE, or --text", 2);
    if (Status logged = LogCtlRead(*line, "document", c->id, std::nullopt,
                                   doc->filename + (line->Has("text") ? " (its text)" : ""));
        !logged) {
      return Fail(err, verb, logged.error(), 2);
    }
    if (line->Has("text")) {
      out << doc->text << (doc->text.empty() || doc->text.back() == '\n' ? "" : "\n");
      return 0;
    }
    std::ofstream save(*file, std::ios::binary | std::ios::trunc);
    save.write(doc->bytes.data(), static_cast<std::streamsize>(doc->bytes.size()));
    save.close();
    if (!save) return Fail(err, verb, *file + ": cannot be written", 1);
    out << *file << ": " << doc->bytes.size() << " bytes (" << doc->content_type << ")\n";
    return 0;
  }
  ActionFields fields = FieldsOf(*line, spec->second);
  if (verb == "action-done" || verb == "learning-done") fields.Add("id", words[1]);
  Result<CaseRecord> changed = RunStaffAction(desk, verb, words[0], fields, actor);
  if (!changed)
    return Fail(err, verb, changed.error(),
                changed.error().rfind("missing", 0) == 0 || changed.error().rfind("invalid", 0) == 0
                    ? 2
                    : 1);
  out << changed->reference << ": " << changed->status << ", stage " << changed->stage << '\n';
  return 0;
}

}  // namespace complaints
