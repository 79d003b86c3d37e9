#include "parsers/mail_parser.h"

#include <mimetic/mimetic.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>
#include <sstream>
#include <utility>

#include "parsers/ascii_case.h"
#include "parsers/header_text.h"
#include "parsers/mail_text.h"
#include "parsers/tnef.h"

namespace complaints {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// How many MIME containers ("multipart/", any case) `text` declares, counting no further than
// `stop_after`. Looks only at each '/', so it runs at memchr's speed.
size_t CountMultipart(std::string_view text, size_t stop_after) {
  constexpr std::string_view kWord = "multipart";
  size_t count = 0;
  for (size_t at = text.find('/', kWord.size()); at != std::string_view::npos;
       at = text.find('/', at + 1)) {
    if (EqualsIgnoringCase(text.substr(at - kWord.size(), kWord.size()), kWord) &&
        ++count > stop_after) {
      break;
    }
  }
  return count;
}

std::string Trim(std::string_view s) {
  const size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return "";
  return std::string(s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1));
}

const std::string* Find(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoringCase(n, name)) return &v;
  }
  return nullptr;
}

// Every <id> in a header value, without the brackets.
std::vector<std::string> MessageIds(std::string_view value) {
  std::vector<std::string> ids;
  size_t i = 0;
  while ((i = value.find('<', i)) != std::string_view::npos) {
    const size_t close = value.find('>', i);
    if (close == std::string_view::npos) break;
    const std::string id = Trim(value.substr(i + 1, close - i - 1));
    if (!id.empty() && id.size() < 1000 && id.find_first_of(" <") == std::string::npos) {
      ids.push_back(id);
    }
    i = close + 1;
  }
  return ids;
}

// A parameter value, joining RFC 2231 continuations (name*0*, name*1, ...) and decoding them.
std::string Param(const mimetic::FieldParamList& params, const std::string& name) {
  std::string plain, extended;
  bool encoded = false;
  std::vector<std::pair<int, std::string>> pieces;
  for (const mimetic::FieldParam& p : params) {
    const std::string key = LowerAscii(p.name());
    if (key == name) {
      plain = p.value();
    } else if (key == name + "*") {
      extended = p.value();
      encoded = true;
    } else if (key.rfind(name + "*", 0) == 0) {
      std::string index = key.substr(name.size() + 1);
      if (!index.empty() && index.back() == '*') {
        index.pop_back();
        encoded = true;
      }
      if (!index.empty() && std::all_of(index.begin(), index.end(), ::isdigit) &&
          index.size() < 4) {
        pieces.push_back({std::stoi(index), p.value()});
      }
    }
  }
  if (!pieces.empty()) {
    std::sort(pieces.begin(), pieces.end());
    for (const auto& [index, value] : pieces) extended += value;
  }
  if (!extended.empty()) return encoded ? DecodeRfc2231(extended) : ToUtf8(extended, "");
  return DecodeHeader(plain);  // some clients put RFC 2047 words in parameters
}

std::string DecodeBody(const std::string& body, const std::string& encoding) {
  const std::string e = LowerAscii(Trim(encoding));
  if (e == "base64") return DecodeBase64(body);
  if (e == "quoted-printable") return DecodeQuotedPrintable(body, false);
  return body;  // 7bit, 8bit, binary, or unknown (kept as it is)
}

struct Walker {
  const ParseLimits& limits;
  const std::string& pattern;
  int parts = 0;
  std::string plain{};
  // HTML parts, made readable only when needed (no plain part): the first that gives any text.
  std::vector<std::string> html_parts{};
  std::optional<std::string> html_text{};
  const std::string& HtmlText() {
    if (!html_text) {
      html_text.emplace();
      for (const std::string& html : html_parts) {
        *html_text = HtmlToText(html);
        if (!html_text->empty()) break;
      }
    }
    return *html_text;
  }
  std::vector<std::string> report_parts{};
  ParsedMail* out = nullptr;
  Status status = Status::Ok();

