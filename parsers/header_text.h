// Text as mail carries it, made into UTF-8: RFC 2047 encoded words (including the broken forms
// real clients send), RFC 2231 parameter values, raw 8-bit bytes in any charset. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace complaints {

// Bytes in `charset` to UTF-8. Unknown or wrong charsets fall back to detection, then to
// windows-1252 (which every byte sequence is), so the result is always valid UTF-8.
// ISO-8859-1 and US-ASCII labels are read as windows-1252, as browsers do.
std::string ToUtf8(std::string_view bytes, std::string_view charset);
bool IsValidUtf8(std::string_view text);
// The charset uchardet guesses for `bytes`, or "" when it cannot tell.
std::string GuessCharset(std::string_view bytes);

// A header value decoded: encoded words joined (white space between adjacent ones dropped),
// raw 8-bit text converted, folding and control characters made single spaces, trimmed.
std::string DecodeHeader(std::string_view raw);

// An RFC 2231 value "charset'lang'percent-encoded" (continuations already joined) to UTF-8.
std::string DecodeRfc2231(std::string_view value);

std::string DecodeBase64(std::string_view text);
std::string DecodeQuotedPrintable(std::string_view text, bool header_underscores);

}  // namespace complaints
