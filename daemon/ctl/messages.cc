#include "daemon/ctl/commands.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <ostream>

#include "daemon/calendar/london_time.h"
#include "daemon/ctl/session.h"
#include "daemon/service/daemon_config.h"
#include "daemon/service/runtime.h"
#include "parsers/mail_parser.h"

namespace complaints {
namespace {

constexpr const char* kUsage =
    "usage: complaintsctl [--db PATH | --config FILE] messages list [--state STATE]...\n"
    "                                        [--since YYYY-MM-DD] [--json]\n"
    "  incoming mail received since that day (default: 30 days ago), as stored, in the states\n"
    "  given (default: review, quarantined and spam, the mail that opened no case; 'all' for\n"
    "  every state)\n"
    "usage: complaintsctl [--db PATH | --config FILE] messages show N [--raw]\n"
    "  one message: its state, why, its case, and what it says; --raw writes its bytes as they\n"
    "  arrived (redirect them to a .eml file to open it in a mail program)\n"
    "usage: complaintsctl --config FILE messages release N [--as NAME]\n"
    "  a message held as suspected spam (state spam) is handled as new mail now, with no spam\n"
    "  check: it may open a case, and its reply is queued for the daemon to send\n";

int Fail(std::ostream& err, const std::string& why, int code) {
  err << "complaintsctl messages: " << why << '\n';
  return code;
}

// Mail is untrusted: what reaches a terminal keeps its line breaks and tabs, but no other control
// character (an escape sequence could rewrite what staff see).
std::string Printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (u == 0xC2 && next >= 0x80 && next <= 0x9F) {  // U+0080-U+009F: C1 controls, CSI among them
      out += '?';
      ++i;
    } else {
      out += (u < 0x20 && u != '\n' && u != '\t') || u == 0x7F ? '?' : text[i];
    }
  }
  return out;
}

nlohmann::json Json(const MessageListing& m) {
  nlohmann::json v = {{"id", m.id},
                      {"received_at", FormatLondonIso(m.received_at)},
                      {"state", m.state},
                      {"reason", m.reason}};
  if (m.case_reference) v["case"] = *m.case_reference;
  return v;
}

int List(const CommandLine& line, CtlSession& session, std::ostream& out, std::ostream& err) {
  std::vector<std::string> states = line.GetAll("state");
  if (states.empty()) states = {"review", "quarantined", "spam"};
  if (std::find(states.begin(), states.end(), "all") != states.end()) states.clear();
  Instant since = FromLondon(ToLondon(session.clock.Now()).day - std::chrono::days{30},
                             std::chrono::seconds{0});
  if (auto day = line.Get("since")) {
    Result<Instant> at = ParseIsoInstant(*day + "T00:00:00Z");
    if (!at || day->size() != 10) return Fail(err, "--since wants a day, YYYY-MM-DD", 2);
    since = FromLondon(std::chrono::floor<std::chrono::days>(*at), std::chrono::seconds{0});
  }
  MessageQuery query;
  query.states = states;
  query.since = since;
  query.limit = 100000;
  Result<std::vector<MessageListing>> listed = session.store->ListMessages(query);
  if (!listed) return Fail(err, listed.error(), 1);
  for (const MessageListing& m : *listed) {
    if (line.Has("json")) {
      out << Json(m).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
      out << m.id << "  " << FormatLondonIso(m.received_at) << "  " << m.state
          << (m.case_reference ? "  " + *m.case_reference : "") << "  " << Printable(m.reason)
          << '\n';
    }
  }
  return 0;
}

