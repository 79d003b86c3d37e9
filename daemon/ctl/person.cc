// complaintsctl person: a resident's data protection rights (subject access, erasure,
// correction) and who has read their cases; complaintsctl cases hold|unhold: legal holds;
// complaintsctl retention: the retention schedule's pass.
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "daemon/base/command_line.h"
#include "daemon/calendar/london_time.h"
#include "daemon/ctl/commands.h"
#include "daemon/ctl/session.h"
#include "daemon/privacy/retention.h"
#include "daemon/privacy/sqlite_privacy_store.h"
#include "daemon/privacy/store_files.h"
#include "daemon/privacy/subject_access.h"
#include "daemon/service/daemon_config.h"

namespace complaints {
namespace {

constexpr const char* kPersonUsage =
    "usage: complaintsctl [--db PATH | --config FILE] [--as NAME] person COMMAND ...\n"
    "  a person is --email ADDRESS (every contact with it) or --contact ID\n"
    "  export PERSON --out DIR         everything held about them, to DIR (export.json,\n"
    "                                  index.html, messages/*.eml, scanned letters)\n"
    "  erase PERSON --reason TEXT      remove their personal data (refused under a legal hold)\n"
    "  correct PERSON --reason TEXT [--name N] [--phone P] [--address A] [--tenancy REF]\n"
    "          [--vulnerabilities V] [--adjustments A] [--add-email E]... [--remove-email E]...\n"
    "  access-log PERSON [--json]      who read their cases and messages, and when\n";

constexpr const char* kRetentionUsage =
    "usage: complaintsctl [--config FILE] [--db PATH] retention COMMAND ...\n"
    "  run [--dry-run] [--json]   remove what the schedule (retention.* in --config) says has\n"
    "                             expired; --dry-run counts it and changes nothing\n"
    "  show                       the schedule, the legal holds and the store files' modes\n";

int Fail(std::ostream& err, const std::string& what, const std::string& message, int code) {
  err << "complaintsctl " << what << ": " << message << '\n';
  return code;
}

Result<PersonIds> Person(const CommandLine& line, PrivacyStore& store) {
  const auto email = line.Get("email");
  const auto contact = line.Get("contact");
  if (email.has_value() == contact.has_value()) {
    return Result<PersonIds>::Error("name the person: --email ADDRESS or --contact ID");
  }
  if (contact) {
    Result<long> id = ParseWholeNumber(*contact, "contact id", 1, 1L << 40);
    if (!id) return id.status();
    Result<std::vector<Contact>> found = store.Contacts({*id});
    if (!found) return found.status();
    if (found->empty()) return Result<PersonIds>::Error("no contact " + *contact);
    return PersonIds{*id};
  }
  Result<PersonIds> ids = store.ContactsWithEmail(*email);
  if (ids && ids->empty()) return Result<PersonIds>::Error("no contact has the address " + *email);
  return ids;
}

int Export(const CommandLine& line, PrivacyStore& privacy, const PersonIds& person,
           std::ostream& out, std::ostream& err) {
  const auto dir = line.Get("out");
  if (!dir) return Fail(err, "person export", "say where: --out DIR", 2);
  CtlSession session;
  if (Status s = OpenCtlSession(line, session); !s) return Fail(err, "person export", s.error(), 2);
  Result<ExportSummary> done =
      ExportPerson(*session.store, privacy, person, *dir,
                   ReferencePattern(session.policy.reference_format), session.clock.Now());
  if (!done) return Fail(err, "person export", done.error(), 1);
  out << *dir << ": " << done->cases.size() << " cases, " << done->messages << " messages, "
      << done->documents << " documents; " << done->redact.size()
      << " items of other people's data to redact before sending (export.json \"redact\", "
         "index.html)\n";
  return 0;
}

int AccessLogCommand(const CommandLine& line, PrivacyStore& privacy, const PersonIds& person,
                     std::ostream& out, std::ostream& err) {
  Result<std::vector<AccessRecord>> reads = privacy.AccessLogFor(person);
  if (!reads) return Fail(err, "person access-log", reads.error(), 1);
  for (const AccessRecord& r : *reads) {
    if (line.Has("json")) {
      out << nlohmann::json{{"at", FormatLondonIso(r.at)},
                            {"actor", r.actor},
                            {"channel", r.channel},
                            {"what", r.what},
                            {"case", r.reference},
                            {"message", r.message_id ? nlohmann::json(*r.message_id)
                                                     : nlohmann::json(nullptr)},
                            {"detail", r.detail}}
                 .dump()
          << '\n';
      continue;
    }
    out << FormatLondonIso(r.at) << "  " << r.actor << "  " << r.channel << "  " << r.what << "  "
        << r.reference;
    if (r.message_id) out << "  message " << *r.message_id;
    if (!r.detail.empty()) out << "  " << r.detail;
    out << '\n';
  }
  if (reads->empty() && !line.Has("json")) out << "(no reads recorded)\n";
  return 0;
}

ContactCorrection CorrectionOf(const CommandLine& line) {
  ContactCorrection fix;
  fix.name = line.Get("name");
  fix.phone = line.Get("phone");
  fix.address = line.Get("address");
  fix.tenancy_ref = line.Get("tenancy");
  fix.vulnerabilities = line.Get("vulnerabilities");
  fix.adjustments = line.Get("adjustments");
  fix.add_emails = line.GetAll("add-email");
  fix.remove_emails = line.GetAll("remove-email");
  return fix;
}

RetentionSchedule ScheduleOf(const CommandLine& line, Status& status) {
  if (auto config = line.Get("config")) {
    Result<DaemonConfig> loaded = LoadDaemonConfig(*config);
    if (!loaded) {
      status = loaded.status();
      return {};
    }
    return loaded->retention;
  }
  return {};
}

}  // namespace

int RunPersonCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    (args.empty() ? err : out) << kPersonUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string verb = args[0];
  const std::set<std::string> common = {"db", "config", "policy", "as", "email", "contact"};
  auto with = [&](std::set<std::string> values, std::set<std::string> flags = {}) {
    values.insert(common.begin(), common.end());
    return CommandLine::Spec{values, flags};
  };
  const std::map<std::string, CommandLine::Spec> specs = {
      {"export", with({"out"})},
      {"erase", with({"reason"})},
      {"correct", with({"reason", "name", "phone", "address", "tenancy", "vulnerabilities",
                        "adjustments", "add-email", "remove-email"})},
      {"access-log", with({}, {"json"})},
  };
  const std::string what = "person " + verb;
  const auto spec = specs.find(verb);
  if (spec == specs.end())
    return Fail(err, what, std::string("unknown command\n") + kPersonUsage, 2);
  Result<CommandLine> line = CommandLine::Parse({args.begin() + 1, args.end()}, spec->second);
  if (!line) return Fail(err, what, line.error(), 2);
  if (!line->positional().empty()) {
    return Fail(err, what, "unexpected argument '" + line->positional()[0] + "'", 2);
  }
  Result<std::unique_ptr<SqlitePrivacyStore>> privacy = OpenCtlPrivacy(*line);
  if (!privacy) return Fail(err, what, privacy.error(), 2);
  Result<PersonIds> person = Person(*line, **privacy);
  if (!person) return Fail(err, what, person.error(), 2);
  if (verb == "export") return Export(*line, **privacy, *person, out, err);
  if (verb == "access-log") return AccessLogCommand(*line, **privacy, *person, out, err);
  const std::string reason = line->Get("reason").value_or("");
  if (reason.empty()) return Fail(err, what, "say why: --reason TEXT", 2);
  const Instant now = SystemClock().Now();
  if (verb == "erase") {
    Result<RemovalCounts> done = (*privacy)->ErasePerson(*person, reason, CtlActor(*line), now);
    if (!done) return Fail(err, what, done.error(), 1);
    out << "erased: " << done->contacts << " contacts, the personal data of " << done->cases
        << " cases, " << done->messages << " messages, " << done->outgoing << " outgoing, "
        << done->attachments << " attachments; of their mail on no case, " << done->unfiled
        << " messages and " << done->spam << " held as spam or quarantined\n";
    return 0;
  }
  Status fixed =
      (*privacy)->CorrectPerson(*person, CorrectionOf(*line), reason, CtlActor(*line), now);
  if (!fixed) return Fail(err, what, fixed.error(), 1);
  out << "corrected: " << person->size() << " contacts\n";
  return 0;
}