  void Part(mimetic::MimeEntity& entity, int depth);
};

Result<ParsedMail> ParseAt(std::string_view raw, const std::string& pattern,
                           const ParseLimits& limits, int depth);

void Walker::Part(mimetic::MimeEntity& entity, int depth) {
  if (!status) return;
  if (++parts > limits.max_parts) {
    status = Status::Error("more than " + std::to_string(limits.max_parts) + " MIME parts");
    return;
  }
  if (depth > limits.max_depth) {
    status = Status::Error("MIME parts nested deeper than " + std::to_string(limits.max_depth));
    return;
  }
  // Const access only: mimetic's non-const accessors add a default field when one is missing.
  const mimetic::Header& h = std::as_const(entity).header();
  const mimetic::ContentType& ct = h.contentType();
  std::string type = LowerAscii(ct.type()) + "/" + LowerAscii(ct.subtype());
  if (!h.hasField("Content-Type")) type = "text/plain";
  const std::string disposition =
      h.hasField("Content-Disposition") ? LowerAscii(h.contentDisposition().type()) : std::string();
  std::string filename = h.hasField("Content-Disposition")
                             ? Param(h.contentDisposition().paramList(), "filename")
                             : std::string();
  if (filename.empty()) filename = Param(ct.paramList(), "name");
  const bool attachment = disposition == "attachment" || !filename.empty();

  if (ct.isMultipart() && h.hasField("Content-Type")) {
    mimetic::MimeEntityList& children = entity.body().parts();
    if (children.empty()) {
      // A boundary that never occurs: mimetic finds no parts. Keep the body as text, and say so.
      out->warnings.push_back("multipart without its boundary: body kept as text");
      if (plain.empty()) plain = ToUtf8(entity.body() + entity.body().preamble(), "");
      return;
    }
    // multipart/alternative: walk all; the first plain and first HTML win.
    for (mimetic::MimeEntity* child : children) Part(*child, depth + 1);
    return;
  }
  const std::string body =
      DecodeBody(entity.body(), h.hasField("Content-Transfer-Encoding")
                                    ? std::string(h.contentTransferEncoding().mechanism())
                                    : std::string());
  if (type == "message/rfc822" || type == "message/global") {
    // mimetic parses the attached message as the part's only child; serialise it back so the
    // same code reads it (its body string is then empty).
    std::string attached = entity.body();
    if (Trim(attached).empty() && !entity.body().parts().empty()) {
      std::ostringstream os;
      os << *entity.body().parts().front();
      attached = os.str();
    }
    // Some clients base64 the attached message: undo the transfer encoding.
    attached = DecodeBody(attached, h.hasField("Content-Transfer-Encoding")
                                        ? std::string(h.contentTransferEncoding().mechanism())
                                        : std::string());
    Result<ParsedMail> inner = ParseAt(attached, pattern, limits, depth + 1);
    if (inner) {
      out->forwarded.push_back(std::move(inner).value());
    } else if (inner.error().find("nested deeper") != std::string::npos ||
               inner.error().find("MIME parts") != std::string::npos) {
      status = inner.status();
    } else {
      out->warnings.push_back("an attached message could not be read: " + inner.error());
    }
    return;
  }
  if (type == "message/delivery-status" || type == "message/disposition-notification" ||
      type == "text/rfc822-headers" || type == "message/rfc822-headers") {
    report_parts.push_back(body);
    return;
  }
  const std::string charset = Param(ct.paramList(), "charset");
  if (!attachment && type == "text/plain") {
    if (plain.empty()) plain = ToUtf8(body, charset);
    return;
  }
  if (!attachment && type == "text/html") {
    // Made readable only if no plain part turns up: most HTML is an alternative to one.
    html_parts.push_back(ToUtf8(body, charset));
    html_text.reset();
    return;
  }
  if (type == "application/ms-tnef" || type == "application/vnd.ms-tnef" ||
      LowerAscii(filename) == "winmail.dat") {
    // Outlook's wrapper: what the resident attached (and sometimes the only copy of the text).
    Result<TnefContents> tnef = UnpackTnef(body);
    if (tnef) {
      for (const TnefFile& f : tnef->files) {
        std::string sniffed = SniffContentType(f.bytes);
        out->attachments.push_back({f.filename,
                                    sniffed.empty() ? "application/octet-stream" : sniffed,
                                    f.bytes.size(), sniffed, f.bytes});
      }
      if (plain.empty() && !tnef->body.empty() && HtmlText().empty()) {
        plain = ToUtf8(tnef->body, "");
      }
      out->warnings.push_back("winmail.dat (TNEF) unpacked: " + std::to_string(tnef->files.size()) +
                              " file(s)");
      return;
    }
    out->warnings.push_back(tnef.error() + "; kept as it came");
  }
  out->attachments.push_back({filename, type, body.size(), SniffContentType(body), body});
}

