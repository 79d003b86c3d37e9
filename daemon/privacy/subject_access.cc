#include "daemon/privacy/subject_access.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "daemon/base/html_text.h"
#include "daemon/calendar/london_time.h"
#include "parsers/mail_parser.h"

namespace complaints {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

json When(std::optional<Instant> t) { return t ? json(FormatLondonIso(*t)) : json(nullptr); }

// A file name that cannot leave its folder.
std::string SafeName(const std::string& name) {
  std::string out;
  for (char c : name)
    out +=
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ? c : '_';
  if (out.empty() || out[0] == '.') out = "file" + out;
  return out.substr(0, 100);
}

Status WriteFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  chmod(path.parent_path().c_str(), 0700);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out || chmod(path.c_str(), 0600) != 0) {
    return Status::Error(path.string() + ": cannot be written");
  }
  return Status::Ok();
}

json ContactJson(const Contact& c) {
  return {{"contact_id", c.id},
          {"name", c.name},
          {"emails", c.emails},
          {"phone", c.phone},
          {"address", c.address},
          {"tenancy_ref", c.tenancy_ref},
          {"vulnerabilities", c.vulnerabilities},
          {"adjustments", c.adjustments},
          {"restrictions", c.restrictions}};
}

json CaseJson(const CaseRecord& c, const std::vector<HistoryEntry>& history, bool representative) {
  json stages = json::array(), deadlines = json::array(), actions = json::array(),
       events = json::array();
  for (const StageRecord& s : c.stages) {
    json financial = json::array();
    for (const FinancialRemedy& f : s.financial) {
      financial.push_back({{"amount_pence", f.amount_pence}, {"what_for", f.what_for}});
    }
    stages.push_back({{"number", s.number},
                      {"name", s.name},
                      {"opened_at", When(s.opened_at)},
                      {"acknowledged_at", When(s.acknowledged_at)},
                      {"responded_at", When(s.responded_at)},
                      {"outcome", s.outcome},
                      {"apology", s.apology},
                      {"financial", financial},
                      {"handler", s.handler}});
  }
  for (const Deadline& d : c.deadlines) {
    deadlines.push_back({{"stage", d.stage},
                         {"kind", d.kind},
                         {"due_at", When(d.due_at)},
                         {"met_at", When(d.met_at)},
                         {"superseded_at", When(d.superseded_at)}});
  }
  for (const ActionRecord& a : c.actions) {
    actions.push_back({{"description", a.description}, {"done_at", When(a.done_at)}});
  }
  for (const HistoryEntry& h : history) {
    events.push_back(
        {{"at", When(h.at)}, {"actor", h.actor}, {"action", h.action}, {"detail", h.detail}});
  }
  return {{"reference", c.reference},
          {"as", representative ? "representative" : "resident"},
          {"type", std::string(CaseTypeName(c.type))},
          {"channel", std::string(ChannelName(c.channel))},
          {"status", c.status},
          {"received_at", When(c.received_at)},
          {"closed_at", When(c.closed_at)},
          {"summary", c.summary},
          {"definition", c.definition},
          {"outcome_sought", c.outcome_sought},
          {"stages", stages},
          {"deadlines", deadlines},
          {"actions", actions},
          {"history", events},
          {"documents", json::array()}};
}

// What the export writer keeps while it works.
class Exporter {
 public:
  Exporter(CaseStore& cases, PrivacyStore& privacy, fs::path dir, std::string pattern)
      : cases_(cases), privacy_(privacy), dir_(std::move(dir)), pattern_(std::move(pattern)) {}

