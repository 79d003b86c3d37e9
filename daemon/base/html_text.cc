#include "daemon/base/html_text.h"

#include <cstdio>

namespace complaints {
namespace {

// The UTF-8 code point starting at text[i] (its length in *len), or -1 for a broken sequence.
long CodePoint(std::string_view text, size_t i, size_t* len) {
  const auto b = static_cast<unsigned char>(text[i]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > text.size()) {
    *len = 1;
    return -1;
  }
  long cp = n == 1 ? b : n == 2 ? (b & 0x1f) : n == 3 ? (b & 0x0f) : (b & 0x07);
  for (size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if ((c >> 6) != 2) {
      *len = 1;
      return -1;
    }
    cp = (cp << 6) | (c & 0x3f);
  }
  *len = n;
  return cp;
}

bool Bidi(long cp) { return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069); }

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    const char ch = text[i];
    switch (ch) {
      case '&':
        out += "&amp;";
        ++i;
        continue;
      case '<':
        out += "&lt;";
        ++i;
        continue;
      case '>':
        out += "&gt;";
        ++i;
        continue;
      case '"':
        out += "&quot;";
        ++i;
        continue;
      case '\'':
        out += "&#39;";
        ++i;
        continue;
      default:
        break;
    }
    size_t len = 1;
    const long cp = CodePoint(text, i, &len);
    char marker[32];  // "[U+XXXX]"; room for any long, as -Wformat-truncation asks
    if (cp < 0) {
      out += "\xef\xbf\xbd";  // U+FFFD for bytes that are not UTF-8
    } else if ((cp < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') || cp == 0x7f || Bidi(cp)) {
      std::snprintf(marker, sizeof marker, "[U+%04lX]", cp);
      out += marker;
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace complaints
