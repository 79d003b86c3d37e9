#include "daemon/outgoing/mail_templates.h"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

#include "daemon/base/html_text.h"

namespace complaints {
namespace {

namespace mustache = kainjow::mustache;

mustache::data ToData(const nlohmann::json& value) {
  if (value.is_object()) {
    mustache::data object{mustache::data::type::object};
    for (const auto& [key, item] : value.items()) object.set(key, ToData(item));
    return object;
  }
  if (value.is_array()) {
    mustache::data list{mustache::data::type::list};
    for (const auto& item : value) list.push_back(ToData(item));
    return list;
  }
  if (value.is_boolean())
    return value.get<bool>() ? mustache::data::type::bool_true : mustache::data::type::bool_false;
  if (value.is_null()) return mustache::data::type::bool_false;
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text.empty()) return mustache::data::type::bool_false;  // empty sections stay hidden
    return mustache::data{text};
  }
  return mustache::data{value.dump()};
}

// Sections leave blank lines behind; keep at most one in a row and none at the ends.
std::string Tidy(const std::string& text) {
  std::string out;
  int newlines = 0;
  for (char c : text) {
    if (c == '\n') {
      if (++newlines <= 2 && !out.empty()) out += c;
    } else {
      newlines = 0;
      out += c;
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out + "\n";
}

Result<std::string> RenderOne(const std::string& source, const nlohmann::json& values, bool html,
                              const std::string& what) {
  mustache::mustache view{source};
  if (!view.is_valid()) return Result<std::string>::Error(what + ": " + view.error_message());
  if (html) {
    view.set_custom_escape(HtmlEscape);
  } else {
    view.set_custom_escape([](const std::string& s) { return s; });
  }
  std::string out = view.render(ToData(values));
  if (!view.is_valid()) return Result<std::string>::Error(what + ": " + view.error_message());
  return out;
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<std::string>::Error(path.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

const std::vector<std::string>& MailTemplates::RequiredNames() {
  static const std::vector<std::string> names = {
      "ack-stage",
      "receipt",
      "comment-thanks",
      "compliment-thanks",
      "compliment-staff-copy",
      "service-request",
      "asb-redirect",
      "refusal",
      "extension",
      "stage-response-cover",
      "quick-fix-confirmation",
      "reply-received-staff",
      "letter-to-post",
      "quarantine-notice",
      "deadline-warning",
      "deadline-breach",
  };
  return names;
}

nlohmann::json SampleTemplateValues() {
  return {{"landlord", "Westway Housing Association"},
          {"reference", "WW-2026-00042"},
          {"resident_name", "Jo Bloggs"},
          {"stage_name", "Stage one"},
          {"stage_number", 1},
          {"next_stage_name", "Stage two"},
          {"escalation_window_days", 20},
          {"handler", "Sam Smith"},
          {"status", "open"},
          {"summary", "The boiler is still broken after three visits."},
          {"definition", "The boiler repair has been delayed three times."},
          {"outcome_sought", "A working boiler and an apology."},
          {"response_due_words", "Friday 4 December 2026"},
          {"show_ombudsman", true},
          {"ombudsman_name", "Housing Ombudsman Service"},
          {"ombudsman_phone", "0300 111 3000"},
          {"ombudsman_email", "info@housing-ombudsman.org.uk"},
          {"ombudsman_website", "www.housing-ombudsman.org.uk"},
          {"refusal_reason", "the matter happened more than 12 months ago"},
          {"extension_reason", "we are waiting for the contractor's report"},
          {"outcome_words", "upheld in part"},
          {"remedy", "an apology, and £50.00 for the inconvenience"},
          {"resolution", "a new appointment for tomorrow morning"},
          {"escalate_within_days", 5},
          {"praised", "the repairs team"},
          {"message_id", "17"},
          {"reason", "the message is not valid MIME"},
          {"sender", "someone@example.org"},
          {"subject", "Help"},
          {"deadline_words", "Stage one response"},
          {"due_words", "Friday 4 December 2026"},
          {"due_time", "17:00"},
          {"action_words", "send the stage response"},
          {"resident_notice_promised", true},
          {"state", "down"},
          {"since", "2026-12-01T09:00:00+00:00"},
          {"problem", "connection refused"},
          {"mailbox", "imaps://mail.example/INBOX"},
          {"date_words", "Monday 23 November 2026"},
          {"resident_address", "Margaret Hughes\n14 Acacia Avenue\nLeeds\nLS6 2QT"},
          {"received_words", "Friday 20 November 2026"},
          {"printable", true},
          {"postcode_unsure", true},
          {"postcode", "LS6 20T"},
          {"letter_text", "Dear Mrs Hughes, ..."},
          {"by_post", false},
          {"open_cases", 12},
          {"breached", {"WW-2026-00001: Stage one response, Friday 20 November 2026"}},
          {"due", nlohmann::json::array()},
          {"undefined", {"WW-2026-00003: Boiler"}},
          {"unassigned", nlohmann::json::array()},
          {"review", {"WW-2026-00004: complaint (late-escalation-request)"}},
          {"not_opened",
           {"message 41, Friday 20 November 2026 16:02: classified other, no case opened: from "
            "jo@example.org, \"Re: parking\""}}};
}

Result<MailTemplates> MailTemplates::FromSources(
    const std::map<std::string, std::pair<std::string, std::string>>& sources,
    const std::string& where) {
  MailTemplates set;
  std::string problems;
  auto problem = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  for (const std::string& name : RequiredNames()) {
    if (sources.count(name) == 0) problem(where + "/" + name + ".txt: missing");
  }
  for (const auto& [name, files] : sources) {
    const std::string& txt = files.first;
    const size_t eol = txt.find('\n');
    if (txt.rfind("Subject:", 0) != 0 || eol == std::string::npos) {
      problem(where + "/" + name + ".txt: the first line must be 'Subject: ...'");
      continue;
    }
    Source source;
    source.subject = txt.substr(8, eol - 8);
    while (!source.subject.empty() && source.subject.front() == ' ') source.subject.erase(0, 1);
    if (!source.subject.empty() && source.subject.back() == '\r') source.subject.pop_back();
    source.text = txt.substr(eol + 1);
    source.html = files.second;
    set.sources_[name] = source;
    if (Result<RenderedMail> sample = set.Render(name, SampleTemplateValues()); !sample) {
      problem(sample.error());
    }
  }
  if (!problems.empty()) return Result<MailTemplates>::Error(problems);
  return set;
}

Result<MailTemplates> MailTemplates::Load(const std::string& dir) {
  std::map<std::string, std::pair<std::string, std::string>> sources;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Result<MailTemplates>::Error(dir + ": not a folder of templates");
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".txt") continue;
    Result<std::string> txt = ReadFile(entry.path());
    if (!txt) return Result<MailTemplates>(txt.status());
    std::filesystem::path html_path = entry.path();
    html_path.replace_extension(".html");
    std::string html;
    if (std::filesystem::exists(html_path, ec)) {
      Result<std::string> read = ReadFile(html_path);
      if (!read) return Result<MailTemplates>(read.status());
      html = *read;
    }
    sources[entry.path().stem().string()] = {*txt, html};
  }
  return FromSources(sources, dir);
}

Result<RenderedMail> MailTemplates::Render(const std::string& name,
                                           const nlohmann::json& values) const {
  const auto it = sources_.find(name);
  if (it == sources_.end()) return Result<RenderedMail>::Error("no template '" + name + "'");
  const std::string what = name;
  Result<std::string> subject = RenderOne(it->second.subject, values, false, what + ".txt");
  if (!subject) return Result<RenderedMail>(subject.status());
  Result<std::string> text = RenderOne(it->second.text, values, false, what + ".txt");
  if (!text) return Result<RenderedMail>(text.status());
  RenderedMail out{*subject, Tidy(*text), ""};
  if (!it->second.html.empty()) {
    Result<std::string> html = RenderOne(it->second.html, values, true, what + ".html");
    if (!html) return Result<RenderedMail>(html.status());
    out.html = *html;
  }
  return out;
}

}  // namespace complaints
