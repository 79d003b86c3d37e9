#include "parsers/spam_verdict.h"

#include <unicode/uidna.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <initializer_list>
#include <map>

#include "parsers/ascii_case.h"
#include "parsers/header_text.h"
#include "parsers/mail_text.h"

namespace complaints {
namespace {

constexpr size_t kNpos = std::string_view::npos;

// ---------------------------------------------------------------------------------------------
// The header section.

struct Field {
  std::string name;   // lower case
  std::string value;  // unfolded and trimmed
};

struct HeaderSection {
  std::vector<Field> fields;  // top first
  size_t body = 0;            // where the body starts in the raw message
};

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool IsFieldName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) > 32 && static_cast<unsigned char>(c) < 127 && c != ':';
  });
}

// To the first empty line. A line starting with white space continues the field above it; a line
// that is neither a field nor a continuation is skipped, and so is whatever folds under it.
HeaderSection ReadHeaderSection(std::string_view raw) {
  HeaderSection h;
  size_t pos = raw.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  if (raw.substr(pos, 5) == "From ") {  // an mbox separator line
    const size_t eol = raw.find('\n', pos);
    pos = eol == kNpos ? raw.size() : eol + 1;
  }
  bool continuing = false;
  while (pos < raw.size()) {
    const size_t eol = raw.find('\n', pos);
    std::string_view line = raw.substr(pos, eol == kNpos ? kNpos : eol - pos);
    pos = eol == kNpos ? raw.size() : eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {
      if (continuing && !Trim(line).empty()) {
        h.fields.back().value += ' ';
        h.fields.back().value += Trim(line);
      }
      continue;
    }
    const size_t colon = line.find(':');
    // "X-Spam-Flag : YES" (white space before the colon) is RFC 5322's obsolete syntax: read it.
    const std::string_view name = colon == kNpos ? "" : Trim(line.substr(0, colon));
    continuing = IsFieldName(name);
    if (continuing)
      h.fields.push_back({LowerAscii(name), std::string(Trim(line.substr(colon + 1)))});
  }
  h.body = pos;
  return h;
}

const Field* Topmost(const HeaderSection& h, std::string_view name) {
  for (const Field& f : h.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// Header text and words from strangers made safe for one line of a staff screen: control
// characters become spaces, runs of spaces one, invalid UTF-8 '?', at most `max` bytes.
std::string Shown(std::string_view s, size_t max = 100) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!IsValidUtf8(out)) {
    for (char& c : out) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
  }
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "...";
  }
  return out;
}

void Decide(SpamVerdict& v, std::string line) { v.reasons.push_back(std::move(line)); }
void Note(SpamVerdict& v, std::string line) { v.evidence.push_back(std::move(line)); }

std::string_view FirstWord(std::string_view value) {
  value = Trim(value);
  return value.substr(0, value.find_first_of(" \t,;"));
}

std::optional<int> SmallInt(std::string_view s) {
  s = Trim(s);
  int n = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// ---------------------------------------------------------------------------------------------
// 1. Upstream verdicts.

void ReadSpamAssassin(const HeaderSection& h, SpamVerdict& v) {
  const Field* checker = Topmost(h, "x-spam-checker-version");
  const std::string who = checker ? "upstream " + Shown(checker->value, 60) : "upstream filter";
  const Field* flag = Topmost(h, "x-spam-flag");
  if (flag != nullptr && EqualsIgnoringCase(FirstWord(flag->value), "yes")) {
    Decide(v, "X-Spam-Flag: YES (" + who + ")");
  }
  const Field* status = Topmost(h, "x-spam-status");
  if (status != nullptr && EqualsIgnoringCase(FirstWord(status->value), "yes")) {
    const std::string_view value = status->value;
    Decide(v, "X-Spam-Status: " + Shown(value.substr(0, FindIgnoringCase(value, " tests=")), 80) +
                  " (" + who + ")");
  }
}

void ReadRspamd(const HeaderSection& h, SpamVerdict& v) {
  // "default: True [16.20 / 15.00]; SYMBOL(1.00)[...]; ...": rspamd writes True only for reject.
  if (const Field* result = Topmost(h, "x-spamd-result")) {
    std::string_view r = Trim(result->value);
    if (StartsWithIgnoringCase(r, "default:")) {
      r = Trim(r.substr(8));
      if (StartsWithIgnoringCase(r, "true")) {
        const size_t end = r.find(']');
        Decide(v, "X-Spamd-Result: default: " + Shown(r.substr(0, end == kNpos ? 4 : end + 1), 60) +
                      " (rspamd would reject it)");
      }
    }
  }
  if (const Field* action = Topmost(h, "x-rspamd-action")) {
    const std::string a = LowerAscii(Shown(action->value, 40));
    if (a == "reject" || a == "add header" || a == "rewrite subject") {
      Decide(v, "X-Rspamd-Action: " + a + " (rspamd)");
    }
  }
}

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
  }
  return out;
}