  Result<ExportSummary> Run(const PersonIds& person, Instant now) {
    using R = Result<ExportSummary>;
    Result<std::vector<Contact>> contacts = privacy_.Contacts(person);
    if (!contacts) return R(contacts.status());
    if (contacts->empty()) return R::Error("no such person in the store");
    json who = json::array();
    for (const Contact& c : *contacts) {
      who.push_back(ContactJson(c));
      for (const std::string& e : c.emails) emails_.insert(Lower(e));
    }
    if (Status s = Cases(person); !s) return R(s);
    if (Status s = Messages(); !s) return R(s);
    if (Status s = OtherPeople(person); !s) return R(s);
    json redact = json::array();
    for (const RedactionItem& r : summary_.redact) {
      redact.push_back({{"where", r.where}, {"what", r.what}, {"value", r.value}});
    }
    const json doc = {{"generated_at", FormatLondonIso(now)},
                      {"person", {{"contacts", who}, {"emails", emails_}}},
                      {"cases", cases_json_},
                      {"messages", messages_json_},
                      {"redact", redact},
                      {"note",
                       "Other people's personal data listed under 'redact' must be removed before "
                       "this is sent; free text may name others the list does not find."}};
    if (Status s = WriteFile(dir_ / "export.json", doc.dump(2) + "\n"); !s) return R(s);
    if (Status s = WriteFile(dir_ / "index.html", Html(doc)); !s) return R(s);
    return summary_;
  }

 private:
  Status Cases(const PersonIds& person) {
    Result<std::vector<PersonCase>> mine = privacy_.CasesOf(person);
    if (!mine) return mine.status();
    for (const PersonCase& pc : *mine) {
      Result<CaseRecord> c = cases_.FindCase(pc.reference);
      if (!c) return c.status();
      Result<std::vector<HistoryEntry>> history = cases_.History(c->id);
      if (!history) return history.status();
      json j = CaseJson(*c, *history, pc.as_representative);
      Text("case " + c->reference, c->summary + "\n" + c->definition + "\n" + c->outcome_sought);
      for (const HistoryEntry& h : *history) Text("case " + c->reference + " history", h.detail);
      Result<std::vector<CaseDocument>> docs = cases_.Documents(c->id);
      if (!docs) return docs.status();
      for (const CaseDocument& d : *docs) {
        const std::string file = "cases/" + SafeName(c->reference) + "/" + std::to_string(d.id) +
                                 "-" + SafeName(d.filename);
        if (Status s = WriteFile(dir_ / file, d.bytes); !s) return s;
        j["documents"].push_back({{"id", d.id},
                                  {"filename", d.filename},
                                  {"content_type", d.content_type},
                                  {"pages", d.pages},
                                  {"text", d.text},
                                  {"file", file}});
        Text("case " + c->reference + " document " + std::to_string(d.id), d.text);
        ++summary_.documents;
      }
      case_ids_.insert(c->id);
      summary_.cases.push_back(c->reference);
      cases_json_.push_back(std::move(j));
    }
    return Status::Ok();
  }

  bool Theirs(const std::string& address) const { return emails_.count(Lower(address)) > 0; }

