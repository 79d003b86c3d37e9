#include "parsers/letter_fields.h"

#include <algorithm>
#include <cstring>
#include <regex>
#include <set>
#include <utility>

namespace complaints {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr size_t kNpos = std::string_view::npos;
// Bounded work on hostile input; a scanned letter of twenty pages is a fifth of this.
constexpr size_t kMaxText = 256 * 1024;
// The case pattern is the policy's, so its regex only sees this much (as in ParseMail).
constexpr size_t kMaxRegexText = 64 * 1024;
// An address line longer than this is a sentence, not an address.
constexpr size_t kMaxAddressLine = 60;
constexpr size_t kMaxAddressLines = 6;
constexpr size_t kMaxName = 80;

// ---------------------------------------------------------------------------------------------
// Characters and OCR-tolerant matching

bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
bool IsNonAscii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
// Part of a word as OCR writes one: `|` is a misread I or l; bytes above 0x7F are UTF-8 letters.
bool IsWordChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '|' || IsNonAscii(c); }
char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
char ToUpper(char c) { return IsLowerAlpha(c) ? static_cast<char>(c - 'a' + 'A') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToLower(c);
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToUpper(c);
  return out;
}

bool HasDigit(std::string_view s) { return std::any_of(s.begin(), s.end(), IsDigit); }

// `s` without leading and trailing characters from `chars`.
std::string_view TrimChars(std::string_view s, std::string_view chars) {
  const size_t a = s.find_first_not_of(chars);
  if (a == kNpos) return {};
  return s.substr(a, s.find_last_not_of(chars) - a + 1);
}

// Whether OCR could have written the phrase letter `p` (lower case) as `c`: a `0` for an o, a `|`
// for an i or an l, and either case.
bool OcrSame(char c, char p) {
  return ToLower(c) == p || (c == '0' && p == 'o') || (c == '|' && (p == 'i' || p == 'l'));
}

size_t ApostropheLength(std::string_view s, size_t i) {
  if (i < s.size() && (s[i] == '\'' || s[i] == '`')) return 1;
  if (s.substr(i, 3) == "\xE2\x80\x99") return 3;  // ’
  return 0;
}

// Where `phrase` (lower case) matched from s[i] ends, or kNpos. A space in the phrase stands for
// any whitespace or none (OCR drops and doubles spaces), an apostrophe for any apostrophe or none
// ("rec'd", "recd"), and one stray space inside a word is skipped ("sincere ly").
size_t MatchLoose(std::string_view s, size_t i, std::string_view phrase) {
  for (size_t k = 0; k < phrase.size(); ++k) {
    const char p = phrase[k];
    if (p == ' ') {
      while (i < s.size() && IsSpace(s[i])) ++i;
      continue;
    }
    if (p == '\'') {
      i += ApostropheLength(s, i);
      continue;
    }
    if (k > 0 && phrase[k - 1] != ' ' && i + 1 < s.size() && s[i] == ' ' && OcrSame(s[i + 1], p)) {
      ++i;
    }
    if (i >= s.size() || !OcrSame(s[i], p)) return kNpos;
    ++i;
  }
  return i;
}

struct Span {
  size_t begin = kNpos;
  size_t end = kNpos;
  bool found() const { return begin != kNpos; }
};

// The first whole-word loose match of `phrase` in `s` at or after `from`.
Span FindLoose(std::string_view s, std::string_view phrase, size_t from = 0) {
  for (size_t i = from; i < s.size(); ++i) {
    if (i > 0 && IsWordChar(s[i - 1])) continue;
    const size_t end = MatchLoose(s, i, phrase);
    if (end != kNpos && (end == s.size() || !IsWordChar(s[end]))) return {i, end};
  }
  return {};
}

// Where `phrase` ends when `line` starts with it as whole words, or kNpos.
size_t StartsLoose(std::string_view line, std::string_view phrase) {
  const size_t end = MatchLoose(line, 0, phrase);
  if (end == kNpos || (end < line.size() && IsWordChar(line[end]))) return kNpos;
  return end;
}

bool EqualsLoose(std::string_view token, std::string_view word) {
  return MatchLoose(token, 0, word) == token.size();
}

template <size_t N>
bool ContainsAnyLoose(std::string_view s, const std::string_view (&phrases)[N]) {
  for (std::string_view p : phrases) {
    if (FindLoose(s, p).found()) return true;
  }
  return false;
}

