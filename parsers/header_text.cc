#include "parsers/header_text.h"

#include <iconv.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>
#include <optional>

#include "parsers/utf8.h"

namespace complaints {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// iconv from `charset` to UTF-8; nullopt when iconv does not know it or the bytes are invalid.
std::optional<std::string> Iconv(std::string_view bytes, const std::string& charset) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.resize(bytes.size() * 4 + 16);
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* dst = out.data();
  size_t out_left = out.size();
  const size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

std::string Cp1252(std::string_view bytes) {
  if (auto converted = Iconv(bytes, "WINDOWS-1252")) return *converted;
  // 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in windows-1252: read byte by byte as Latin-1.
  std::string out;
  for (unsigned char c : bytes) AppendUtf8(out, c);
  return out;
}

std::string NormaliseCharset(std::string_view charset) {
  std::string c = Lower(charset);
  c.erase(std::remove_if(c.begin(), c.end(), [](char ch) { return ch == '"' || ch == ' '; }),
          c.end());
  if (c == "iso-8859-1" || c == "latin1" || c == "latin-1" || c == "us-ascii" || c == "ascii" ||
      c == "iso8859-1" || c == "cp1252" || c == "x-user-defined" || c == "ansi_x3.4-1968") {
    return "windows-1252";
  }
  if (c == "utf8") return "utf-8";
  if (c == "ks_c_5601-1987") return "cp949";
  return c;
}

// One encoded word's payload decoded to bytes (charset conversion is the caller's).
std::string DecodeWordPayload(char encoding, std::string_view payload) {
  if (encoding == 'B' || encoding == 'b') return DecodeBase64(payload);
  return DecodeQuotedPrintable(payload, true);
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      n = 1;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      n = 3;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

std::string GuessCharset(std::string_view bytes) {
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, decltype(&uchardet_delete)> detector(
      uchardet_new(), uchardet_delete);
  if (!detector) return "";
  uchardet_handle_data(detector.get(), bytes.data(), bytes.size());
  uchardet_data_end(detector.get());
  const char* found = uchardet_get_charset(detector.get());
  return found ? found : "";
}

std::string ToUtf8(std::string_view bytes, std::string_view charset) {
  const std::string name = NormaliseCharset(charset);
  // Plain ASCII is the same in every charset mail uses but UTF-7/16/32: no conversion needed.
  if (name.rfind("utf-16", 0) != 0 && name.rfind("utf-32", 0) != 0 && name != "utf-7" &&
      std::all_of(bytes.begin(), bytes.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(bytes);
  }
  if (name.empty() || name == "utf-8") {
    if (IsValidUtf8(bytes)) return std::string(bytes);
  } else if (auto converted = Iconv(bytes, name)) {
    if (name != "windows-1252" || !IsValidUtf8(bytes) ||
        std::none_of(bytes.begin(), bytes.end(), [](char c) { return c & 0x80; })) {
      return *converted;
    }
    return std::string(bytes);  // labelled Latin-1 but really UTF-8: a common client bug
  }
  if (IsValidUtf8(bytes)) return std::string(bytes);
  const std::string guess = NormaliseCharset(GuessCharset(bytes));
  if (!guess.empty() && guess != "ascii" && guess != "utf-8") {
    if (auto converted = Iconv(bytes, guess)) return *converted;
  }
  return Cp1252(bytes);
}

std::string DecodeBase64(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else if (c == '=') {
      break;
    } else {
      continue;  // line breaks and junk
    }
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string DecodeQuotedPrintable(std::string_view text, bool header_underscores) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else if (c == '=' && i + 1 < text.size() && (text[i + 1] == '\r' || text[i + 1] == '\n')) {
      i += (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n') ? 2 : 1;
    } else if (c == '=' && i + 1 == text.size()) {
      // a soft break at the very end
    } else if (c == '_' && header_underscores) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string DecodeHeader(std::string_view raw) {
  std::string out;
  std::string pending_space;
  bool last_was_word = false;
  size_t i = 0;
  auto append_text = [&](std::string_view text) { out += ToUtf8(text, ""); };
  while (i < raw.size()) {
    const size_t start = raw.find("=?", i);
    if (start == std::string_view::npos) {
      append_text(std::string(pending_space) + std::string(raw.substr(i)));
      pending_space.clear();
      break;
    }
    // =?charset?E?payload?=  (a charset may carry *language; a missing final ?= ends the value)
    const size_t q1 = raw.find('?', start + 2);
    const size_t q2 = q1 == std::string_view::npos ? q1 : raw.find('?', q1 + 1);
    size_t end = q2 == std::string_view::npos ? q2 : raw.find("?=", q2 + 1);
    const bool shaped = q1 != std::string_view::npos && q2 == q1 + 2 &&
                        std::string_view("BbQq").find(raw[q1 + 1]) != std::string_view::npos;
    if (!shaped) {
      append_text(std::string(pending_space) + std::string(raw.substr(i, start + 2 - i)));
      pending_space.clear();
      last_was_word = false;
      i = start + 2;
      continue;
    }
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view between = raw.substr(i, start - i);
    const bool only_space = std::all_of(between.begin(), between.end(), [](char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    });
    if (!(last_was_word && only_space)) append_text(between);
    std::string charset(raw.substr(start + 2, q1 - start - 2));
    charset = charset.substr(0, charset.find('*'));
    const std::string bytes = DecodeWordPayload(raw[q1 + 1], raw.substr(q2 + 1, end - q2 - 1));
    out += ToUtf8(bytes, charset);
    last_was_word = true;
    i = std::min(raw.size(), end + 2);
  }
  // Folding, tabs and controls become single spaces.
  std::string clean;
  for (char c : out) {
    const bool space =
        c == '\r' || c == '\n' || c == '\t' || (static_cast<unsigned char>(c) < 0x20);
    if (space) {
      if (!clean.empty() && clean.back() != ' ') clean += ' ';
    } else if (c == ' ') {
      if (!clean.empty() && clean.back() != ' ') clean += ' ';
    } else {
      clean += c;
    }
  }
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();
  return clean;
}

std::string DecodeRfc2231(std::string_view value) {
  const size_t q1 = value.find('\'');
  const size_t q2 = q1 == std::string_view::npos ? q1 : value.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return ToUtf8(value, "");
  std::string bytes;
  const std::string_view encoded = value.substr(q2 + 1);
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size() && HexValue(encoded[i + 1]) >= 0 &&
        HexValue(encoded[i + 2]) >= 0) {
      bytes += static_cast<char>(HexValue(encoded[i + 1]) * 16 + HexValue(encoded[i + 2]));
      i += 2;
    } else {
      bytes += encoded[i];
    }
  }
  return ToUtf8(bytes, value.substr(0, q1));
}

}  // namespace complaints