  Status Messages() {
    Result<std::vector<HeldMessage>> held =
        privacy_.MessagesFor(std::vector<int64_t>(case_ids_.begin(), case_ids_.end()),
                             std::vector<std::string>(emails_.begin(), emails_.end()));
    if (!held) return held.status();
    std::vector<std::pair<const HeldMessage*, ParsedMail>> kept;
    for (const HeldMessage& m : *held) {
      const bool on_their_case = m.case_id && case_ids_.count(*m.case_id) > 0;
      Result<ParsedMail> mail = ParseMail(m.raw, pattern_);
      ParsedMail parsed = mail ? std::move(mail).value() : ParsedMail{};
      std::vector<ParsedAddress> heads = parsed.to;
      heads.insert(heads.end(), parsed.cc.begin(), parsed.cc.end());
      heads.push_back(parsed.from);
      if (parsed.sender) heads.push_back(*parsed.sender);
      if (parsed.reply_to) heads.push_back(*parsed.reply_to);
      const bool addressed = std::any_of(heads.begin(), heads.end(),
                                         [&](const ParsedAddress& a) { return Theirs(a.address); });
      if (!on_their_case && !addressed) continue;  // they are only quoted or named in it
      if (!m.incoming && !parsed.from.address.empty()) ours_.insert(Lower(parsed.from.address));
      kept.emplace_back(&m, std::move(parsed));
    }
    for (auto& [m, parsed] : kept) {
      const std::string name = std::string(m->incoming ? "in-" : "out-") + std::to_string(m->id);
      const std::string file = "messages/" + name + ".eml";
      if (Status s = WriteFile(dir_ / file, m->raw); !s) return s;
      const bool on_their_case = m->case_id && case_ids_.count(*m->case_id) > 0;
      json to = json::array(), cc = json::array();
      for (const ParsedAddress& a : parsed.to) to.push_back(a.address);
      for (const ParsedAddress& a : parsed.cc) cc.push_back(a.address);
      messages_json_.push_back({{"id", name},
                                {"direction", m->incoming ? "in" : "out"},
                                {"message_id", parsed.message_id},
                                {"case", on_their_case ? json(m->reference) : json(nullptr)},
                                {"at", FormatLondonIso(m->at)},
                                {"from", parsed.from.address},
                                {"to", to},
                                {"cc", cc},
                                {"subject", parsed.subject},
                                {"file", file},
                                {"removed", m->raw.empty()}});
      std::vector<ParsedAddress> heads = parsed.to;
      heads.insert(heads.end(), parsed.cc.begin(), parsed.cc.end());
      heads.push_back(parsed.from);
      if (parsed.reply_to) heads.push_back(*parsed.reply_to);
      for (const ParsedAddress& a : heads) {
        if (a.address.empty() || Theirs(a.address) || ours_.count(Lower(a.address))) continue;
        Redact("message " + name + " headers", "an email address that is not theirs",
               a.name.empty() ? a.address : a.name + " <" + a.address + ">");
      }
      Text("message " + name, parsed.text);
      ++summary_.messages;
    }
    return Status::Ok();
  }

  // Other contacts named in the texts gathered: their names and addresses.
  Status OtherPeople(const PersonIds& person) {
    Result<std::vector<Contact>> others = privacy_.OtherContacts(person);
    if (!others) return others.status();
    for (const auto& [where, text] : texts_) {
      const std::string lower = Lower(text);
      for (const Contact& o : *others) {
        auto find = [&](const std::string& value, const char* what) {
          if (value.size() >= 4 && lower.find(Lower(value)) != std::string::npos &&
              !Theirs(value) && !ours_.count(Lower(value))) {
            Redact(where, what, value);
          }
        };
        find(o.name, "another person's name (a contact in the store)");
        find(o.address, "another person's address");
        find(o.phone, "another person's phone number");
        for (const std::string& e : o.emails) find(e, "another person's email address");
      }
    }
    return Status::Ok();
  }

  void Text(const std::string& where, const std::string& text) {
    if (!text.empty()) texts_.emplace_back(where, text);
  }
  void Redact(const std::string& where, const std::string& what, const std::string& value) {
    for (const RedactionItem& r : summary_.redact) {
      if (r.where == where && r.value == value) return;
    }
    summary_.redact.push_back({where, what, value});
  }