// "CIP:203.0.113.7;CTRY:RU;LANG:en;SCL:9;SRV:;IPV:NLI;SFV:SPM;H:...;CAT:SPM;SFS:(...);DIR:INB;"
std::map<std::string, std::string> ForefrontFields(std::string_view value) {
  std::map<std::string, std::string> fields;
  while (!value.empty()) {
    const size_t semi = value.find(';');
    const std::string_view item = value.substr(0, semi);
    value.remove_prefix(semi == kNpos ? value.size() : semi + 1);
    const size_t colon = item.find(':');
    if (colon == kNpos) continue;
    fields.emplace(UpperAscii(Trim(item.substr(0, colon))),  // the first of a repeated key counts
                   UpperAscii(Trim(item.substr(colon + 1))));
  }
  return fields;
}

const char* ForefrontVerdict(const std::string& sfv) {
  if (sfv == "SPM") return "Microsoft 365 filtered it as spam";
  if (sfv == "SKS") return "marked as spam by a mail flow rule";
  if (sfv == "SKB") return "the sender or its domain is blocked";
  if (sfv == "BLK") return "the sender is on a blocked senders list";
  return nullptr;
}

// Decisive categories, and the two noted only.
const char* ForefrontCategory(const std::string& cat, bool& decisive) {
  static const std::map<std::string, const char*> kDecisive = {
      {"PHSH", "phishing"},
      {"HPHSH", "high confidence phishing"},
      {"HPHISH", "high confidence phishing"},
      {"HSPM", "high confidence spam"},
      {"SPM", "spam"},
      {"MALW", "malware"},
      {"AMP", "malware"},
      {"SAP", "a malicious attachment"},
      {"DIMP", "domain impersonation"},
      {"UIMP", "user impersonation"},
      {"GIMP", "impersonation (mailbox intelligence)"},
      {"BIMP", "brand impersonation"},
      {"INTOS", "phishing from inside the organisation"}};
  decisive = kDecisive.count(cat) > 0;
  if (decisive) return kDecisive.at(cat);
  if (cat == "SPOOF") return "spoofing: the sender could not be authenticated";
  if (cat == "BULK") return "bulk mail";
  return nullptr;
}

void ReadForefront(std::string_view value, int threshold, bool scl_read, SpamVerdict& v) {
  const std::map<std::string, std::string> f = ForefrontFields(value);
  const auto at = [&](const char* key) { return f.count(key) ? f.at(key) : std::string(); };
  if (const char* why = ForefrontVerdict(at("SFV"))) {
    Decide(v, "X-Forefront-Antispam-Report: SFV:" + at("SFV") + " (" + why + ")");
  }
  const std::optional<int> scl = SmallInt(at("SCL"));
  if (!scl_read && scl && *scl >= threshold) {
    Decide(v, "X-Forefront-Antispam-Report: SCL:" + std::to_string(*scl) + " (Microsoft 365; " +
                  std::to_string(threshold) + " or more is spam)");
  }
  const std::string cats = at("CAT");  // one category, or (undocumented) a comma list
  for (std::string_view rest = cats; !rest.empty();) {
    const size_t comma = rest.find(',');
    const std::string cat(Trim(rest.substr(0, comma)));
    rest.remove_prefix(comma == kNpos ? rest.size() : comma + 1);
    bool decisive = false;
    const char* what = ForefrontCategory(cat, decisive);
    if (what == nullptr) continue;
    std::string line = "X-Forefront-Antispam-Report: CAT:" + cat + " (Microsoft 365: " + what + ")";
    decisive ? Decide(v, std::move(line)) : Note(v, std::move(line));
  }
}

void ReadMicrosoft(const HeaderSection& h, int threshold, SpamVerdict& v) {
  const Field* scl_field = Topmost(h, "x-ms-exchange-organization-scl");
  const std::optional<int> scl = scl_field ? SmallInt(scl_field->value) : std::nullopt;
  if (scl && *scl >= threshold) {
    Decide(v, "X-MS-Exchange-Organization-SCL: " + std::to_string(*scl) + " (Microsoft 365; " +
                  std::to_string(threshold) + " or more is spam)");
  }
  if (const Field* report = Topmost(h, "x-forefront-antispam-report")) {
    ReadForefront(report->value, threshold, scl.has_value(), v);
  }
  if (const Field* antispam = Topmost(h, "x-microsoft-antispam")) {
    const std::map<std::string, std::string> f = ForefrontFields(antispam->value);
    const std::optional<int> bcl = f.count("BCL") ? SmallInt(f.at("BCL")) : std::nullopt;
    if (bcl && *bcl >= 7) {
      Note(v, "X-Microsoft-Antispam: BCL:" + std::to_string(*bcl) + " (Microsoft 365: bulk mail)");
    }
  }
}