void ReadHeaders(mimetic::MimeEntity& entity, Headers& headers) {
  for (const mimetic::Field& f : entity.header()) headers.push_back({f.name(), f.value()});
}

// The text every match of `pattern` starts with: its leading literal characters ("WW-" of
// "WW\\-[0-9]{4}..."), stopping at the first special character. A literal followed by a
// quantifier is optional, so it is not part of the prefix.
std::string LiteralPrefix(const std::string& pattern) {
  std::string prefix;
  if (pattern.find('|') != std::string::npos) return prefix;  // alternatives: no common prefix
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 >= pattern.size() || std::isalnum(static_cast<unsigned char>(pattern[i + 1]))) {
        break;  // \d, \w, \b... are classes, not literals
      }
      c = pattern[++i];
    } else if (std::string_view("[](){}|.*+?^$").find(c) != std::string_view::npos) {
      break;
    }
    // Any quantifier after it ("+" too: "A+??" may match no A) ends the prefix before it.
    if (i + 1 < pattern.size() &&
        std::string_view("*?{+").find(pattern[i + 1]) != std::string_view::npos) {
      break;
    }
    prefix += c;
  }
  return prefix;
}

// The policy's pattern, compiled once per thread (compiling costs more than searching a message).
struct ReferenceMatcher {
  std::string pattern;
  std::regex re;
  std::string prefix;
  bool valid = false;
};

const ReferenceMatcher& MatcherFor(const std::string& pattern) {
  thread_local ReferenceMatcher matcher;
  if (matcher.pattern != pattern) {
    matcher = ReferenceMatcher{pattern, {}, LiteralPrefix(pattern), false};
    try {
      matcher.re = std::regex(pattern);
      matcher.valid = true;
    } catch (const std::regex_error&) {
      // The policy's pattern is checked at load; a bad one simply finds nothing here.
    }
  }
  return matcher;
}

std::vector<std::string> FindReferences(const std::string& pattern, const std::string& text) {
  std::vector<std::string> refs;
  if (pattern.empty()) return refs;
  const ReferenceMatcher& m = MatcherFor(pattern);
  if (!m.valid) return refs;
  const std::string limited = text.substr(0, 64 * 1024);  // bounded work on hostile input
  const auto add = [&refs](std::string ref) {
    if (std::find(refs.begin(), refs.end(), ref) == refs.end()) refs.push_back(std::move(ref));
  };
  if (m.prefix.empty()) {
    for (auto it = std::sregex_iterator(limited.begin(), limited.end(), m.re);
         it != std::sregex_iterator(); ++it) {
      add(it->str());
    }
    return refs;
  }
  // Every match starts with the prefix: try the pattern only where the prefix occurs (std::regex
  // over the whole text costs more than the rest of parsing put together).
  std::smatch match;
  for (size_t at = 0; (at = limited.find(m.prefix, at)) != std::string::npos;) {
    if (std::regex_search(limited.cbegin() + static_cast<std::ptrdiff_t>(at), limited.cend(), match,
                          m.re,
                          at == 0 ? std::regex_constants::match_continuous
                                  : std::regex_constants::match_continuous |
                                        std::regex_constants::match_prev_avail)) {
      add(match.str());
      at += std::max<size_t>(1, static_cast<size_t>(match.length()));
    } else {
      ++at;
    }
  }
  return refs;
}