int RunCaseHoldCommand(const std::string& verb, const CommandLine& line, std::ostream& out,
                       std::ostream& err) {
  const std::string what = "cases " + verb;
  if (line.positional().size() != 1) return Fail(err, what, "expected REF", 2);
  const std::string reason = line.Get("reason").value_or("");
  if (reason.empty()) return Fail(err, what, "say why: --reason TEXT", 2);
  Result<std::unique_ptr<SqlitePrivacyStore>> privacy = OpenCtlPrivacy(line);
  if (!privacy) return Fail(err, what, privacy.error(), 2);
  const std::string& ref = line.positional()[0];
  const Instant now = SystemClock().Now();
  Status s = verb == "hold" ? (*privacy)->Hold(ref, reason, CtlActor(line), now)
                            : (*privacy)->Unhold(ref, reason, CtlActor(line), now);
  if (!s) return Fail(err, what, s.error(), 1);
  out << ref << (verb == "hold" ? ": under a legal hold\n" : ": legal hold released\n");
  return 0;
}

int RunRetentionCommand(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    (args.empty() ? err : out) << kRetentionUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string verb = args[0];
  const std::map<std::string, CommandLine::Spec> specs = {
      {"run", {{"db", "config", "policy", "as"}, {"dry-run", "json"}}},
      {"show", {{"db", "config", "policy", "as"}, {}}},
  };
  const std::string what = "retention " + verb;
  const auto spec = specs.find(verb);
  if (spec == specs.end()) {
    return Fail(err, what, std::string("unknown command\n") + kRetentionUsage, 2);
  }
  Result<CommandLine> line = CommandLine::Parse({args.begin() + 1, args.end()}, spec->second);
  if (!line) return Fail(err, what, line.error(), 2);
  Status loaded = Status::Ok();
  const RetentionSchedule schedule = ScheduleOf(*line, loaded);
  if (!loaded) return Fail(err, what, loaded.error(), 2);
  Result<std::unique_ptr<SqlitePrivacyStore>> privacy = OpenCtlPrivacy(*line);
  if (!privacy) return Fail(err, what, privacy.error(), 2);
  if (verb == "show") {
    for (const std::string& rule : DescribeSchedule(schedule)) out << rule << '\n';
    Result<std::vector<CaseHold>> holds = (*privacy)->Holds();
    if (!holds) return Fail(err, what, holds.error(), 1);
    for (const CaseHold& h : *holds) {
      out << "hold: " << h.reference << " since " << FormatLondonIso(h.at) << " by " << h.actor
          << ": " << h.reason << '\n';
    }
    for (const std::string& p : StoreFileProblems(*CtlStorePath(*line)))
      out << "warning: " << p << '\n';
    return 0;
  }
  SystemClock clock;
  RetentionPass pass(**privacy, schedule, clock);
  Result<RemovalCounts> done = pass.Run(line->Has("dry-run"));
  if (!done) return Fail(err, what, done.error(), 1);
  out << (line->Has("json") ? RemovalJson(*done, line->Has("dry-run"))
                            : DescribeRemoval(*done, line->Has("dry-run")))
      << '\n';
  return 0;
}

}  // namespace complaints