void ReadGoogle(const HeaderSection& h, SpamVerdict& v) {
  for (const char* name : {"X-Gm-Spam", "X-Gm-Phishy"}) {
    const Field* f = Topmost(h, LowerAscii(name));
    if (f != nullptr && FirstWord(f->value) == "1") {
      Note(v, std::string(name) + ": 1 (Google; undocumented, so noted only)");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Authentication-Results (RFC 8601), as Microsoft 365 writes it too: without an authserv-id
// ("spf=pass (sender IP is ...) smtp.mailfrom=...; dkim=...;dmarc=fail action=oreject
// header.from=...;compauth=fail reason=000").

struct AuthResult {
  std::string method;   // "spf", "dkim", "dmarc", "compauth"
  std::string result;   // "pass", "fail", ...
  std::string comment;  // the text in parentheses, where Google and OpenDMARC put "p=REJECT"
  std::map<std::string, std::string> props;  // "header.from" -> "westway.org.uk"; "action"
};

// The statements of one header, split at ';' outside comments and quoted strings.
std::vector<AuthResult> ParseAuthResults(std::string_view value) {
  std::vector<AuthResult> out;
  std::vector<std::string> tokens;
  std::string token, comment;
  int depth = 0;
  bool quoted = false;
  const auto end_token = [&] {
    if (!token.empty()) tokens.push_back(std::move(token));
    token.clear();
  };
  const auto end_statement = [&] {
    end_token();
    const size_t eq = tokens.empty() ? kNpos : tokens[0].find('=');
    if (eq != kNpos) {
      AuthResult r;
      r.method = LowerAscii(tokens[0].substr(0, std::min(eq, tokens[0].find('/'))));
      r.result = LowerAscii(tokens[0].substr(eq + 1));
      r.comment = comment;
      for (size_t i = 1; i < tokens.size(); ++i) {
        const size_t e = tokens[i].find('=');
        if (e != kNpos) r.props[LowerAscii(tokens[i].substr(0, e))] = tokens[i].substr(e + 1);
      }
      out.push_back(std::move(r));
    }  // else the authserv-id (and version), or "none"
    tokens.clear();
    comment.clear();
  };
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (quoted) {
      if (c == '\\' && i + 1 < value.size()) {
        token += value[++i];
      } else if (c == '"') {
        quoted = false;
      } else {
        token += c;
      }
    } else if (depth > 0) {
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if (depth > 0) comment += c;
      if (c == '\\' && i + 1 < value.size()) comment += value[++i];
    } else if (c == '(') {
      end_token();
      depth = 1;
      if (!comment.empty()) comment += ' ';
    } else if (c == '"') {
      quoted = true;
    } else if (c == ';') {
      end_statement();
    } else if (c == ' ' || c == '\t') {
      end_token();
    } else {
      token += c;
    }
  }
  end_statement();
  return out;
}

std::string DomainOf(std::string_view address) {
  const size_t at = address.rfind('@');
  std::string_view d = Trim(at == kNpos ? std::string_view() : address.substr(at + 1));
  while (!d.empty() && (d.back() == '.' || d.back() == '>')) d.remove_suffix(1);
  return LowerAscii(d);
}

// `domain` is `base` or below it.
bool IsAtOrBelow(std::string_view domain, std::string_view base) {
  if (base.empty() || domain.size() < base.size()) return false;
  if (!EqualsIgnoringCase(domain.substr(domain.size() - base.size()), base)) return false;
  return domain.size() == base.size() || domain[domain.size() - base.size() - 1] == '.';
}

bool IsOwn(std::string_view domain, const SpamSettings& s) {
  return std::any_of(s.own_domains.begin(), s.own_domains.end(),
                     [&](const std::string& own) { return IsAtOrBelow(domain, own); });
}

// "reject" from Google's and OpenDMARC's "(p=REJECT sp=REJECT dis=NONE)", rspamd's
// "(policy=reject)", or Microsoft's "action=oreject".
std::string DmarcPolicy(const AuthResult& r) {
  const std::string comment = LowerAscii(r.comment);
  for (const std::string_view key : {std::string_view("p="), std::string_view("policy=")}) {
    for (size_t at = comment.find(key); at != std::string::npos; at = comment.find(key, at + 1)) {
      if (at > 0 && comment[at - 1] != ' ') continue;  // "sp=" is the subdomains' policy
      const std::string_view rest = std::string_view(comment).substr(at + key.size());
      return Shown(rest.substr(0, rest.find_first_of(" ;,)")), 20);
    }
  }
  return r.props.count("action") ? LowerAscii(Shown(r.props.at("action"), 20)) : "";
}

std::string Prop(const AuthResult& r, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (r.props.count(key)) return " (" + std::string(key) + "=" + Shown(r.props.at(key), 60) + ")";
  }
  return "";
}

void ReadAuthentication(const HeaderSection& h, const SpamInput& in, const SpamSettings& s,
                        SpamVerdict& v) {
  const Field* field = Topmost(h, "authentication-results");
  if (field == nullptr) return;
  const std::vector<AuthResult> results = ParseAuthResults(field->value);
  const bool dkim_passed = std::any_of(results.begin(), results.end(), [](const AuthResult& r) {
    return r.method == "dkim" && r.result == "pass";
  });
  bool dmarc_failed_elsewhere = false;
  for (const AuthResult& r : results) {
    if (r.method == "spf" && (r.result == "fail" || r.result == "softfail")) {
      Note(v, "SPF " + r.result + Prop(r, {"smtp.mailfrom"}));
    } else if (r.method == "dkim" && r.result == "fail" && !dkim_passed) {
      Note(v, "DKIM fail" + Prop(r, {"header.d", "header.i"}));
    } else if (r.method == "compauth" && r.result == "fail") {
      Note(v, "compauth=fail (Microsoft 365 could not authenticate the sender)");
    } else if (r.method == "dmarc" && r.result == "fail") {
      std::string domain = r.props.count("header.from")
                               ? LowerAscii(Trim(r.props.at("header.from")))
                               : DomainOf(in.from_address);
      if (domain.find('@') != std::string::npos) domain = DomainOf(domain);
      const std::string policy = DmarcPolicy(r);
      if (IsOwn(domain, s)) {
        Decide(v, "DMARC fail for our own domain " + Shown(domain, 80) +
                      ": someone else is sending as the landlord");
      } else {
        dmarc_failed_elsewhere = true;
        Note(v, "DMARC fail for " + Shown(domain, 80) +
                    (policy.empty() ? "" : " (its policy: " + policy + ")"));
      }
    }
  }
  // Mail forwarded on the way (a resident's own forwarding, a list) fails DMARC here although the
  // first hop saw it pass; ARC carries what that hop saw, and Google writes it into its own
  // Authentication-Results: "arc=pass (i=1 spf=pass ... dmarc=pass fromdomain=...)". A sender can
  // forge an ARC chain, so this is a note for staff only.
  for (const AuthResult& r : results) {
    if (dmarc_failed_elsewhere && r.method == "arc" && r.result == "pass" &&
        FindIgnoringCase(r.comment, "dmarc=pass") != kNpos) {
      Note(v, "ARC: an earlier hop saw dmarc=pass (forwarded mail)");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Lookalikes.

// ICU's confusables checker and IDNA converter: set up once, then read-only, which ICU documents
// as safe to share between threads. Null when ICU cannot make them (then labels compare as
// written).
const USpoofChecker* SpoofChecker() {
  static const USpoofChecker* const checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* c = uspoof_open(&status);
    return U_SUCCESS(status) ? c : nullptr;
  }();
  return checker;
}

const UIDNA* Idna() {
  static const UIDNA* const idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* i = uidna_openUTS46(UIDNA_DEFAULT, &status);
    return U_SUCCESS(status) ? i : nullptr;
  }();
  return idna;
}

// A name in xn-- (punycode) form as Unicode UTF-8; unchanged when it is not one or is invalid.
std::string FromPunycode(const std::string& name, bool label) {
  if (Idna() == nullptr || FindIgnoringCase(name, "xn--") == kNpos) return name;
  std::string out(name.size() * 4 + 16, '\0');
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  const auto convert = label ? uidna_labelToUnicodeUTF8 : uidna_nameToUnicodeUTF8;
  const int32_t n = convert(Idna(), name.data(), static_cast<int32_t>(name.size()), out.data(),
                            static_cast<int32_t>(out.size()), &info, &status);
  if (U_FAILURE(status) || info.errors != 0 || n < 0) return name;
  out.resize(static_cast<size_t>(n));
  return out;
}

// What a label looks like: decoded from punycode, Unicode's confusable skeleton (UTS #39: a
// Cyrillic е is e, rn is m, 0 is o, 1 is l), lower case, and vv as w.
std::string Folded(std::string_view label) {
  std::string text = FromPunycode(std::string(label), true);
  if (const USpoofChecker* checker = SpoofChecker()) {
    std::string skeleton(text.size() * 4 + 16, '\0');
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n =
        uspoof_getSkeletonUTF8(checker, 0, text.data(), static_cast<int32_t>(text.size()),
                               skeleton.data(), static_cast<int32_t>(skeleton.size()), &status);
    if (U_SUCCESS(status) && n >= 0 && static_cast<size_t>(n) <= skeleton.size()) {
      skeleton.resize(static_cast<size_t>(n));
      text = std::move(skeleton);
    }
  }
  text = LowerAscii(text);
  for (size_t at; (at = text.find("vv")) != std::string::npos;) text.replace(at, 2, "w");
  return text;
}

// Edits (insert, delete, replace, swap of neighbours) from a to b: optimal string alignment.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::vector<std::string_view> Labels(std::string_view domain) {
  std::vector<std::string_view> labels;
  while (!domain.empty()) {
    const size_t dot = domain.find('.');
    labels.push_back(domain.substr(0, dot));
    domain.remove_prefix(dot == kNpos ? domain.size() : dot + 1);
  }
  return labels;
}

std::optional<std::string> LabelImitates(std::string_view label, std::string_view name) {
  if (label.empty() || label.size() > 63) return std::nullopt;
  const std::string folded = Folded(label), folded_name = Folded(name);
  if (folded == folded_name) {
    return std::string(label == name ? "the same name" : "looks the same");
  }
  if (name.size() >= 4) {
    const size_t edits = EditDistance(folded, folded_name);
    if (edits <= (name.size() >= 9 ? 2u : 1u)) {
      return std::string(edits == 1 ? "one letter off" : "two letters off");
    }
  }
  if (name.size() >= 5 && folded.find(folded_name) != std::string::npos) {
    return std::string("its name with other words");
  }
  return std::nullopt;
}

void ReadLookalike(const char* which, std::string_view address, const SpamSettings& s,
                   SpamVerdict& v) {
  const std::string domain = DomainOf(address);
  const std::optional<Imitation> imitation = ImitatedDomain(domain, s);
  if (!imitation) return;
  const std::string unicode = FromPunycode(domain, false);
  const std::string shown =
      Shown(domain, 80) + (unicode != domain ? " (" + Shown(unicode, 80) + ")" : "");
  Decide(v, std::string(which) + " domain " + shown + " imitates " + imitation->own_domain + " (" +
                imitation->how + ")");
}

// ---------------------------------------------------------------------------------------------
// 4. Credential lures, matched on words: lower case, letters and digits with - and ' inside.

using Words = std::vector<std::string_view>;

Words WordsOf(const std::string& lowered) {
  Words words;
  const auto word_char = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
  };
  size_t i = 0;
  while (i < lowered.size()) {
    while (i < lowered.size() && !word_char(static_cast<unsigned char>(lowered[i]))) ++i;
    const size_t start = i;
    while (i < lowered.size()) {
      const auto c = static_cast<unsigned char>(lowered[i]);
      const bool inner = (c == '-' || c == '\'') && i + 1 < lowered.size() &&
                         word_char(static_cast<unsigned char>(lowered[i + 1]));
      if (!word_char(c) && !inner) break;
      ++i;
    }
    if (i > start) words.push_back(std::string_view(lowered).substr(start, i - start));
  }
  return words;
}

