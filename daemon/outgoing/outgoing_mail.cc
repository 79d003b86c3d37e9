#include "daemon/outgoing/outgoing_mail.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "daemon/base/digest.h"
#include "daemon/calendar/bank_holidays.h"
#include "daemon/calendar/london_time.h"

namespace complaints {
namespace {

constexpr const char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view in) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16 |
                       static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    out += {kBase64[v >> 18], kBase64[v >> 12 & 63], kBase64[v >> 6 & 63], kBase64[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {kBase64[v >> 18], kBase64[v >> 12 & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v =
        static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8;
    out += {kBase64[v >> 18], kBase64[v >> 12 & 63], kBase64[v >> 6 & 63], '='};
  }
  return out;
}

// Controls (CR, LF, NUL, tabs...) become spaces: header text is one logical line.
std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

bool PlainAscii(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return text.find("=?") == std::string_view::npos;
}

// Length of the UTF-8 sequence starting with byte `lead` (1 for stray bytes).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

std::string DisplayName(std::string_view name) {
  const std::string line = OneLine(name);
  if (line.empty()) return "";
  if (!PlainAscii(line)) return EncodeHeaderText(line);
  std::string quoted = "\"";
  for (char c : line) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

Result<std::string> AddressList(const std::vector<MailAddress>& list) {
  std::string out;
  for (const MailAddress& a : list) {
    if (Status s = ValidateAddress(a.address); !s) return Result<std::string>(s);
    const std::string name = DisplayName(a.name);
    out += (out.empty() ? "" : ", ") + (name.empty() ? "" : name + " ") + "<" + a.address + ">";
  }
  return out;
}

Status ValidateMessageId(std::string_view id) {
  if (id.empty() || id.size() > 250 || id.find('@') == std::string_view::npos) {
    return Status::Error("invalid Message-ID '" + OneLine(id) + "'");
  }
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\') {
      return Status::Error("invalid Message-ID '" + OneLine(id) + "'");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateAddress(std::string_view address) {
  const auto bad = [&](const char* why) {
    return Status::Error("invalid email address '" + OneLine(address) + "': " + why);
  };
  if (address.empty() || address.size() > 254) return bad("empty or too long");
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) {
    return bad("expected local@domain");
  }
  for (char c : address) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return bad("spaces and control characters are not allowed");
    if (c == '<' || c == '>' || c == '"' || c == '(' || c == ')' || c == ',' || c == ';' ||
        c == '\\' || c == '[' || c == ']' || c == ':') {
      return bad("special characters are not allowed");
    }
  }
  if (address.find('@') != at) return bad("more than one @");
  if (address.substr(at + 1).find('.') == std::string_view::npos) return bad("no domain");
  return Status::Ok();
}

std::string EncodeHeaderText(std::string_view text) {
  const std::string line = OneLine(text);
  if (PlainAscii(line)) return line;
  // Encoded words of 60 characters (12 of framing and 48 of base64, i.e. 36 bytes of UTF-8, split
  // only between whole characters), so that even the first, after "Subject: ", fits in 78.
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    size_t end = i;
    while (end < line.size()) {
      const size_t n = Utf8Length(static_cast<unsigned char>(line[end]));
      if (end + n - i > 36) break;
      end += n;
    }
    if (end == i) end = std::min(line.size(), i + 1);
    out += (out.empty() ? "" : " ") + std::string("=?UTF-8?B?") +
           Base64(std::string_view(line).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string FoldHeader(std::string_view name, std::string_view value) {
  std::string out(name);
  out += ':';
  size_t line_length = out.size();
  size_t i = 0;
  const std::string text = OneLine(value);
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t end = text.find(' ', i);
    if (end == std::string::npos) end = text.size();
    const std::string_view word = std::string_view(text).substr(i, end - i);
    if (word.empty()) break;
    if (line_length + 1 + word.size() > 78 && line_length > name.size() + 1) {
      out += "\r\n";
      line_length = 0;
    }
    out += ' ';
    out += word;
    line_length += 1 + word.size();
    i = end;
  }
  return out + "\r\n";
}

std::string QuotedPrintable(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t line = 0;
  auto emit = [&](std::string_view piece) {
    if (line + piece.size() > 75) {
      out += "=\r\n";
      line = 0;
    }
    out += piece;
    line += piece.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      if (!out.empty() && (out.back() == ' ' || out.back() == '\t') && line > 0) {
        const char last = out.back();
        out.pop_back();
        out += '=';
        out += kHex[static_cast<unsigned char>(last) >> 4];
        out += kHex[static_cast<unsigned char>(last) & 15];
      }
      out += "\r\n";
      line = 0;
    } else if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') {
      // A "." alone at the start of a line is encoded too, for SMTP servers that mishandle it.
      if (c == '.' && line == 0) {
        emit("=2E");
      } else {
        emit(std::string(1, static_cast<char>(c)));
      }
    } else {
      const char encoded[4] = {'=', kHex[c >> 4], kHex[c & 15], 0};
      emit(encoded);
    }
  }
  return out;
}

std::string Rfc5322Date(Instant at) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const LondonTime t = ToLondon(at);
  const std::chrono::year_month_day ymd{t.day};
  const unsigned wd = std::chrono::weekday{t.day}.c_encoding();
  const long tod = static_cast<long>(t.time_of_day.count());
  const long off = static_cast<long>(t.utc_offset.count()) / 60;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %u %s %d %02ld:%02ld:%02ld %c%02ld%02ld", kDays[wd],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), tod / 3600, tod / 60 % 60, tod % 60,
                off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
  return buf;
}

std::string TextToHtml(std::string_view text) {
  std::string out = "<!DOCTYPE html>\n<html><body>\n<p>";
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '\n') {
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        out += "</p>\n<p>";
        while (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      } else {
        out += "<br>\n";
      }
    } else if (c != '\r') {
      out += c;
    }
  }
  return out + "</p>\n</body></html>\n";
}

