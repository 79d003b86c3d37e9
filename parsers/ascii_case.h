// Case-blind text for the ASCII parts of mail (header names, MIME types, quote markers such as
// "wrote:"): no locale lookup per character, and views instead of lowered copies where a
// comparison is all that is needed. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace complaints {

inline char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

inline bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

inline bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoringCase(s.substr(0, prefix.size()), prefix);
}

// Where `word` first occurs in `s` ignoring case, or npos.
inline size_t FindIgnoringCase(std::string_view s, std::string_view word) {
  for (size_t i = 0; i + word.size() <= s.size(); ++i) {
    if (StartsWithIgnoringCase(s.substr(i), word)) return i;
  }
  return std::string_view::npos;
}

}  // namespace complaints