Result<ParsedMail> ParseAt(std::string_view raw, const std::string& pattern,
                           const ParseLimits& limits, int depth) {
  using R = Result<ParsedMail>;
  if (depth > limits.max_depth) {
    return R::Error("messages nested deeper than " + std::to_string(limits.max_depth));
  }
  if (raw.size() > limits.max_bytes) {
    return R::Error("larger than " + std::to_string(limits.max_bytes / (1024 * 1024)) + " MB");
  }
  // A UTF-8 byte-order mark and an mbox "From " line before the headers are tolerated.
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
  if (raw.substr(0, 5) == "From ") {
    const size_t eol = raw.find('\n');
    raw = eol == std::string_view::npos ? std::string_view() : raw.substr(eol + 1);
  }
  if (Trim(raw.substr(0, 4096)).empty()) return R::Error("empty message");
  // mimetic recurses once per nesting level: refuse absurd nesting before it sees it.
  const size_t max_parts = static_cast<size_t>(limits.max_parts);
  if (CountMultipart(raw.substr(0, std::min(raw.size(), size_t{4} << 20)), max_parts) > max_parts) {
    return R::Error("more than " + std::to_string(limits.max_parts) + " MIME parts");
  }
  ParsedMail mail;
  Headers headers;
  Walker walker{.limits = limits, .pattern = pattern, .out = &mail};
  std::string top_type;
  try {
    // Built empty, then loaded: when mimetic throws part-way through a malformed message, the
    // entity is then whole, so its destructor frees the parts already attached. (Thrown from
    // the parsing constructor, no destructor runs and those parts leak.)
    mimetic::MimeEntity entity;
    entity.load(raw.data(), raw.data() + raw.size());
    ReadHeaders(entity, headers);
    if (headers.empty()) return R::Error("no header fields: this is not an email");
    const mimetic::Header& top = std::as_const(entity).header();
    const mimetic::ContentType& ct = top.contentType();
    top_type = top.hasField("Content-Type") ? LowerAscii(ct.type()) + "/" + LowerAscii(ct.subtype())
                                            : "text/plain";
    walker.Part(entity, depth);
  } catch (const std::exception& e) {
    // What the library says is for developers; staff read that the message is malformed.
    return R::Error(
        std::string("MIME structure cannot be read: the message is malformed (mimetic stopped: ") +
        e.what() + ")");
  } catch (...) {
    return R::Error("MIME structure cannot be read");
  }
  if (!walker.status) return R(walker.status);

  if (const std::string* v = Find(headers, "Message-ID")) {
    const std::vector<std::string> ids = MessageIds(*v);
    mail.message_id = ids.empty() ? Trim(*v) : ids.front();
  }
  if (const std::string* v = Find(headers, "Date")) mail.date = ParseMailDate(*v);
  if (const std::string* v = Find(headers, "From")) {
    const std::vector<ParsedAddress> from = ParseAddressList(*v);
    if (!from.empty()) mail.from = from.front();
  }
  if (const std::string* v = Find(headers, "Sender")) {
    const std::vector<ParsedAddress> a = ParseAddressList(*v);
    if (!a.empty()) mail.sender = a.front();
  }
  if (const std::string* v = Find(headers, "Reply-To")) {
    const std::vector<ParsedAddress> a = ParseAddressList(*v);
    if (!a.empty()) mail.reply_to = a.front();
  }
  if (const std::string* v = Find(headers, "To")) mail.to = ParseAddressList(*v);
  if (const std::string* v = Find(headers, "Cc")) mail.cc = ParseAddressList(*v);
  if (const std::string* v = Find(headers, "Subject")) mail.subject = DecodeHeader(*v);
  if (const std::string* v = Find(headers, "In-Reply-To")) {
    const std::vector<std::string> ids = MessageIds(*v);
    if (!ids.empty()) mail.in_reply_to = ids.front();
  }
  if (const std::string* v = Find(headers, "References")) mail.references = MessageIds(*v);

  mail.text = !walker.plain.empty()        ? TidyText(walker.plain)
              : !walker.HtmlText().empty() ? walker.HtmlText()
                                           : std::string();
  if (mail.text.empty() && !mail.forwarded.empty()) mail.text = mail.forwarded.front().text;
  if (mail.text.empty()) mail.warnings.push_back("no text part");
  mail.new_text = NewText(mail.text);
  mail.automatic = DetectAutomatic(headers, top_type, mail.from.address, walker.report_parts);
  mail.case_refs = FindReferences(pattern, mail.subject + "\n" + mail.text);
  return mail;
}