namespace {

// One attachment's MIME part: headers we build from checked pieces, then base64 in 76-column
// lines. The file name is percent-encoded (RFC 2231), so nothing in it can end a header.
Result<std::string> AttachmentPart(const MailAttachment& a) {
  const std::string& type = a.content_type;
  const size_t slash = type.find('/');
  const bool type_ok = slash != std::string::npos && slash > 0 && slash + 1 < type.size() &&
                       std::all_of(type.begin(), type.end(), [](unsigned char c) {
                         return std::isalnum(c) || c == '/' || c == '.' || c == '+' || c == '-';
                       });
  if (!type_ok) return Result<std::string>::Error("not a content type: " + type);
  std::string name;
  static const char kHex[] = "0123456789ABCDEF";
  // At most 80 bytes of name (kept whole UTF-8 characters), so the header stays one short line.
  std::string raw = a.filename.empty() ? std::string("attachment") : a.filename;
  if (raw.size() > 80) {
    size_t cut = 80;
    while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
    raw.resize(cut);
  }
  for (unsigned char c : raw) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      name += static_cast<char>(c);
    } else {
      name += '%';
      name += kHex[c >> 4];
      name += kHex[c & 15];
    }
  }
  std::string part = "Content-Type: " + type + "\r\n";
  // RFC 2231 continuations keep each line short: filename*0*=UTF-8''...; filename*1*=...
  std::vector<std::string> pieces;
  for (size_t at = 0; at < name.size();) {
    size_t len = std::min<size_t>(50, name.size() - at);
    if (at + len < name.size()) {  // never split a %XX
      if (name[at + len - 1] == '%')
        len -= 1;
      else if (len >= 2 && name[at + len - 2] == '%')
        len -= 2;
    }
    pieces.push_back(name.substr(at, len));
    at += len;
  }
  part += "Content-Disposition: attachment";
  for (size_t i = 0; i < pieces.size(); ++i) {
    part += ";\r\n filename*" + std::to_string(i) + "*=" + (i == 0 ? "UTF-8''" : "") + pieces[i];
  }
  part += "\r\n";
  part += "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::string encoded = Base64(a.bytes);
  for (size_t i = 0; i < encoded.size(); i += 76) part += encoded.substr(i, 76) + "\r\n";
  return part;
}

}  // namespace

