// The words in a message: HTML made readable (through libxml2's HTML parser), and the
// sender's own new words separated from quoted history and signatures, which is what the
// classifier reads. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace complaints {

// Readable text from HTML: block elements become line breaks, scripts and styles are dropped,
// entities decoded, runs of blank lines collapsed.
std::string HtmlToText(std::string_view html);

// The text above the quoted history ("On ... wrote:", "-----Original Message-----", Outlook's
// "From: ... Sent:" block, lines starting with ">") and above the signature ("-- ").
std::string NewText(std::string_view text);

// Line endings made "\n", trailing spaces trimmed, at most one blank line in a row.
std::string TidyText(std::string_view text);

}  // namespace complaints