// A phrase pattern: words separated by spaces, alternatives by '|', '?' before an optional word.
// "ADJ" stands for a word that may describe an account ("email", "microsoft", our own name).
struct Slot {
  bool optional = false;
  std::vector<std::string> words;
};
using Pattern = std::vector<Slot>;

Pattern ParsePattern(std::string_view spec, const std::vector<std::string>& adjectives) {
  Pattern p;
  for (std::string_view rest = spec; !rest.empty();) {
    const size_t space = rest.find(' ');
    std::string_view item = rest.substr(0, space);
    rest.remove_prefix(space == kNpos ? rest.size() : space + 1);
    if (item.empty()) continue;
    Slot slot;
    slot.optional = item[0] == '?';
    if (slot.optional) item.remove_prefix(1);
    if (item == "ADJ") {
      slot.words = adjectives;
    } else {
      for (std::string_view alt = item; !alt.empty();) {
        const size_t bar = alt.find('|');
        slot.words.emplace_back(alt.substr(0, bar));
        alt.remove_prefix(bar == kNpos ? alt.size() : bar + 1);
      }
    }
    p.push_back(std::move(slot));
  }
  return p;
}

bool MatchAt(const Words& w, size_t i, const Pattern& p, size_t slot, size_t& end) {
  if (slot == p.size()) {
    end = i;
    return true;
  }
  const Slot& s = p[slot];
  if (i < w.size() && std::find(s.words.begin(), s.words.end(), w[i]) != s.words.end() &&
      MatchAt(w, i + 1, p, slot + 1, end)) {
    return true;
  }
  return s.optional && MatchAt(w, i, p, slot + 1, end);
}