Result<std::string> ComposeMail(const MailDraft& d) {
  using R = Result<std::string>;
  if (d.to.empty()) return R::Error("a message needs at least one recipient");
  if (Status s = ValidateMessageId(d.message_id); !s) return R(s);
  Result<std::string> from = AddressList({d.from});
  if (!from) return from;
  Result<std::string> to = AddressList(d.to);
  if (!to) return to;
  Result<std::string> cc = AddressList(d.cc);
  if (!cc) return cc;
  std::string h;
  h += FoldHeader("From", *from);
  h += FoldHeader("To", *to);
  if (!d.cc.empty()) h += FoldHeader("Cc", *cc);
  if (d.reply_to) {
    Result<std::string> reply = AddressList({*d.reply_to});
    if (!reply) return reply;
    h += FoldHeader("Reply-To", *reply);
  }
  h += FoldHeader("Subject", EncodeHeaderText(d.subject));
  h += FoldHeader("Date", Rfc5322Date(d.date));
  h += FoldHeader("Message-ID", "<" + d.message_id + ">");
  if (!d.in_reply_to.empty() && ValidateMessageId(d.in_reply_to)) {
    h += FoldHeader("In-Reply-To", "<" + d.in_reply_to + ">");
  }
  std::string refs;
  for (const std::string& r : d.references) {
    if (ValidateMessageId(r)) refs += (refs.empty() ? "<" : " <") + r + ">";
  }
  if (!refs.empty()) h += FoldHeader("References", refs);
  if (d.automatic) {
    h += "Auto-Submitted: auto-replied\r\n";
    h += "X-Auto-Response-Suppress: All\r\n";
    h += "Precedence: auto_reply\r\n";
  }
  h += "MIME-Version: 1.0\r\n";
  const std::string boundary = "=_complaintsd_" + Sha256Hex(d.message_id).substr(0, 24);
  const std::string alternative =
      "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  std::string body;
  if (d.attachments.empty()) {
    h += alternative;
    body = "This is a message in two formats: plain text and HTML.\r\n";
  } else {
    h += "Content-Type: multipart/mixed;\r\n boundary=\"" + boundary + "m\"\r\n\r\n";
    body = "This is a message with attachments.\r\n\r\n--" + boundary + "m\r\n" + alternative;
  }
  body += "\r\n--" + boundary + "\r\n";
  body +=
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "
      "quoted-printable\r\n\r\n";
  body += QuotedPrintable(d.text) + "\r\n";
  body += "\r\n--" + boundary + "\r\n";
  body +=
      "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: "
      "quoted-printable\r\n\r\n";
  body += QuotedPrintable(d.html.empty() ? TextToHtml(d.text) : d.html) + "\r\n";
  body += "\r\n--" + boundary + "--\r\n";
  for (const MailAttachment& a : d.attachments) {
    Result<std::string> part = AttachmentPart(a);
    if (!part) return part;
    body += "\r\n--" + boundary + "m\r\n" + *part;
  }
  if (!d.attachments.empty()) body += "\r\n--" + boundary + "m--\r\n";
  return h + body;
}

MessageIdSigner::MessageIdSigner(std::string key, std::string domain)
    : key_(std::move(key)), domain_(std::move(domain)) {}

std::string MessageIdSigner::Make(const std::string& reference, const std::string& unique) const {
  const std::string body = reference + "." + unique;
  return "cd." + body + "." + HmacSha256Hex(key_, body).substr(0, 24) + "@" + domain_;
}

std::optional<std::string> MessageIdSigner::ReferenceOf(std::string_view id) const {
  if (!id.empty() && id.front() == '<') id.remove_prefix(1);
  if (!id.empty() && id.back() == '>') id.remove_suffix(1);
  const size_t at = id.rfind('@');
  if (id.substr(0, 3) != "cd." || at == std::string_view::npos) return std::nullopt;
  const std::string_view local = id.substr(3, at - 3);
  const size_t sig_dot = local.rfind('.');
  if (sig_dot == std::string_view::npos) return std::nullopt;
  const std::string_view body = local.substr(0, sig_dot);
  const std::string_view sig = local.substr(sig_dot + 1);
  const size_t unique_dot = body.rfind('.');
  if (unique_dot == std::string_view::npos || unique_dot == 0) return std::nullopt;
  if (!ConstantTimeEquals(sig, HmacSha256Hex(key_, body).substr(0, 24))) return std::nullopt;
  return std::string(body.substr(0, unique_dot));
}

}  // namespace complaints