constexpr std::array<const char*, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};

std::optional<int> ZoneMinutes(const std::string& token) {
  if (token.size() == 5 && (token[0] == '+' || token[0] == '-') &&
      std::all_of(token.begin() + 1, token.end(), ::isdigit)) {
    const int hh = std::stoi(token.substr(1, 2)), mm = std::stoi(token.substr(3, 2));
    if (hh > 23 || mm > 59) return std::nullopt;
    return (token[0] == '-' ? -1 : 1) * (hh * 60 + mm);
  }
  const std::string z = LowerAscii(token);
  if (z == "gmt" || z == "ut" || z == "utc" || z == "z") return 0;
  if (z == "bst") return 60;
  if (z == "cet") return 60;
  if (z == "cest") return 120;
  if (z == "est") return -300;
  if (z == "edt") return -240;
  if (z == "cst") return -360;
  if (z == "cdt") return -300;
  if (z == "mst") return -420;
  if (z == "mdt") return -360;
  if (z == "pst") return -480;
  if (z == "pdt") return -420;
  return std::nullopt;
}

}  // namespace

std::string SniffContentType(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  // A PDF's header may follow a little junk (the format allows 1024 bytes of it).
  if (b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return "application/pdf";
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)))
    return "image/tiff";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("BM") && b.size() > 14) return "image/bmp";
  if (starts(std::string_view("PK\x03\x04", 4))) return "application/zip";
  if (starts("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) return "application/x-ole-storage";
  if (starts(std::string_view("\x78\x9f\x3e\x22", 4))) return "application/vnd.ms-tnef";
  return "";
}

Result<ParsedMail> ParseMail(std::string_view raw, const std::string& reference_pattern,
                             const ParseLimits& limits) {
  return ParseAt(raw, reference_pattern, limits, 0);
}

std::optional<std::chrono::sys_seconds> ParseMailDate(std::string_view text) {
  // Drop comments and punctuation into tokens: "Mon, 16 Nov 2026 08:42:10 +0000 (GMT)".
  std::string cleaned;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (depth == 0) cleaned += (c == ',' ? ' ' : c);
    if (c == ')' && depth > 0) --depth;
  }
  std::vector<std::string> tokens;
  for (size_t i = 0; i < cleaned.size();) {
    while (i < cleaned.size() && std::isspace(static_cast<unsigned char>(cleaned[i]))) ++i;
    size_t j = i;
    while (j < cleaned.size() && !std::isspace(static_cast<unsigned char>(cleaned[j]))) ++j;
    if (j > i) tokens.push_back(cleaned.substr(i, j - i));
    i = j;
  }
  int day = -1, month = -1, year = -1, hh = -1, mi = -1, ss = 0;
  std::optional<int> zone;
  for (const std::string& t : tokens) {
    const std::string lt = LowerAscii(t);
    if (month < 0 && lt.size() >= 3) {
      for (size_t m = 0; m < kMonths.size(); ++m) {
        if (lt.compare(0, 3, kMonths[m]) == 0 && std::isalpha(static_cast<unsigned char>(lt[0]))) {
          month = static_cast<int>(m) + 1;
        }
      }
      if (month > 0) continue;
    }
    if (hh < 0 && t.find(':') != std::string::npos) {
      int a = -1, b = -1, c = 0;
      if (std::sscanf(t.c_str(), "%d:%d:%d", &a, &b, &c) >= 2) {
        hh = a;
        mi = b;
        ss = c;
        continue;
      }
    }
    if (!zone && (t[0] == '+' || t[0] == '-' || std::isalpha(static_cast<unsigned char>(t[0])))) {
      if (auto z = ZoneMinutes(t)) {
        zone = z;
        continue;
      }
    }
    if (std::all_of(t.begin(), t.end(), ::isdigit) && t.size() <= 4) {
      const int n = std::stoi(t);
      if (day < 0 && t.size() <= 2 && month < 0) {
        day = n;
      } else if (day < 0 && t.size() <= 2) {
        day = n;
      } else if (year < 0) {
        year = t.size() <= 2 ? (n < 50 ? 2000 + n : 1900 + n) : n;
      }
    }
  }
  if (day < 1 || month < 1 || year < 1900 || year > 2200 || hh < 0 || hh > 23 || mi < 0 ||
      mi > 59 || ss < 0 || ss > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  const auto local = std::chrono::sys_days{ymd} + std::chrono::hours{hh} +
                     std::chrono::minutes{mi} + std::chrono::seconds{std::min(ss, 59)};
  return std::chrono::sys_seconds{local - std::chrono::minutes{zone.value_or(0)}};
}

std::vector<ParsedAddress> ParseAddressList(std::string_view value) {
  std::vector<ParsedAddress> out;
  std::string phrase, angle, bare;
  bool in_quote = false, in_angle = false, escaped = false;
  int comment = 0;
  std::string comment_text;
  auto flush = [&] {
    ParsedAddress a;
    std::string address = Trim(in_angle || !angle.empty() ? angle : bare);
    if (address.empty() && phrase.find('@') != std::string::npos) address = Trim(phrase);
    if (!angle.empty() || address != Trim(phrase)) a.name = DecodeHeader(Trim(phrase));
    if (a.name.empty() && !comment_text.empty()) a.name = DecodeHeader(Trim(comment_text));
    a.address = address;
    if (!a.address.empty()) out.push_back(a);
    phrase.clear();
    angle.clear();
    bare.clear();
    comment_text.clear();
    in_angle = false;
  };
  for (char c : value) {
    if (escaped) {
      (in_angle ? angle : phrase) += c;
      escaped = false;
      continue;
    }
    if (comment > 0) {
      if (c == '(') ++comment;
      if (c == ')') --comment;
      if (comment > 0) comment_text += c;
      continue;
    }
    if (c == '\\' && in_quote) {
      escaped = true;
    } else if (c == '"') {
      in_quote = !in_quote;
    } else if (in_quote) {
      phrase += c;
    } else if (c == '(') {
      comment = 1;
    } else if (c == '<') {
      in_angle = true;
      angle.clear();
    } else if (c == '>') {
      in_angle = false;
    } else if (in_angle) {
      angle += c;
    } else if (c == ',' || c == ';') {
      flush();
    } else if (c == ':' && angle.empty()) {
      phrase.clear();  // a group name: "Residents: a@x, b@y;"
      bare.clear();
    } else {
      phrase += c;
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') bare += c;
    }
  }
  flush();
  for (ParsedAddress& a : out) {
    if (a.address.find('@') == std::string::npos) a.address.clear();
  }
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const ParsedAddress& a) { return a.address.empty(); }),
            out.end());
  return out;
}

}  // namespace complaints