int Show(const CommandLine& line, CtlSession& session, std::ostream& out, std::ostream& err) {
  Result<long> id = ParseWholeNumber(line.positional()[1], "message number", 1, 1L << 53);
  if (!id) return Fail(err, id.error(), 2);
  Result<std::optional<MessageListing>> found = session.store->DescribeMessage(*id);
  if (!found) return Fail(err, found.error(), 1);
  if (!*found) return Fail(err, "no incoming message " + std::to_string(*id), 1);
  Result<std::string> raw = session.store->MessageRaw(*id);
  if (!raw) return Fail(err, raw.error(), 1);
  std::optional<int64_t> case_id;
  if ((*found)->case_reference) {
    if (Result<CaseRecord> c = session.store->FindCase(*(*found)->case_reference)) case_id = c->id;
  }
  if (Status logged = LogCtlRead(line, "message", case_id, *id, line.Has("raw") ? "raw" : "");
      !logged) {
    return Fail(err, logged.error(), 2);
  }
  if (line.Has("raw")) {
    out << *raw;
    return 0;
  }
  const MessageListing& m = **found;
  out << "message " << m.id << ", received " << FormatLondonIso(m.received_at) << '\n'
      << "state: " << m.state << (m.reason.empty() ? "" : " (" + Printable(m.reason) + ")") << '\n'
      << "case: " << (m.case_reference ? *m.case_reference : "none") << '\n';
  Result<ParsedMail> mail = ParseMail(*raw);
  if (!mail) {
    out << "(it cannot be read as mail: " << Printable(mail.error())
        << "; --raw gives its bytes)\n";
    return 0;
  }
  out << "from: "
      << Printable(mail->from.name.empty() ? mail->from.address
                                           : mail->from.name + " <" + mail->from.address + ">")
      << '\n'
      << "subject: " << Printable(mail->subject) << '\n';
  if (!mail->attachments.empty()) {
    out << "attachments:";
    for (const auto& a : mail->attachments) out << ' ' << Printable(a.filename);
    out << '\n';
  }
  out << '\n'
      << Printable(mail->text) << (mail->text.empty() || mail->text.back() != '\n' ? "\n" : "");
  return 0;
}

int Release(const CommandLine& line, std::ostream& out, std::ostream& err) {
  Result<long> id = ParseWholeNumber(line.positional()[1], "message number", 1, 1L << 53);
  if (!id) return Fail(err, id.error(), 2);
  if (!line.Get("config")) {
    return Fail(err,
                "release needs --config FILE (the daemon's): the message is handled as the "
                "daemon handles mail",
                2);
  }
  Result<DaemonConfig> config = LoadDaemonConfig(*line.Get("config"));
  if (!config) return Fail(err, config.error(), 2);
  DaemonConfig c = std::move(config).value();
  if (auto db = line.Get("db")) c.store_path = *db;
  if (auto policy = line.Get("policy")) c.policy_file = *policy;
  SystemClock clock;
  Result<std::unique_ptr<Runtime>> runtime =
      Runtime::Build(c, clock, [&](const std::string& l) { err << l << '\n'; });
  if (!runtime) return Fail(err, runtime.error(), 2);
  std::string actor = line.Get("as").value_or("");
  if (actor.empty()) actor = std::getenv("USER") != nullptr ? std::getenv("USER") : "staff";
  Result<IntakeOutcome> o = (*runtime)->Release(*id, actor);
  if (!o) return Fail(err, o.error(), 1);
  out << "message " << o->message_row << ": " << OutcomeName(o->kind)
      << (o->reference.empty() ? "" : " " + o->reference)
      << (o->detail.empty() ? "" : " (" + Printable(o->detail) + ")") << '\n';
  return 0;
}

}  // namespace

int RunMessagesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandLine::Spec spec{{"db", "policy", "config", "as", "state", "since"},
                               {"json", "raw", "help"}};
  Result<CommandLine> line = CommandLine::Parse(args, spec);
  if (!line) return Fail(err, line.error() + "\n" + kUsage, 2);
  if (line->Has("help")) {
    out << kUsage;
    return 0;
  }
  const std::vector<std::string>& words = line->positional();
  const std::string verb = words.empty() ? "" : words[0];
  if (verb != "list" && verb != "show" && verb != "release") {
    return Fail(
        err,
        (verb.empty() ? "which: list, show or release?" : "unknown command '" + verb + "'") + "\n" +
            kUsage,
        2);
  }
  const bool numbered = verb == "show" || verb == "release";
  if (words.size() != (numbered ? 2u : 1u)) {
    return Fail(
        err, numbered ? "expected: " + verb + " N" : "unexpected argument '" + words[1] + "'", 2);
  }
  if (verb == "release") return Release(*line, out, err);
  CtlSession session;
  if (Status s = OpenCtlSession(*line, session); !s) return Fail(err, s.error(), 2);
  return verb == "list" ? List(*line, session, out, err) : Show(*line, session, out, err);
}

}  // namespace complaints
