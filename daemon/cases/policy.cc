#include "daemon/cases/policy.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "daemon/calendar/business_hours.h"

namespace complaints {
namespace {

using nlohmann::json;

// Reads fields of one JSON object, remembering the first problem with its key path.
class Reader {
 public:
  Reader(const json& object, std::string path, std::string* error)
      : object_(object), path_(std::move(path)), error_(error) {}

  bool ok() const { return error_->empty(); }
  std::string At(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  void Fail(const std::string& key, const std::string& why) {
    if (error_->empty()) *error_ = At(key) + ": " + why;
  }

  const json* Find(const std::string& key) const {
    const auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  std::string String(const std::string& key, bool required) {
    const json* v = Find(key);
    if (v == nullptr) {
      if (required) Fail(key, "missing (a string is required)");
      return "";
    }
    if (!v->is_string()) {
      Fail(key, "expected a string");
      return "";
    }
    return v->get<std::string>();
  }

  std::optional<int> Days(const std::string& key, bool required, int min = 0, int max = 400) {
    const json* v = Find(key);
    if (v == nullptr) {
      if (required) Fail(key, "missing (a number of working days is required)");
      return std::nullopt;
    }
    if (!v->is_number_integer() || v->get<long>() < min || v->get<long>() > max) {
      Fail(key,
           "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return static_cast<int>(v->get<long>());
  }

  bool Bool(const std::string& key, bool fallback) {
    const json* v = Find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) {
      Fail(key, "expected true or false");
      return fallback;
    }
    return v->get<bool>();
  }

  // Precondition for the returned pointer: object or nullptr.
  const json* Object(const std::string& key, bool required) {
    const json* v = Find(key);
    if (v == nullptr) {
      if (required) Fail(key, "missing (an object is required)");
      return nullptr;
    }
    if (!v->is_object()) {
      Fail(key, "expected an object");
      return nullptr;
    }
    return v;
  }

  const json* Array(const std::string& key, bool required) {
    const json* v = Find(key);
    if (v == nullptr) {
      if (required) Fail(key, "missing (an array is required)");
      return nullptr;
    }
    if (!v->is_array()) {
      Fail(key, "expected an array");
      return nullptr;
    }
    return v;
  }

  // Keys not in `known` are errors: a misspelt key must not silently drop a rule.
  void OnlyKeys(std::initializer_list<const char*> known) {
    for (const auto& [key, value] : object_.items()) {
      bool found = false;
      for (const char* k : known) found = found || key == k;
      if (!found) Fail(key, "unknown key");
    }
  }

  // A reader for a nested object, sharing this one's error.
  Reader Nested(const json& object, const std::string& key,
                size_t index = std::string::npos) const {
    return Reader(object,
                  At(key) + (index == std::string::npos ? "" : "[" + std::to_string(index) + "]"),
                  error_);
  }

 private:
  const json& object_;
  std::string path_;
  std::string* error_;
};

Status ValidateReferenceFormat(const std::string& format) {
  static const std::regex shape(
      R"(^[A-Za-z0-9/_-]*(\{year\}[A-Za-z0-9/_-]*)?\{seq:[1-9]\}[A-Za-z0-9/_-]*$)");
  if (!std::regex_match(format, shape)) {
    return Status::Error("'" + format +
                         "' is not a reference format: use letters, digits, '-', '/' or '_', "
                         "optionally {year}, and exactly one {seq:N} (N from 1 to 9), e.g. "
                         "WW-{year}-{seq:5}");
  }
  return Status::Ok();
}

std::optional<PanelRule> ReadPanel(Reader& stage) {
  const json* p = stage.Object("panel", false);
  if (p == nullptr) return std::nullopt;
  Reader panel = stage.Nested(*p, "panel");
  panel.OnlyKeys({"members", "roles", "resident_needs_consent"});
  PanelRule rule;
  rule.members = panel.Days("members", true, 1, 12).value_or(0);
  if (const json* roles = panel.Array("roles", false)) {
    for (const json& role : *roles) {
      if (!role.is_string()) {
        panel.Fail("roles", "expected strings");
        break;
      }
      rule.roles.push_back(role.get<std::string>());
    }
  }
  rule.resident_needs_consent = panel.Bool("resident_needs_consent", false);
  return rule;
}

StagePolicy ReadStage(Reader& stage) {
  stage.OnlyKeys({"name", "handler", "acknowledge_days", "respond_days", "response_clock",
                  "max_extension_days", "escalation_window_days", "panel", "direct_entry"});
  StagePolicy s;
  s.name = stage.String("name", true);
  s.handler = stage.String("handler", true);
  s.acknowledge_days = stage.Days("acknowledge_days", false);
  s.respond_days = stage.Days("respond_days", true, 1).value_or(0);
  const std::string clock = stage.String("response_clock", true);
  if (clock == "receipt") {
    s.response_clock = ResponseClock::kReceipt;
  } else if (clock == "acknowledgement") {
    s.response_clock = ResponseClock::kAcknowledgement;
  } else if (stage.ok()) {
    stage.Fail("response_clock", "expected \"receipt\" or \"acknowledgement\"");
  }
  if (s.response_clock == ResponseClock::kAcknowledgement && !s.acknowledge_days && stage.ok()) {
    stage.Fail("response_clock", "\"acknowledgement\" needs acknowledge_days");
  }
  s.max_extension_days = stage.Days("max_extension_days", false);
  s.escalation_window_days = stage.Days("escalation_window_days", false);
  s.panel = ReadPanel(stage);
  s.direct_entry = stage.Bool("direct_entry", false);
  return s;
}

std::optional<PreFormalPolicy> ReadPreFormal(Reader& top) {
  const json* p = top.Object("pre_formal", false);
  if (p == nullptr) return std::nullopt;
  Reader r = top.Nested(*p, "pre_formal");
  r.OnlyKeys({"name", "kind", "handler", "resolve_within_days", "escalate_within_days"});
  PreFormalPolicy pre;
  pre.name = r.String("name", true);
  pre.kind = r.String("kind", true);
  if (r.ok() && pre.kind != "quick_fix" && pre.kind != "informal") {
    r.Fail("kind", "expected \"quick_fix\" or \"informal\"");
  }
  pre.handler = r.String("handler", true);
  pre.resolve_within_days = r.Days("resolve_within_days", false);
  pre.escalate_within_days = r.Days("escalate_within_days", false);
  return pre;
}

void ReadExclusions(Reader& top, Policy& policy) {
  const json* e = top.Object("exclusions", false);
  if (e == nullptr) return;
  Reader r = top.Nested(*e, "exclusions");
  r.OnlyKeys({"max_age_months", "reasons"});
  policy.exclusion_max_age_months = r.Days("max_age_months", false, 1, 120);
  const json* reasons = r.Array("reasons", false);
  if (reasons == nullptr) return;
  for (size_t i = 0; i < reasons->size() && r.ok(); ++i) {
    if (!(*reasons)[i].is_object()) {
      r.Fail("reasons[" + std::to_string(i) + "]", "expected an object");
      break;
    }
    Reader reason = r.Nested((*reasons)[i], "reasons", i);
    reason.OnlyKeys({"code", "text"});
    policy.refusal_reasons.push_back({reason.String("code", true), reason.String("text", true)});
  }
}

void ReadOmbudsman(Reader& top, Policy& policy) {
  const json* o = top.Object("ombudsman", true);
  if (o == nullptr) return;
  Reader r = top.Nested(*o, "ombudsman");
  r.OnlyKeys({"name", "address", "phone", "email", "website", "in_acknowledgement",
              "designated_person_step", "wait_weeks", "referral_limit", "referral_from"});
  OmbudsmanDetails& d = policy.ombudsman;
  d.name = r.String("name", true);
  d.address = r.String("address", false);
  d.phone = r.String("phone", false);
  d.email = r.String("email", false);
  d.website = r.String("website", false);
  d.in_acknowledgement = r.Bool("in_acknowledgement", true);
  d.designated_person_step = r.Bool("designated_person_step", false);
  d.wait_weeks = r.Days("wait_weeks", false, 1, 52);
  d.referral_limit = r.String("referral_limit", false);
  if (const std::string from = r.String("referral_from", false); !from.empty()) {
    if (from != "final_response" && from != "original_complaint") {
      r.Fail("referral_from", "expected \"final_response\" or \"original_complaint\"");
    }
    d.referral_from = from;
  }
}

void ReadTop(Reader& top, Policy& policy) {
  top.OnlyKeys({"id", "name", "landlord", "source", "reference_format", "region",
                "close_of_business", "pre_formal", "stages", "exclusions", "remedies", "ombudsman",
                "notes", "promises_late_notice"});
  policy.id = top.String("id", true);
  policy.name = top.String("name", true);
  policy.landlord = top.String("landlord", true);
  policy.source = top.String("source", false);
  policy.reference_format = top.String("reference_format", true);
  if (top.ok()) {
    if (Status s = ValidateReferenceFormat(policy.reference_format); !s) {
      top.Fail("reference_format", s.error());
    }
  }
  policy.promises_late_notice = top.Bool("promises_late_notice", false);
  const std::string region = top.String("region", false);
  if (!region.empty()) {
    Result<Division> division = ParseDivision(region);
    if (division) {
      policy.division = *division;
    } else {
      top.Fail("region", division.error());
    }
  }
  const std::string close = top.String("close_of_business", false);
  if (!close.empty()) {
    Result<std::chrono::minutes> minutes = ParseClockTime(close);
    if (minutes) {
      policy.close_of_business = *minutes;
    } else {
      top.Fail("close_of_business", minutes.error());
    }
  }
}

}  // namespace

const RefusalReason* Policy::FindRefusalReason(const std::string& code) const {
  for (const RefusalReason& r : refusal_reasons) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

Result<Policy> ParsePolicy(const std::string& text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return Result<Policy>::Error(source + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object()) return Result<Policy>::Error(source + ": expected a JSON object");
  std::string error;
  Reader top(doc, "", &error);
  Policy policy;
  ReadTop(top, policy);
  policy.pre_formal = ReadPreFormal(top);
  if (const json* stages = top.Array("stages", true)) {
    if (stages->empty()) top.Fail("stages", "at least one stage is required");
    for (size_t i = 0; i < stages->size() && top.ok(); ++i) {
      if (!(*stages)[i].is_object()) {
        top.Fail("stages[" + std::to_string(i) + "]", "expected an object");
        break;
      }
      Reader stage = top.Nested((*stages)[i], "stages", i);
      policy.stages.push_back(ReadStage(stage));
    }
  }
  ReadExclusions(top, policy);
  if (const json* remedies = top.Object("remedies", false)) {
    Reader r = top.Nested(*remedies, "remedies");
    r.OnlyKeys({"financial_loss_only"});
    policy.compensation_financial_loss_only = r.Bool("financial_loss_only", false);
  }
  ReadOmbudsman(top, policy);
  if (const json* notes = top.Array("notes", false)) {
    for (const json& note : *notes) {
      if (note.is_string()) policy.notes.push_back(note.get<std::string>());
    }
  }
  if (!error.empty()) return Result<Policy>::Error(source + ": " + error);
  return policy;
}

Result<Policy> LoadPolicy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<Policy>::Error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return ParsePolicy(text.str(), path);
}

std::string FormatReference(const std::string& format, int year, long sequence) {
  std::string out;
  for (size_t i = 0; i < format.size();) {
    if (format.compare(i, 6, "{year}") == 0) {
      out += std::to_string(year);
      i += 6;
    } else if (format.compare(i, 5, "{seq:") == 0 && i + 7 <= format.size()) {
      const size_t width = static_cast<size_t>(format[i + 5] - '0');
      std::string digits = std::to_string(sequence);
      if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
      out += digits;
      i += 7;
    } else {
      out += format[i++];
    }
  }
  return out;
}

std::string ReferencePattern(const std::string& format) {
  std::string out;
  for (size_t i = 0; i < format.size();) {
    if (format.compare(i, 6, "{year}") == 0) {
      out += "[0-9]{4}";
      i += 6;
    } else if (format.compare(i, 5, "{seq:") == 0 && i + 7 <= format.size()) {
      out += "[0-9]{" + std::string(1, format[i + 5]) + ",}";
      i += 7;
    } else {
      const char c = format[i++];
      if (c == '-' || c == '/') out += '\\';
      out += c;
    }
  }
  return out;
}

namespace {

std::string Days(int n) { return std::to_string(n) + (n == 1 ? " working day" : " working days"); }

void CheckStage(const StagePolicy& s, size_t index, std::vector<CodeConflict>& out) {
  const bool first = index == 0;
  const int ack_limit = 5, respond_limit = first ? 10 : 20, extension_limit = first ? 10 : 20;
  const int ack = s.acknowledge_days.value_or(s.respond_days);
  if (ack > ack_limit) {
    out.push_back({first ? "6.2" : "6.11", s.name + ": acknowledged within " + Days(ack) +
                                               "; the Code allows " + Days(ack_limit)});
  }
  if (s.respond_days > respond_limit) {
    out.push_back({first ? "6.3" : "6.13", s.name + ": responds within " + Days(s.respond_days) +
                                               "; the Code allows " + Days(respond_limit) +
                                               " from the acknowledgement"});
  }
  if (!s.max_extension_days) {
    out.push_back({first ? "6.4" : "6.14", s.name + ": no cap on extensions; the Code allows " +
                                               Days(extension_limit) + " more at most"});
  } else if (*s.max_extension_days > extension_limit) {
    out.push_back({first ? "6.4" : "6.14", s.name + ": extensions of up to " +
                                               Days(*s.max_extension_days) + "; the Code allows " +
                                               Days(extension_limit)});
  }
}

}  // namespace

std::vector<CodeConflict> CheckAgainstCode(const Policy& policy) {
  std::vector<CodeConflict> out;
  if (policy.pre_formal) {
    out.push_back({"5.2", "a named pre-formal step ('" + policy.pre_formal->name +
                              "'): the Code allows none before stage 1; treat it as a service "
                              "request and offer a stage 1 complaint to anyone dissatisfied"});
  }
  if (policy.stages.size() > 2) {
    out.push_back({"5.3", std::to_string(policy.stages.size()) + " stages ('" +
                              policy.stages.back().name + "' is extra): the Code allows two"});
  }
  if (policy.exclusion_max_age_months && *policy.exclusion_max_age_months < 12) {
    out.push_back({"2.3", "matters over " + std::to_string(*policy.exclusion_max_age_months) +
                              " months old are excluded: the Code requires accepting complaints "
                              "made within 12 months"});
  }
  for (size_t i = 0; i < policy.stages.size() && i < 2; ++i) CheckStage(policy.stages[i], i, out);
  if (policy.compensation_financial_loss_only) {
    out.push_back({"7.1",
                   "compensation only for financial loss: remedies must reflect the impact "
                   "on the resident, including distress and inconvenience"});
  }
  if (policy.ombudsman.designated_person_step || policy.ombudsman.wait_weeks) {
    out.push_back({"Ombudsman access",
                   "a designated person or a waiting period before the "
                   "Ombudsman: both were abolished on 1 October 2022"});
  }
  if (policy.ombudsman.referral_from == "original_complaint") {
    out.push_back({"Ombudsman access",
                   "12 months for the Ombudsman counted from the original "
                   "complaint: the Ombudsman counts from the final response"});
  }
  return out;
}

std::string DescribePolicy(const Policy& policy) {
  std::ostringstream out;
  out << policy.landlord << " (policy " << policy.id << "): " << policy.name << "\n";
  out << "Working days: " << DivisionName(policy.division)
      << " bank holidays; mail at or after close of business ("
      << policy.close_of_business.count() / 60 << ":"
      << (policy.close_of_business.count() % 60 < 10 ? "0" : "")
      << policy.close_of_business.count() % 60 << ") counts as received the next working day.\n";
  out << "References look like " << FormatReference(policy.reference_format, 2026, 42) << ".\n";
  if (const auto& pre = policy.pre_formal) {
    out << pre->name << ": " << pre->handler;
    out << (pre->resolve_within_days ? " resolves it within " + Days(*pre->resolve_within_days)
                                     : " tries to resolve it (no time limit set)");
    if (pre->escalate_within_days) {
      out << "; the resident may move to the formal process within "
          << Days(*pre->escalate_within_days);
    }
    out << ".\n";
  }
  for (const StagePolicy& s : policy.stages) {
    out << s.name << " (" << s.handler << "): ";
    if (s.acknowledge_days) {
      out << "acknowledge within " << Days(*s.acknowledge_days) << " of receipt; ";
    } else {
      out << "the response is the acknowledgement; ";
    }
    out << "respond within " << Days(s.respond_days) << " of "
        << (s.response_clock == ResponseClock::kReceipt ? "receipt" : "the acknowledgement");
    out << (s.max_extension_days ? "; extensions up to " + Days(*s.max_extension_days)
                                 : "; no cap on extensions");
    if (s.escalation_window_days) {
      out << "; the resident may ask for the next stage within " << Days(*s.escalation_window_days)
          << " of the response";
    }
    if (s.panel) out << "; decided by a panel of " << s.panel->members;
    if (s.direct_entry) out << "; complex complaints may start here";
    out << ".\n";
  }
  if (policy.exclusion_max_age_months) {
    out << "Excluded: matters over " << *policy.exclusion_max_age_months << " months old";
    for (const RefusalReason& r : policy.refusal_reasons) {
      if (r.code != "older-than-limit") out << "; " << r.text;
    }
    out << ".\n";
  }
  out << "Ombudsman: " << policy.ombudsman.name;
  if (!policy.ombudsman.phone.empty()) out << ", " << policy.ombudsman.phone;
  if (!policy.ombudsman.email.empty()) out << ", " << policy.ombudsman.email;
  if (!policy.ombudsman.referral_limit.empty())
    out << " (" << policy.ombudsman.referral_limit << ")";
  out << ".\n";
  for (const std::string& note : policy.notes) out << "Note: " << note << "\n";
  return out.str();
}

}  // namespace complaints