// The first words matching any of `patterns`, joined by spaces; "" when none match.
std::string FindPhrase(const Words& w, const std::vector<Pattern>& patterns) {
  for (size_t i = 0; i < w.size(); ++i) {
    for (const Pattern& p : patterns) {
      size_t end = 0;
      if (!MatchAt(w, i, p, 0, end)) continue;
      std::string phrase;
      for (size_t k = i; k < end; ++k) phrase += (phrase.empty() ? "" : " ") + std::string(w[k]);
      return phrase;
    }
  }
  return "";
}

std::vector<Pattern> Patterns(std::initializer_list<const char*> specs,
                              const std::vector<std::string>& adjectives = {}) {
  std::vector<Pattern> out;
  for (const char* spec : specs) out.push_back(ParsePattern(spec, adjectives));
  return out;
}

// Words that may stand between "your" and "account": "your Microsoft 365 email account".
std::vector<std::string> Adjectives(const SpamSettings& s) {
  std::vector<std::string> adj = {"email",  "e-mail",   "mail", "webmail", "outlook", "microsoft",
                                  "office", "365",      "o365", "work",    "staff",   "current",
                                  "same",   "existing", "old",  "online",  "user",    "network"};
  for (const std::string& own : s.own_domains)
    adj.push_back(LowerAscii(own.substr(0, own.find('.'))));
  return adj;
}