// OCR's misreadings inside words put right where only one reading is possible: a `0` between two
// letters, or starting a word before a letter ("0'Brien"), is an O; a `|` starting a word before a
// lower-case letter is an I ("|an"). A `|` inside a word (i or l?) is left for the caller to
// reject.
std::string RepairWords(std::string s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char prev = i > 0 ? s[i - 1] : ' ';
    const char next = i + 1 < s.size() ? s[i + 1] : ' ';
    const bool word_start = !IsWordChar(prev);
    if (s[i] == '0' && IsAlpha(prev) && IsAlpha(next)) {
      s[i] = IsLowerAlpha(prev) || IsLowerAlpha(next) ? 'o' : 'O';
    } else if (s[i] == '0' && word_start &&
               (IsAlpha(next) || (next == '\'' && i + 2 < s.size() && IsUpper(s[i + 2])))) {
      s[i] = 'O';
    } else if (s[i] == '|' && word_start && IsLowerAlpha(next)) {
      s[i] = 'I';
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Names

constexpr std::string_view kSignOffs[] = {
    "yours sincerely", "yours faithfully", "yours truly",      "yours respectfully",
    "kind regards",    "best regards",     "warm regards",     "with regards",
    "regards",         "best wishes",      "with best wishes", "many thanks",
    "with thanks",     "thanks",           "thank you",        "sincerely"};

bool IsTitle(std::string_view lower_word) {
  return lower_word == "mr" || lower_word == "mrs" || lower_word == "ms" || lower_word == "miss" ||
         lower_word == "dr" || lower_word == "mx";
}

// Words that are never part of a person's name but do start lines near one.
bool IsNotNameWord(const std::string& w) {
  static const std::set<std::string> kWords = {
      "yours",       "sincerely",  "faithfully", "regards",  "wishes",    "thanks",     "thank",
      "dear",        "sir",        "madam",      "road",     "street",    "avenue",     "crescent",
      "gardens",     "terrace",    "drive",      "flat",     "house",     "housing",    "homes",
      "association", "council",    "team",       "services", "service",   "department", "manager",
      "officer",     "tenant",     "resident",   "signed",   "signature", "enc",        "encl",
      "enclosure",   "enclosures", "cc",         "ps",       "p.s",       "date",       "ref",
      "reference",   "complaint",  "complaints", "re",       "subject",   "page"};
  return kWords.count(w) > 0;
}

bool IsParticle(const std::string& w) {
  static const std::set<std::string> kParticles = {"de", "van", "von", "der", "den", "la",
                                                   "le", "du",  "da",  "di",  "bin", "bint",
                                                   "al", "el",  "ap",  "ni",  "dos", "del"};
  return kParticles.count(w) > 0;
}

// A name word in lower case with its brackets and trailing full stop gone ("(Mrs)" -> "mrs").
std::string BareWord(std::string_view w) {
  std::string bare = Lower(TrimChars(w, "()"));
  while (!bare.empty() && bare.back() == '.') bare.pop_back();
  return bare;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

bool NameChars(std::string_view w) {
  bool letter = false;
  for (char c : w) {
    if (IsAlpha(c) || IsNonAscii(c)) {
      letter = true;
    } else if (c != '.' && c != '\'' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  return letter;
}

bool HasTwoLettersRunning(std::string_view w) {
  for (size_t i = 0; i + 1 < w.size(); ++i) {
    if (IsAlpha(w[i]) && IsAlpha(w[i + 1])) return true;
  }
  return false;
}

// Whether `s` reads as a person's name: capitalised words (lower-case particles such as "de"
// inside), an optional title, no digits, no @, nothing that belongs to an address or a sign-off.
bool NameLike(std::string_view s) {
  if (s.empty() || s.size() > kMaxName || HasDigit(s) || s.find('@') != kNpos) return false;
  const std::vector<std::string_view> words = Words(s);
  if (words.empty() || words.size() > 6) return false;
  int named = 0;
  for (size_t k = 0; k < words.size(); ++k) {
    const std::string bare = BareWord(words[k]);
    const bool inner = k > 0 && k + 1 < words.size();
    if (IsTitle(bare)) continue;
    if (bare == "&" || bare == "and") {
      if (!inner) return false;
      continue;
    }
    if (!NameChars(words[k]) || IsNotNameWord(bare)) return false;
    const char first = TrimChars(words[k], "(")[0];
    if (!IsUpper(first) && !IsNonAscii(first) && !(inner && IsParticle(bare))) return false;
    ++named;
  }
  if (named == 0) return false;
  return words.size() > 1 || HasTwoLettersRunning(words[0]);  // "P.S." is no one's name
}

// `line` as a name (OCR repaired, trailing commas gone), or "" when it is not one.
std::string AsName(std::string_view line) {
  const std::string name(TrimChars(RepairWords(std::string(line)), " ,"));
  return NameLike(name) ? name : "";
}

bool HasTitle(std::string_view name) {
  const std::vector<std::string_view> words = Words(name);
  return std::any_of(words.begin(), words.end(),
                     [](std::string_view w) { return IsTitle(BareWord(w)); });
}

// The words that identify a person, titles gone: "Mrs J. Smith" -> {"j", "smith"}.
std::vector<std::string> IdentifyingWords(std::string_view name) {
  std::vector<std::string> out;
  for (std::string_view w : Words(name)) {
    const std::string bare = BareWord(w);
    if (!bare.empty() && !IsTitle(bare) && bare != "&" && bare != "and") out.push_back(bare);
  }
  return out;
}

// Same surname and compatible first names: "Mrs Joan Smith", "J. Smith" and "Joan Smith" match.
bool NamesMatch(std::string_view a, std::string_view b) {
  const std::vector<std::string> wa = IdentifyingWords(a);
  const std::vector<std::string> wb = IdentifyingWords(b);
  if (wa.empty() || wb.empty() || wa.back() != wb.back()) return false;
  if (wa.size() == 1 || wb.size() == 1) return true;
  const std::string& fa = wa.front();
  const std::string& fb = wb.front();
  if (fa.size() > 1 && fb.size() > 1) return fa == fb;
  return fa[0] == fb[0];
}

// ---------------------------------------------------------------------------------------------
// Postcodes, emails, phone numbers, references, dates within a line

struct Postcode {
  std::string text;  // normalised
  size_t begin = 0;  // where it starts in the line
};

// The UK postcode that ends `line` (trailing punctuation aside). Only at the end: in an address
// block the postcode closes its line, while mid-sentence look-alikes ("Block B2 1st floor") do not.
std::optional<Postcode> PostcodeAtEnd(const std::string& line) {
  // OCR reads a round letter of the inward code (Q, D) as a zero now and then ("LS6 20T"). A
  // zero there is never right (the inward letters are never O), so one is let through to keep
  // the address block together, as read: ValidUkPostcode() then says it needs checking.
  static const std::regex kPostcode(
      "(^|[^A-Za-z0-9])([A-Za-z]{1,2}[0-9][A-Za-z0-9]?) ?([0-9](?:[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]"
      "[ABD-HJLNP-UW-Zabd-hjlnp-uw-z0]|0[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]))[ .,;]*$");
  // An address line is short; a long one (a PDF's text layer can hold a page in one line) is
  // never searched, which also keeps std::regex's cost on `[ .,;]*$` from growing with it.
  if (line.size() > 2 * kMaxAddressLine) return std::nullopt;
  std::smatch m;
  if (!std::regex_search(line, m, kPostcode)) return std::nullopt;
  return Postcode{Upper(m.str(2)) + " " + Upper(m.str(3)), static_cast<size_t>(m.position(2))};
}

bool IsLocalChar(char c) { return IsAlpha(c) || IsDigit(c) || std::strchr("._%+-'", c) != nullptr; }
bool IsDomainChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.'; }

bool ValidDomain(std::string_view domain) {
  const size_t dot = domain.rfind('.');
  if (dot == kNpos || dot == 0 || domain.find("..") != kNpos || domain.front() == '-') {
    return false;
  }
  const std::string_view tld = domain.substr(dot + 1);
  return tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), IsAlpha);
}

// The email address around the '@' at `at`, domain lower-cased; "" when there is none. OCR's stray
// space either side of the '@' is tolerated.
std::string EmailAt(std::string_view line, size_t at) {
  size_t local_end = at;
  if (local_end > 0 && line[local_end - 1] == ' ') --local_end;
  size_t local_begin = local_end;
  while (local_begin > 0 && IsLocalChar(line[local_begin - 1])) --local_begin;
  size_t domain_begin = at + 1;
  if (domain_begin < line.size() && line[domain_begin] == ' ') ++domain_begin;
  size_t domain_end = domain_begin;
  while (domain_end < line.size() && IsDomainChar(line[domain_end])) ++domain_end;
  const std::string_view local = TrimChars(line.substr(local_begin, local_end - local_begin), ".'");
  const std::string_view domain =
      TrimChars(line.substr(domain_begin, domain_end - domain_begin), ".-");
  if (local.empty() || local.size() > 64 || domain.size() > 253 || !ValidDomain(domain)) return "";
  return std::string(local) + "@" + Lower(domain);
}

std::vector<std::string> EmailsIn(std::string_view line) {
  std::vector<std::string> out;
  for (size_t at = line.find('@'); at != kNpos; at = line.find('@', at + 1)) {
    std::string email = EmailAt(line, at);
    if (!email.empty()) out.push_back(std::move(email));
  }
  return out;
}

bool IsOwnAddress(const std::string& email, const std::vector<std::string>& own_domains) {
  const std::string domain = email.substr(email.find('@') + 1);
  for (const std::string& own : own_domains) {
    if (own.empty()) continue;
    if (domain == own || (domain.size() > own.size() && domain.ends_with("." + own))) return true;
  }
  return false;
}

bool IsPhoneSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

bool ValidUkNumber(bool international, const std::string& d) {
  if (international) {
    return (d.size() == 10 && std::strchr("127", d[0]) != nullptr) ||
           (d.size() == 9 && d[0] == '1');
  }
  return d.size() >= 10 && d[0] == '0' &&
         ((d.size() == 11 && std::strchr("127", d[1]) != nullptr) ||
          (d.size() == 10 && d[1] == '1'));
}

// Whether a telephone number may start at s[i]: a '+', a '0' or a '(' before a '0', not inside a
// word or a reference ("T-0123...", "2.0").
bool PhoneMayStart(std::string_view s, size_t i) {
  const bool opener = s[i] == '+' || s[i] == '0' || (s[i] == '(' && s.substr(i + 1, 1) == "0");
  if (!opener || i == 0) return opener;
  const char prev = s[i - 1];
  return !IsWordChar(prev) && std::strchr("-/._+(", prev) == nullptr;
}

// The UK telephone number starting at s[i] as digits ("+44..." for the international form) and
// where it ends, read group by group until it is long enough; "" when there is none.
std::string PhoneAt(std::string_view s, size_t i, size_t* end) {
  const bool international = s[i] == '+';
  if (international) {
    i = s.substr(i + 1, 1) == " " ? i + 2 : i + 1;
    if (s.substr(i, 2) != "44") return "";
    i += 2;
    while (i < s.size() && s[i] == ' ') ++i;
    if (s.substr(i, 3) == "(0)") i += 3;
    while (i < s.size() && s[i] == ' ') ++i;
  } else if (s[i] == '(') {
    ++i;
  }
  const size_t longest = international ? 10 : 11;
  std::string digits;
  while (i < s.size() && IsDigit(s[i])) {
    while (i < s.size() && IsDigit(s[i])) digits += s[i++];
    if (digits.size() >= longest) break;
    size_t j = i;
    while (j < s.size() && j - i < 3 && IsPhoneSeparator(s[j])) ++j;
    if (j == i || j >= s.size() || !IsDigit(s[j])) break;
    i = j;
  }
  if (i < s.size() && IsWordChar(s[i])) return "";
  if (!ValidUkNumber(international, digits)) return "";
  *end = i;
  return (international ? "+44" : "") + digits;
}

// Matches of the policy's case-reference pattern in `line`, as spans.
std::vector<Span> CaseRefSpans(const std::string& line, const std::optional<std::regex>& re) {
  std::vector<Span> spans;
  if (!re) return spans;
  try {
    for (auto it = std::sregex_iterator(line.begin(), line.end(), *re);
         it != std::sregex_iterator(); ++it) {
      if (it->length() == 0) continue;
      const size_t begin = static_cast<size_t>(it->position());
      spans.push_back({begin, begin + static_cast<size_t>(it->length())});
    }
  } catch (const std::regex_error&) {
    // A pattern too complex for a line (error_complexity, error_stack) finds nothing there.
  }
  return spans;
}

constexpr std::string_view kRefLabels[] = {
    "tenancy reference", "tenancy ref",    "tenancy number", "tenancy no",
    "account reference", "account number", "account no",     "your reference",
    "your ref",          "our reference",  "our ref"};

// Past the punctuation and filler words between a label and its value ("Tenancy ref no.: ").
size_t SkipToValue(std::string_view line, size_t i) {
  for (int round = 0; round < 3; ++round) {
    while (i < line.size() && std::strchr(" .:#-", line[i]) != nullptr) ++i;
    bool skipped = false;
    for (std::string_view filler : {"is", "no", "number"}) {
      const size_t end = StartsLoose(line.substr(i), filler);
      if (end != kNpos && i + end < line.size() && !IsWordChar(line[i + end])) {
        i += end;
        skipped = true;
        break;
      }
    }
    if (!skipped) break;
  }
  return i;
}

// Tenancy and account references after their labels ("Tenancy ref: T-12345"), in order. A value
// without a digit ("Your ref: see above") is no reference.
std::vector<Span> LabelledRefSpans(std::string_view line) {
  std::vector<Span> spans;
  for (std::string_view label : kRefLabels) {
    for (Span at = FindLoose(line, label); at.found(); at = FindLoose(line, label, at.end)) {
      const size_t begin = SkipToValue(line, at.end);
      size_t end = begin;
      while (end < line.size() &&
             (IsAlpha(line[end]) || IsDigit(line[end]) || line[end] == '-' || line[end] == '/')) {
        ++end;
      }
      while (end > begin && (line[end - 1] == '-' || line[end - 1] == '/')) --end;
      const std::string_view value = line.substr(begin, end - begin);
      if (HasDigit(value) && value.size() <= 30) spans.push_back({begin, end});
    }
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return spans;
}

// `line` with what is not a telephone number (case and tenancy references, numeric dates) hidden,
// so that "Account number: 01632960123" or "01.12.2026 0770..." give no phone.
std::string MaskNonPhones(const std::string& line, const std::optional<std::regex>& case_re) {
  static const std::regex kNumericDate("\\b[0-9]{1,2}[./-][0-9]{1,2}[./-]([0-9]{4}|[0-9]{2})\\b");
  std::string masked = line;
  auto hide = [&masked](Span s) { masked.replace(s.begin, s.end - s.begin, s.end - s.begin, 'x'); };
  for (const Span& s : CaseRefSpans(line, case_re)) hide(s);
  for (const Span& s : LabelledRefSpans(line)) hide(s);
  for (auto it = std::sregex_iterator(line.begin(), line.end(), kNumericDate);
       it != std::sregex_iterator(); ++it) {
    const size_t begin = static_cast<size_t>(it->position());
    hide({begin, begin + static_cast<size_t>(it->length())});
  }
  return masked;
}

// A date as written: year 0 when none was given.
struct WrittenDate {
  unsigned day = 0;
  unsigned month = 0;
  int year = 0;
  size_t next = 0;  // the token after it
};

// Words of a date line or note: split at spaces and commas, surrounding punctuation gone, and
// "14 / 11 / 2026" joined back into one token.
std::vector<std::string> DateTokens(std::string_view s) {
  std::string joined;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') {
      const char prev = joined.empty() ? ' ' : joined.back();
      size_t j = i;
      while (j < s.size() && s[j] == ' ') ++j;
      const char next = j < s.size() ? s[j] : ' ';
      if ((prev == '/' && IsDigit(next)) || (next == '/' && IsDigit(prev))) continue;
    }
    joined += IsSpace(s[i]) || s[i] == ',' ? ' ' : s[i];
  }
  std::vector<std::string> tokens;
  for (std::string_view w : Words(joined)) {
    const std::string_view t = TrimChars(w, "()\"'.;:!?");
    if (!t.empty()) tokens.emplace_back(t);
  }
  return tokens;
}

unsigned MonthOf(std::string_view token) {
  static constexpr std::string_view kFull[] = {"january",   "february", "march",    "april",
                                               "may",       "june",     "july",     "august",
                                               "september", "october",  "november", "december"};
  for (unsigned m = 0; m < 12; ++m) {
    if (EqualsLoose(token, kFull[m]) || EqualsLoose(token, kFull[m].substr(0, 3))) return m + 1;
  }
  return EqualsLoose(token, "sept") ? 9 : 0;
}

// The month at t[i] ("Nov", "November", or OCR's "Novem ber" over two tokens); 0 when none.
unsigned MonthAt(const std::vector<std::string>& t, size_t i, size_t* used) {
  if (i >= t.size()) return 0;
  *used = 1;
  if (const unsigned m = MonthOf(t[i])) return m;
  *used = 2;
  if (i + 1 < t.size()) {
    const unsigned m = MonthOf(t[i] + t[i + 1]);
    if (m != 0 && t[i].size() + t[i + 1].size() > 4) return m;
  }
  return 0;
}

bool IsWeekday(std::string_view token) {
  for (std::string_view d :
       {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
        "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}) {
    if (EqualsLoose(token, d)) return true;
  }
  return false;
}

// "14", "14th", "3rd": the day; 0 when the token is not one.
unsigned DayOf(std::string_view token) {
  static const std::regex kDay("([0-9]{1,2})(st|nd|rd|th|ST|ND|RD|TH)?");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(token.begin(), token.end(), m, kDay)) return 0;
  const unsigned d = static_cast<unsigned>(std::stoi(m.str(1)));
  return d >= 1 && d <= 31 ? d : 0;
}

// "2026" or "26" (this century); 0 when the token is not a year.
int YearOf(std::string_view token) {
  if (token.size() != 2 && token.size() != 4) return 0;
  if (!std::all_of(token.begin(), token.end(), IsDigit)) return 0;
  const int y = std::stoi(std::string(token));
  if (token.size() == 2) return 2000 + y;
  return y >= 1900 && y <= 2199 ? y : 0;
}

// "14/11/2026", "14.11.26", "14-11", "14/11": day first, as in the UK.
std::optional<WrittenDate> NumericDate(const std::string& token) {
  static const std::regex kNumeric("([0-9]{1,2})[/.-]([0-9]{1,2})(?:[/.-]([0-9]{4}|[0-9]{2}))?");
  std::smatch m;
  if (!std::regex_match(token, m, kNumeric)) return std::nullopt;
  WrittenDate d;
  d.day = static_cast<unsigned>(std::stoi(m.str(1)));
  d.month = static_cast<unsigned>(std::stoi(m.str(2)));
  if (m[3].matched) d.year = YearOf(m.str(3));
  return d;
}

// A date starting at t[i]: "[Monday] 14[th] [of] November [2026]", "[Monday] November 14[,]
// [2026]" or a numeric one.
std::optional<WrittenDate> DateAt(const std::vector<std::string>& t, size_t i) {
  if (i < t.size() && IsWeekday(t[i])) ++i;
  if (i < t.size() && EqualsLoose(t[i], "the")) ++i;
  if (i >= t.size()) return std::nullopt;
  if (std::optional<WrittenDate> d = NumericDate(t[i])) {
    d->next = i + 1;
    return d;
  }
  WrittenDate d;
  size_t j = i;
  size_t used = 0;
  if ((d.day = DayOf(t[j])) != 0) {
    ++j;
    if (j < t.size() && EqualsLoose(t[j], "of")) ++j;
    if ((d.month = MonthAt(t, j, &used)) == 0) return std::nullopt;
    j += used;
  } else if ((d.month = MonthAt(t, j, &used)) != 0) {
    j += used;
    if (j < t.size() && EqualsLoose(t[j], "the")) ++j;
    if (j >= t.size() || (d.day = DayOf(t[j])) == 0) return std::nullopt;
    ++j;
  } else {
    return std::nullopt;
  }
  if (j < t.size() && (d.year = YearOf(t[j])) != 0) ++j;
  d.next = j;
  return d;
}

// `line` as a letter's date line: nothing but a full date, perhaps after "Date:".
std::optional<year_month_day> DateLine(std::string_view line) {
  // "Wednesday the 14th of November 2026" is short; a long line is no date line (and the fuzzer
  // found that tokenising long lines one regex at a time adds up).
  if (line.size() > 2 * kMaxAddressLine) return std::nullopt;
  const std::vector<std::string> tokens = DateTokens(line);
  const size_t first =
      !tokens.empty() && (EqualsLoose(tokens[0], "date") || EqualsLoose(tokens[0], "dated"));
  const std::optional<WrittenDate> d = DateAt(tokens, first);
  if (!d || d->year == 0 || d->next != tokens.size()) return std::nullopt;
  const year_month_day ymd{year{d->year}, month{d->month}, day{d->day}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// ---------------------------------------------------------------------------------------------
// The letter's layout: lines, blocks, salutation and sign-offs

// One line as OCR gave it, trimmed and with whitespace runs made single spaces; "" when it holds
// no letter, digit or @ (a rule, a smudge), so that it separates blocks as a blank line does.
std::string CleanLine(std::string_view raw) {
  std::string out;
  bool meaningful = false;
  for (char c : raw) {
    if (IsSpace(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    meaningful = meaningful || IsAlpha(c) || IsDigit(c) || c == '@' || IsNonAscii(c);
    out += c;
  }
  if (!meaningful) return "";
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\n' && text[i] != '\r' && text[i] != '\f') continue;
    lines.push_back(CleanLine(text.substr(start, i - start)));
    if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  return lines;
}

struct SignOff {
  size_t line = 0;   // the line the sign-off ends on
  std::string name;  // a name on the same line ("Kind regards, Joan Smith"), or ""
};

// Whether `line` is a sign-off, alone or followed by a name on the same line.
std::optional<SignOff> SignOffIn(std::string_view line) {
  for (std::string_view phrase : kSignOffs) {
    const size_t end = StartsLoose(line, phrase);
    if (end == kNpos) continue;
    const std::string_view rest = TrimChars(line.substr(end), " ,.!-");
    if (rest.empty()) return SignOff{};
    std::string name = AsName(rest);
    if (!name.empty()) return SignOff{0, std::move(name)};
  }
  return std::nullopt;
}

bool IsSalutation(std::string_view line) {
  return StartsLoose(line, "dear") != kNpos || StartsLoose(line, "to whom it may concern") != kNpos;
}

struct Letter {
  std::vector<std::string> lines;
  std::vector<int> block;       // of each line; -1 for a blank line
  std::vector<bool> landlords;  // of each block: the landlord's (letterhead, recipient)
  size_t salutation = 0;        // the first "Dear ..." line, or lines.size()
  std::vector<SignOff> sign_offs;

  bool Landlord(size_t line) const { return block[line] >= 0 && landlords[block[line]]; }
  size_t LastSignOff() const { return sign_offs.empty() ? lines.size() : sign_offs.back().line; }
  // Where a writer's address can be: above the salutation, or below the sign-off, never the body.
  bool InAddressZone(size_t line) const { return line < salutation || line > LastSignOff(); }
  bool InBody(size_t line) const { return line > salutation && line < LastSignOff(); }
};

constexpr std::string_view kLandlordMarkers[] = {
    "housing",    "homes",   "association", "customer services",   "customer service",
    "complaints", "council", "fao",         "for the attention of"};

// Whether a line outside the body marks its block as the landlord's: one of the landlord's own
// addresses, or a marker word on an address-length line. Email addresses are no marker words
// ("complaints@..." says nothing about whose block it is, its domain does).
bool LandlordLine(const std::string& line, const std::vector<std::string>& own_domains) {
  const std::vector<std::string> emails = EmailsIn(line);
  if (std::any_of(emails.begin(), emails.end(),
                  [&](const std::string& e) { return IsOwnAddress(e, own_domains); })) {
    return true;
  }
  if (line.size() > kMaxAddressLine) return false;
  std::string words = line;
  for (size_t at = words.find('@'); at != kNpos; at = words.find('@', at + 1)) {
    size_t a = at;
    while (a > 0 && words[a - 1] != ' ') --a;
    size_t b = at;
    while (b < words.size() && words[b] != ' ') ++b;
    words.replace(a, b - a, b - a, ' ');
  }
  return ContainsAnyLoose(words, kLandlordMarkers);
}

bool EndsAddress(const std::string& line);

// Whether the blank line at `i` separates blocks. OCR often puts a blank line between every line
// of an address ("Customer Services" / "" / "1 High Street"), so outside the body one blank line
// ends a block only after a line that closes one (a postcode, a date, contact details) or before
// a date or the salutation; two blank lines always do.
bool BlockBreak(const Letter& letter, size_t i) {
  if (letter.InBody(i)) return true;
  if (i == 0 || i + 1 >= letter.lines.size()) return true;
  const std::string& before = letter.lines[i - 1];
  const std::string& after = letter.lines[i + 1];
  if (before.empty() || after.empty()) return true;
  if (PostcodeAtEnd(before) || EndsAddress(before)) return true;
  return DateLine(after) || IsSalutation(after) || EndsAddress(after) || letter.InBody(i + 1);
}

void FindBlocks(const std::vector<std::string>& own_domains, Letter* letter) {
  int current = -1;
  bool in_block = false;
  letter->block.assign(letter->lines.size(), -1);
  for (size_t i = 0; i < letter->lines.size(); ++i) {
    if (letter->lines[i].empty()) {
      if (BlockBreak(*letter, i)) in_block = false;
      continue;
    }
    if (!in_block) {
      letter->landlords.push_back(false);
      ++current;
      in_block = true;
    }
    letter->block[i] = current;
    // The body names the landlord freely ("the Housing Officer never rang back"); only the
    // letterhead and address blocks around it say whose block it is.
    if (!letter->InBody(i) && LandlordLine(letter->lines[i], own_domains)) {
      letter->landlords[current] = true;
    }
  }
}

// Sign-offs after the salutation, including one broken over two lines ("Yours" / "sincerely").
void FindSignOffs(Letter* letter) {
  const std::vector<std::string>& lines = letter->lines;
  const size_t from = letter->salutation == lines.size() ? 0 : letter->salutation + 1;
  for (size_t i = from; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    std::optional<SignOff> s = SignOffIn(lines[i]);
    if (!s && lines[i].size() <= 6 && i + 1 < lines.size() && !lines[i + 1].empty()) {
      s = SignOffIn(lines[i] + " " + lines[i + 1]);
      if (s) ++i;
    }
    if (!s) continue;
    s->line = i;
    letter->sign_offs.push_back(std::move(*s));
  }
}

Letter ReadLetter(std::string_view text, const std::vector<std::string>& own_domains) {
  Letter letter;
  letter.lines = SplitLines(text.substr(0, kMaxText));
  letter.salutation = letter.lines.size();
  for (size_t i = 0; i < letter.lines.size(); ++i) {
    if (IsSalutation(letter.lines[i])) {
      letter.salutation = i;
      break;
    }
  }
  FindSignOffs(&letter);
  FindBlocks(own_domains, &letter);
  return letter;
}

// ---------------------------------------------------------------------------------------------
// The fields

std::optional<std::regex> CaseRegex(const std::string& pattern) {
  if (pattern.empty()) return std::nullopt;
  try {
    return std::regex(pattern);
  } catch (const std::regex_error&) {
    return std::nullopt;  // the policy's pattern is checked at load; a bad one finds nothing here
  }
}

void AddOnce(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

std::vector<std::string> References(const Letter& letter, const std::optional<std::regex>& re) {
  std::vector<std::string> refs;
  size_t budget = kMaxRegexText;
  for (const std::string& line : letter.lines) {
    if (line.size() > budget) break;
    budget -= line.size();
    for (const Span& s : CaseRefSpans(line, re)) {
      AddOnce(refs, line.substr(s.begin, s.end - s.begin));
    }
  }
  for (const std::string& line : letter.lines) {
    for (const Span& s : LabelledRefSpans(line)) {
      AddOnce(refs, line.substr(s.begin, s.end - s.begin));
    }
  }
  return refs;
}

std::string WriterEmail(const Letter& letter, const std::vector<std::string>& own_domains) {
  for (size_t i = 0; i < letter.lines.size(); ++i) {
    if (letter.Landlord(i)) continue;
    for (const std::string& email : EmailsIn(letter.lines[i])) {
      if (!IsOwnAddress(email, own_domains)) return email;
    }
  }
  return "";
}

// Whether the words just before a number say whose it is ("Tel:", "call me on").
bool PhoneLabelled(std::string_view before) {
  static constexpr std::string_view kLabels[] = {
      "tel",     "telephone", "phone",   "mobile",     "mob",      "landline", "contact number",
      "call me", "ring me",   "text me", "contact me", "reach me", "my number"};
  return ContainsAnyLoose(before.substr(before.size() > 40 ? before.size() - 40 : 0), kLabels);
}

// A labelled number first; else the first outside the body (the address block, under the name);
// else the first in the body. Never one in the landlord's letterhead or address.
std::string WriterPhone(const Letter& letter, const std::optional<std::regex>& case_re) {
  std::string outside_body;
  std::string in_body;
  for (size_t i = 0; i < letter.lines.size(); ++i) {
    if (letter.lines[i].empty() || letter.Landlord(i)) continue;
    const std::string line = MaskNonPhones(letter.lines[i], case_re);
    for (size_t at = 0; at < line.size(); ++at) {
      size_t end = 0;
      if (!PhoneMayStart(line, at)) continue;
      std::string phone = PhoneAt(line, at, &end);
      if (phone.empty()) continue;
      if (PhoneLabelled(std::string_view(line).substr(0, at))) return phone;
      std::string& slot = letter.InBody(i) ? in_body : outside_body;
      if (slot.empty()) slot = std::move(phone);
      at = end;
    }
  }
  return !outside_body.empty() ? outside_body : in_body;
}

std::optional<year_month_day> LetterDate(const Letter& letter) {
  const bool has_salutation = letter.salutation < letter.lines.size();
  const size_t last =
      has_salutation ? letter.salutation : std::min<size_t>(20, letter.lines.size());
  for (size_t i = 0; i < last; ++i) {
    if (letter.lines[i].empty()) continue;
    if (std::optional<year_month_day> d = DateLine(letter.lines[i])) return d;
  }
  return std::nullopt;
}

// The signed name: on the line of the last sign-off that has one, or on the lines below it, past
// blank lines and a signature scrawl. A full name wins over a single word above it (a scrawl can
// read as "Jsmth"); contact details and the address end the search.
std::string NameBelow(const Letter& letter, size_t sign_off) {
  std::string single;
  int seen = 0;
  for (size_t i = sign_off + 1; i < letter.lines.size() && seen < 3; ++i) {
    const std::string& line = letter.lines[i];
    if (line.empty()) continue;
    ++seen;
    if (line.find('@') != kNpos || IsDigit(line[0]) || line.size() > kMaxName ||
        PostcodeAtEnd(line) || SignOffIn(line)) {
      break;
    }
    std::string name = AsName(line);
    if (name.find(' ') != kNpos) return name;
    if (single.empty()) single = std::move(name);
  }
  return single;
}

std::string SignedName(const Letter& letter) {
  for (auto it = letter.sign_offs.rbegin(); it != letter.sign_offs.rend(); ++it) {
    if (!it->name.empty()) return it->name;
    std::string name = NameBelow(letter, it->line);
    if (!name.empty()) return name;
  }
  return "";
}

// A "Name: ..." field, as on a complaint form.
std::string NameField(const Letter& letter) {
  for (const std::string& line : letter.lines) {
    for (std::string_view label :
         {"name", "full name", "tenant name", "resident name", "your name", "print name"}) {
      const size_t end = StartsLoose(line, label);
      if (end == kNpos) continue;
      const std::string_view rest = TrimChars(std::string_view(line).substr(end), " ");
      if (rest.empty() || rest[0] != ':') continue;
      std::string name = AsName(rest.substr(1));
      if (!name.empty()) return name;
    }
  }
  return "";
}

constexpr std::string_view kFieldLabels[] = {
    "tel",      "telephone", "phone",   "mobile",  "email", "e-mail", "ref", "reference",
    "your ref", "our ref",   "tenancy", "account", "date",  "name",   "re"};

// A line that cannot be part of a postal address: contact details, labelled fields, letter parts.
bool EndsAddress(const std::string& line) {
  if (line.find('@') != kNpos || line.size() > kMaxAddressLine || IsSalutation(line) ||
      SignOffIn(line) || DateLine(line)) {
    return true;
  }
  for (size_t at = 0; at < line.size(); ++at) {
    size_t end = 0;
    if (PhoneMayStart(line, at) && !PhoneAt(line, at, &end).empty()) return true;
  }
  for (std::string_view label : kFieldLabels) {
    const size_t end = StartsLoose(line, label);
    if (end != kNpos && TrimChars(std::string_view(line).substr(end), " ").starts_with(":")) {
      return true;
    }
  }
  return false;
}

std::string AddressLine(std::string_view line) {
  const size_t label = StartsLoose(line, "address");
  if (label != kNpos && TrimChars(line.substr(label), " ").starts_with(":")) {
    line = TrimChars(line.substr(line.find(':', label) + 1), " ");
  }
  std::string out(TrimChars(RepairWords(std::string(line)), " ,.;:-'\"`"));
  // Specks on a scan come out as stray punctuation: a line with no letter or digit is none.
  if (std::none_of(out.begin(), out.end(), [](unsigned char c) { return std::isalnum(c); })) {
    return "";
  }
  return out;
}

struct WriterAddress {
  std::string postcode;
  std::vector<std::string> lines;
  std::string name;  // the block's first line when it is the writer's name
};

// The lines above the postcode line, up to the block's start or the writer's name line.
// A line that is a name counts as the writer's when it has a title, or when it is two or three
// words that match the signed name; otherwise it is an address line ("Elm Court").
void ReadAddressUpwards(const Letter& letter, size_t postcode_line, const std::string& signed_name,
                        WriterAddress* out) {
  for (size_t k = postcode_line; k-- > 0 && out->lines.size() < kMaxAddressLines;) {
    const std::string& line = letter.lines[k];
    if (line.empty()) {
      if (letter.block[k + 1] >= 0 && k > 0 && letter.block[k - 1] == letter.block[k + 1]) continue;
      break;
    }
    if (EndsAddress(line)) break;
    const std::string name = AsName(line);
    if (!name.empty() &&
        (HasTitle(name) || (IdentifyingWords(name).size() >= 2 && NamesMatch(name, signed_name)))) {
      out->name = name;
      break;
    }
    std::string address_line = AddressLine(line);
    if (!address_line.empty()) out->lines.push_back(std::move(address_line));  // "Address:" alone
  }
  std::reverse(out->lines.begin(), out->lines.end());
}

// The writer's address: the first postcode closing an address-length line that is neither in the
// body nor in a landlord's block, with the lines above it in its block (and any town before it on
// its own line). The landlord's block may come first in OCR's reading order; it is skipped.
WriterAddress FindWriterAddress(const Letter& letter, const std::string& signed_name) {
  for (size_t i = 0; i < letter.lines.size(); ++i) {
    const std::string& line = letter.lines[i];
    if (line.empty() || line.size() > kMaxAddressLine || letter.Landlord(i) ||
        !letter.InAddressZone(i)) {
      continue;
    }
    const std::optional<Postcode> postcode = PostcodeAtEnd(line);
    if (!postcode) continue;
    WriterAddress out;
    out.postcode = postcode->text;
    ReadAddressUpwards(letter, i, signed_name, &out);
    const std::string town = AddressLine(std::string_view(line).substr(0, postcode->begin));
    const std::string lower_town = Lower(TrimChars(town, " :"));
    if (!town.empty() && lower_town != "postcode" && lower_town != "post code") {
      out.lines.push_back(town);
    }
    return out;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Staff notes

std::optional<year_month_day> Believed(const WrittenDate& d, year_month_day forwarded) {
  year_month_day date{year{d.year}, month{d.month}, day{d.day}};
  if (d.year == 0) {
    date = year_month_day{forwarded.year(), month{d.month}, day{d.day}};
    if (!date.ok() || sys_days{date} > sys_days{forwarded}) {
      date = year_month_day{forwarded.year() - std::chrono::years{1}, month{d.month}, day{d.day}};
    }
  }
  if (!date.ok()) return std::nullopt;
  const days age = sys_days{forwarded} - sys_days{date};
  if (age < days{0} || age > days{366}) return std::nullopt;
  return date;
}

constexpr std::string_view kReceivedWords[] = {
    "received",         "rec'd",   "rec",       "rcvd",           "rcv'd",
    "arrived",          "came in", "handed in", "hand delivered", "hand-delivered",
    "delivered by hand"};

// Whether the words after one "received" give the arrival date: the first date or "today" /
// "yesterday" within a few words, unless they turn to another date first ("dated 28/11"). When
// they do, `*date` is it if believed, else nullopt.
bool DateAfter(std::string_view after, year_month_day forwarded,
               std::optional<year_month_day>* date) {
  const std::vector<std::string> tokens = DateTokens(after.substr(0, 120));
  for (size_t k = 0; k < tokens.size() && k < 8; ++k) {
    const std::string& t = tokens[k];
    if (EqualsLoose(t, "dated") || EqualsLoose(t, "written")) return false;
    const bool this_part_of_day =
        EqualsLoose(t, "this") && k + 1 < tokens.size() &&
        (EqualsLoose(tokens[k + 1], "morning") || EqualsLoose(tokens[k + 1], "afternoon"));
    if (EqualsLoose(t, "today") || this_part_of_day) {
      *date = forwarded;
      return true;
    }
    if (EqualsLoose(t, "yesterday")) {
      *date = year_month_day{sys_days{forwarded} - days{1}};
      return true;
    }
    if (std::optional<WrittenDate> d = DateAt(tokens, k)) {
      *date = Believed(*d, forwarded);
      return true;
    }
  }
  return false;
}

// Words with which staff say an attachment is a posted letter.
constexpr std::string_view kLetterPhrases[] = {
    "scanned letter",   "scanned copy",        "scanned in",        "scan of",
    "letter received",  "received a letter",   "received letter",   "received this letter",
    "letter attached",  "attached letter",     "letter enclosed",   "enclosed letter",
    "posted complaint", "posted letter",       "postal complaint",  "paper letter",
    "complaint letter", "letter of complaint", "handwritten",       "hand written",
    "hand delivered",   "hand-delivered",      "delivered by hand", "post room",
    "postroom"};
// These also describe how staff are to answer ("she wants replies by post"), so they count only
// when no such wish comes just before them.
constexpr std::string_view kPostalPhrases[] = {"by post",   "in the post", "through the post",
                                               "hard copy", "hardcopy",    "paper copy"};
constexpr std::string_view kWishes[] = {
    "reply", "replies", "respond", "response",  "prefer",   "prefers",    "contact", "correspond",
    "send",  "want",    "wants",   "asked for", "asks for", "would like", "request", "requested"};

// "Letter from Mrs Bello", "letter from the tenant": a letter from a resident, not one of ours.
bool LetterFromResident(std::string_view s) {
  for (Span at = FindLoose(s, "letter from"); at.found();
       at = FindLoose(s, "letter from", at.end)) {
    const std::string_view who = TrimChars(s.substr(at.end), " \t\r\n");
    for (std::string_view sender : {"mr", "mrs", "ms", "miss", "dr", "mx", "the resident",
                                    "a resident", "the tenant", "a tenant", "the customer"}) {
      if (StartsLoose(who, sender) != kNpos) return true;
    }
  }
  return false;
}

}  // namespace

bool ValidUkPostcode(std::string_view postcode) {
  static const std::regex kStrict("[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}");
  return std::regex_match(postcode.begin(), postcode.end(), kStrict);
}

LetterFields ExtractLetterFields(std::string_view text, const std::string& reference_pattern,
                                 const std::vector<std::string>& own_domains) {
  const Letter letter = ReadLetter(text, own_domains);
  const std::optional<std::regex> case_re = CaseRegex(reference_pattern);
  LetterFields fields;
  fields.references = References(letter, case_re);
  fields.email = WriterEmail(letter, own_domains);
  fields.phone = WriterPhone(letter, case_re);
  fields.letter_date = LetterDate(letter);
  const std::string signed_name = SignedName(letter);
  WriterAddress address = FindWriterAddress(letter, signed_name);
  fields.postcode = std::move(address.postcode);
  fields.address = std::move(address.lines);
  fields.name = signed_name;
  if (fields.name.empty()) fields.name = NameField(letter);
  if (fields.name.empty()) fields.name = std::move(address.name);
  return fields;
}

std::optional<year_month_day> ReceivedDateFromNote(std::string_view note,
                                                   year_month_day forwarded) {
  if (!forwarded.ok()) return std::nullopt;
  note = note.substr(0, kMaxText);
  std::vector<Span> triggers;
  for (std::string_view word : kReceivedWords) {
    for (Span s = FindLoose(note, word); s.found(); s = FindLoose(note, word, s.end)) {
      triggers.push_back(s);
    }
  }
  std::sort(triggers.begin(), triggers.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  for (const Span& s : triggers) {
    // The first "received" followed by a date decides, believed or not.
    std::optional<year_month_day> date;
    if (DateAfter(note.substr(s.end), forwarded, &date)) return date;
  }
  return std::nullopt;
}

bool NoteSaysLetter(std::string_view subject_and_note) {
  const std::string_view s = subject_and_note.substr(0, kMaxText);
  if (ContainsAnyLoose(s, kLetterPhrases) || LetterFromResident(s)) return true;
  for (std::string_view phrase : kPostalPhrases) {
    for (Span at = FindLoose(s, phrase); at.found(); at = FindLoose(s, phrase, at.end)) {
      size_t from = at.begin > 50 ? at.begin - 50 : 0;
      const size_t stop = s.substr(0, at.begin).find_last_of(".!?\n");
      if (stop != kNpos && stop + 1 > from) from = stop + 1;
      if (!ContainsAnyLoose(s.substr(from, at.begin - from), kWishes)) return true;
    }
  }
  return false;
}

bool ReadsLikeALetter(std::string_view text) {
  const std::string lower = Lower(text);
  for (const char* cue : {"dear ", "yours sincerely", "yours faithfully", "kind regards",
                          "yours truly", "to whom it may concern"}) {
    if (lower.find(cue) != std::string::npos) return true;
  }
  return false;
}

std::string LetterBody(std::string_view text) {
  const size_t dear = Lower(text).find("dear ");
  return std::string(dear == std::string::npos ? text : text.substr(dear));
}

}  // namespace complaints