  std::string Html(const json& doc) const {
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<title>Subject access export</title></head><body>\n<h1>Subject access export</h1>\n<p>"
      << HtmlEscape(doc["generated_at"].get<std::string>()) << "</p>\n<h2>The person</h2>\n";
    for (const json& c : doc["person"]["contacts"]) {
      h << "<p>" << HtmlEscape(c["name"].get<std::string>()) << "<br>"
        << HtmlEscape(c["address"].get<std::string>()) << "<br>"
        << HtmlEscape(c["phone"].get<std::string>()) << "<br>";
      for (const json& e : c["emails"]) h << HtmlEscape(e.get<std::string>()) << " ";
      h << "</p>\n";
    }
    h << "<h2>Cases</h2>\n";
    for (const json& c : doc["cases"]) {
      h << "<h3>" << HtmlEscape(c["reference"].get<std::string>()) << " ("
        << HtmlEscape(c["type"].get<std::string>()) << ", "
        << HtmlEscape(c["status"].get<std::string>()) << ")</h3>\n<p>"
        << HtmlEscape(c["summary"].get<std::string>()) << "</p>\n<h4>Deadlines</h4><ul>";
      for (const json& d : c["deadlines"]) {
        h << "<li>stage " << d["stage"] << " " << HtmlEscape(d["kind"].get<std::string>())
          << " due " << HtmlEscape(d["due_at"].is_string() ? d["due_at"].get<std::string>() : "")
          << "</li>";
      }
      h << "</ul>\n<h4>History</h4><table>";
      for (const json& e : c["history"]) {
        h << "<tr><td>" << HtmlEscape(e["at"].get<std::string>()) << "</td><td>"
          << HtmlEscape(e["actor"].get<std::string>()) << "</td><td>"
          << HtmlEscape(e["action"].get<std::string>()) << "</td><td>"
          << HtmlEscape(e["detail"].get<std::string>()) << "</td></tr>";
      }
      h << "</table>\n<h4>Documents</h4><ul>";
      for (const json& d : c["documents"]) {
        h << "<li><a href=\"" << HtmlEscape(d["file"].get<std::string>()) << "\">"
          << HtmlEscape(d["filename"].get<std::string>()) << "</a></li>";
      }
      h << "</ul>\n";
    }
    h << "<h2>Messages</h2>\n<table>";
    for (const json& m : doc["messages"]) {
      h << "<tr><td>" << HtmlEscape(m["at"].get<std::string>()) << "</td><td>"
        << HtmlEscape(m["direction"].get<std::string>()) << "</td><td>"
        << HtmlEscape(m["from"].get<std::string>()) << "</td><td><a href=\""
        << HtmlEscape(m["file"].get<std::string>()) << "\">"
        << HtmlEscape(m["subject"].get<std::string>()) << "</a></td></tr>";
    }
    h << "</table>\n<h2>To redact before sending</h2>\n<p>"
      << HtmlEscape(doc["note"].get<std::string>()) << "</p><ul>";
    for (const json& r : doc["redact"]) {
      h << "<li>" << HtmlEscape(r["where"].get<std::string>()) << ": "
        << HtmlEscape(r["what"].get<std::string>()) << ": <code>"
        << HtmlEscape(r["value"].get<std::string>()) << "</code></li>";
    }
    h << "</ul>\n</body></html>\n";
    return h.str();
  }

  CaseStore& cases_;
  PrivacyStore& privacy_;
  fs::path dir_;
  std::string pattern_;
  std::set<std::string> emails_;  // theirs, lower case
  std::set<std::string> ours_;    // the addresses our own mail came from
  std::set<int64_t> case_ids_;
  std::vector<std::pair<std::string, std::string>> texts_;  // where, text: searched for others
  json cases_json_ = json::array();
  json messages_json_ = json::array();
  ExportSummary summary_;
};

}  // namespace

Result<ExportSummary> ExportPerson(CaseStore& cases, PrivacyStore& privacy, const PersonIds& person,
                                   const std::string& dir, const std::string& reference_pattern,
                                   Instant now) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Result<ExportSummary>::Error(dir + ": exists and is not empty");
  }
  fs::create_directories(dir, ec);
  if (ec || chmod(dir.c_str(), 0700) != 0) {
    return Result<ExportSummary>::Error(dir + ": cannot be created");
  }
  try {
    return Exporter(cases, privacy, dir, reference_pattern).Run(person, now);
  } catch (const std::exception& e) {  // the file system's errors, from std::filesystem
    return Result<ExportSummary>::Error(dir + ": " + e.what());
  }
}

}  // namespace complaints