// Requests to act on the reader's account, password or mailbox. Statements about a mailbox or a
// password ("your mailbox is full") are not among them: a resident whose mail to us bounced
// writes those too.
std::vector<Pattern> LurePatterns(const SpamSettings& s) {
  return Patterns(
      {"verify|validate|revalidate|re-validate|reactivate|re-activate|reconfirm|re-confirm|confirm|"
       "upgrade|unlock|increase|retain|authenticate your ?ADJ ?ADJ account|accounts|mailbox|"
       "mail-box|inbox|password|login|log-in|logon|credentials|identity|storage|quota",
       "keep|retain your ?ADJ ?ADJ password|account|mailbox|inbox",
       "keep|continue using your ?ADJ ?ADJ password|account|mailbox|inbox|email|e-mail",
       "click|tap|press here|below|on|the ?the ?link|button|below|here ?below to "
       "keep|retain|verify|"
       "validate|revalidate|re-validate|confirm|upgrade|increase|restore|reactivate|re-activate|"
       "unlock|release|retrieve|recover|avoid|prevent|secure|sign|log|login|sign-in|log-in|"
       "continue|"
       "access",
       "sign|log in with your ?ADJ ?ADJ password|credentials|account|email|e-mail|login|details",
       "sign-in|signin|login|log-in|logon with your ?ADJ ?ADJ password|credentials|account|email|"
       "e-mail|details",
       "enter|provide|submit|re-enter|reenter your ?ADJ ?ADJ password|passwords|credentials|login",
       // A shared-document notice: "sign in to view the secure document". Without the adjective,
       // "log in to view the document you sent" is a resident's.
       "sign|log in to view|access|open|read|download|review the|this|your|a secure|encrypted|"
       "shared|protected document|documents|file|files|message|pdf|fax|voicemail",
       "sign-in|signin|login|log-in|logon to view|access|open|read|download|review the|this|your|a "
       "secure|encrypted|shared|protected document|documents|file|files|message|pdf|fax|voicemail"},
      Adjectives(s));
}

// Wording of a link whose address the text does not show (HTML anchors lose it).
std::vector<Pattern> ClickPatterns() {
  return Patterns({"click|tap|press here|below", "click|tap|press on|the ?the link|button"});
}

// In the name of the landlord or its IT desk.
std::vector<Pattern> NamePatterns(const SpamSettings& s) {
  std::vector<Pattern> p = Patterns(
      {"it service|support|help desk|helpdesk|team", "it helpdesk|department", "helpdesk",
       "help desk", "service desk", "technical|tech support", "system|systems administrator",
       "sysadmin", "mail|email|e-mail|mailbox|webmail|account administrator|admin", "webmail",
       "web mail", "mail|email|e-mail server", "postmaster", "microsoft|office 365", "o365",
       "microsoft outlook", "outlook web"});
  for (const std::string& own : s.own_domains) {
    p.push_back(ParsePattern(LowerAscii(own.substr(0, own.find('.'))), {}));
  }
  const std::string name = LowerAscii(s.landlord_name);
  std::string spec;
  for (std::string_view word : WordsOf(name)) spec += (spec.empty() ? "" : " ") + std::string(word);
  if (!spec.empty()) p.push_back(ParsePattern(spec, {}));
  return p;
}

struct Links {
  bool any = false;     // a URL was seen
  std::string outside;  // the host of one that leads outside our domains
};

// URLs in `text` (http://, https://, www.); "https://westway.org.uk@evil.example/" leads to
// evil.example.
void FindLinks(std::string_view text, const SpamSettings& s, Links& links) {
  const std::string lowered = LowerAscii(text);
  for (const char* scheme : {"http://", "https://", "www."}) {
    for (size_t at = lowered.find(scheme); at != std::string::npos;
         at = lowered.find(scheme, at + 1)) {
      if (scheme[0] == 'w' && at > 0 && std::isalnum(static_cast<unsigned char>(lowered[at - 1])))
        continue;
      const size_t start = at + (scheme[0] == 'w' ? 0 : std::strlen(scheme));
      const size_t end = lowered.find_first_of("/?#\"'<>()[]{} \t\r\n\\", start);
      std::string_view host = std::string_view(lowered).substr(start, end - start);
      if (const size_t user = host.rfind('@'); user != kNpos) host.remove_prefix(user + 1);
      host = host.substr(0, host.find(':'));
      while (!host.empty() && host.back() == '.') host.remove_suffix(1);
      if (host.empty()) continue;
      links.any = true;
      if (links.outside.empty() && !IsOwn(host, s)) links.outside = std::string(host);
    }
  }
}

// The raw body with quoted-printable soft line breaks taken out, so that a URL broken across
// lines reads whole. At most the first 4 MB.
std::string BodyForLinks(std::string_view raw, size_t body) {
  std::string out;
  const std::string_view b = raw.substr(std::min(body, raw.size()), 4 * 1024 * 1024);
  out.reserve(b.size());
  for (size_t i = 0; i < b.size(); ++i) {
    if (b[i] == '=' && b.substr(i + 1, 2) == "\r\n") {
      i += 2;
    } else if (b[i] == '=' && b.substr(i + 1, 1) == "\n") {
      i += 1;
    } else {
      out += b[i];
    }
  }
  return out;
}

bool IsBase64Line(std::string_view line) {
  return !line.empty() && std::all_of(line.begin(), line.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  });
}

// The base64 lines from `from` on, decoded.
std::string DecodeBase64Lines(std::string_view text, size_t from) {
  std::string encoded;
  while (from < text.size() && encoded.size() < 2 * 1024 * 1024) {
    const size_t eol = text.find('\n', from);
    const std::string_view line = Trim(text.substr(from, eol == kNpos ? kNpos : eol - from));
    from = eol == kNpos ? text.size() : eol + 1;
    if (!IsBase64Line(line)) break;
    encoded += line;
  }
  return DecodeBase64(encoded);
}

// HTML sent as base64 (as phishing kits do) hides its hrefs from a scan of the raw body: such
// parts decoded, for the link search only. The message's own header counts when it is not
// multipart; in a multipart body, each part header naming text/html and base64.
std::string Base64Html(std::string_view raw, const HeaderSection& h) {
  const std::string_view body = raw.substr(std::min(h.body, raw.size()));
  const Field* type = Topmost(h, "content-type");
  const Field* encoding = Topmost(h, "content-transfer-encoding");
  if (type != nullptr && encoding != nullptr && FindIgnoringCase(type->value, "text/html") == 0 &&
      EqualsIgnoringCase(Trim(encoding->value), "base64")) {
    return DecodeBase64Lines(body, 0);
  }
  std::string out;
  for (size_t at = FindIgnoringCase(body, "text/html"); at != kNpos && out.size() < (4u << 20);) {
    const size_t eol = at == 0 ? kNpos : body.rfind('\n', at);
    const size_t line = eol == kNpos ? 0 : eol + 1;
    // The part's header ends at an empty line ("\n\n" or "\n\r\n"); its content follows.
    size_t end = body.find("\n\n", at), content = end + 2;
    const size_t crlf = body.find("\n\r\n", at);
    if (crlf != kNpos && (end == kNpos || crlf < end)) {
      end = crlf;
      content = crlf + 3;
    }
    if (end == kNpos) break;
    const std::string_view part_header = body.substr(line, end - line);
    if (StartsWithIgnoringCase(part_header, "content-type") &&
        FindIgnoringCase(part_header, "base64") != kNpos) {
      out += DecodeBase64Lines(body, content);
    }
    const size_t next = FindIgnoringCase(body.substr(at + 1), "text/html");
    at = next == kNpos ? kNpos : at + 1 + next;
  }
  return out;
}

bool IsForward(std::string_view subject) {
  subject = Trim(subject);
  return StartsWithIgnoringCase(subject, "fw:") || StartsWithIgnoringCase(subject, "fwd:") ||
         StartsWithIgnoringCase(subject, "fw :") || StartsWithIgnoringCase(subject, "fwd :");
}

// The lure's request in `text` ("" when none).
std::string LureRequest(const std::string& text, const SpamSettings& s) {
  const std::string lowered = LowerAscii(text);
  const Words words = WordsOf(lowered);
  return FindPhrase(words, LurePatterns(s));
}

void ReadLure(const SpamInput& in, const HeaderSection& h, const SpamSettings& s, SpamVerdict& v) {
  const std::string own_words = NewText(in.text);
  const std::string asked = (IsForward(in.subject) ? "" : in.subject + "\n") + own_words;
  const std::string request = LureRequest(asked, s);
  if (request.empty()) {
    const std::string quoted = LureRequest(in.text, s);
    if (!quoted.empty()) {
      Note(v, "Credential wording (\"" + Shown(quoted, 60) +
                  "\") only in quoted or forwarded text: not the sender's own words");
    }
    return;
  }
  Links links;
  FindLinks(in.text, s, links);
  FindLinks(BodyForLinks(in.raw, h.body), s, links);
  if (links.outside.empty()) FindLinks(Base64Html(in.raw, h), s, links);
  const bool unseen_link =
      !links.any && !FindPhrase(WordsOf(LowerAscii(asked)), ClickPatterns()).empty();
  const std::string all = LowerAscii(in.from_name + "\n" + in.subject + "\n" + own_words);
  const bool in_our_name = !FindPhrase(WordsOf(all), NamePatterns(s)).empty();
  const std::string from = DomainOf(in.from_address), reply = DomainOf(in.reply_to);
  const bool outsider = from.empty() || !IsOwn(from, s) || (!reply.empty() && !IsOwn(reply, s));

  std::vector<std::string> missing;
  if (links.outside.empty() && !unseen_link) missing.push_back("a link outside our domains");
  if (!in_our_name) missing.push_back("the landlord's or its IT desk's name");
  if (!outsider) missing.push_back("a sender outside our domains");
  if (missing.empty()) {
    const std::string link = !links.outside.empty() ? "a link to " + Shown(links.outside, 60)
                                                    : "a link the text does not show";
    Decide(v, "Credential lure in the landlord's name from outside our domains: \"" +
                  Shown(request, 60) + "\" with " + link);
    return;
  }
  std::string without;
  for (size_t i = 0; i < missing.size(); ++i) {
    without += (i == 0 ? "" : i + 1 == missing.size() ? " or " : ", ") + missing[i];
  }
  Note(v, "Credential wording (\"" + Shown(request, 60) + "\") without " + without);
}

// From a stranger, a display name that speaks for the landlord ("Westway IT Service Desk"):
// evidence only, since a web form's relay names the landlord too.
void ReadDisplayName(const SpamInput& in, const SpamSettings& s, SpamVerdict& v) {
  const std::string from = DomainOf(in.from_address);
  if (in.from_name.empty() || (!from.empty() && IsOwn(from, s))) return;
  if (FindPhrase(WordsOf(LowerAscii(in.from_name)), NamePatterns(s)).empty()) return;
  Note(v, "From name \"" + Shown(in.from_name, 60) +
              "\" speaks for the landlord or its IT desk from outside our domains");
}

}  // namespace

std::optional<Imitation> ImitatedDomain(std::string_view domain_in, const SpamSettings& s) {
  std::string_view trimmed = Trim(domain_in);
  while (!trimmed.empty() && trimmed.back() == '.') trimmed.remove_suffix(1);
  const std::string domain = LowerAscii(trimmed);
  if (domain.empty() || IsOwn(domain, s)) return std::nullopt;
  for (const std::string& other : s.lookalike_exceptions) {
    if (IsAtOrBelow(domain, other)) return std::nullopt;
  }
  std::vector<std::string_view> labels = Labels(domain);
  if (labels.size() < 2) return std::nullopt;
  labels.pop_back();  // the top-level domain
  for (const std::string& own : s.own_domains) {
    const std::string name = LowerAscii(own.substr(0, own.find('.')));
    if (name.empty()) continue;
    for (std::string_view label : labels) {
      if (std::optional<std::string> how = LabelImitates(label, name)) {
        return Imitation{own, *how};
      }
    }
  }
  return std::nullopt;
}

SpamVerdict JudgeSpam(const SpamInput& in, const SpamSettings& settings) {
  SpamVerdict v;
  const HeaderSection h = ReadHeaderSection(in.raw);
  ReadSpamAssassin(h, v);
  ReadRspamd(h, v);
  ReadMicrosoft(h, settings.scl_threshold, v);
  ReadGoogle(h, v);
  ReadAuthentication(h, in, settings, v);
  ReadLookalike("From", in.from_address, settings, v);
  if (DomainOf(in.reply_to) != DomainOf(in.from_address)) {
    ReadLookalike("Reply-To", in.reply_to, settings, v);
  }
  ReadLure(in, h, settings, v);
  ReadDisplayName(in, settings, v);
  v.suspected = !v.reasons.empty();
  return v;
}

}  // namespace complaints
