// Text for HTML made by any layer (the workbench's pages, the reports): escaping, so that every
// value from a resident, a member of staff or the store is shown as text and never read as markup,
// and percent-encoding for URLs. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace complaints {

// Text content: & < > " ' escaped; control characters other than tab and newline, and the Unicode
// bidirectional controls (right-to-left overrides and isolates), shown as visible markers
// ("[U+202E]"), so a resident's text cannot reorder what staff read. Bytes that are not UTF-8
// become U+FFFD. Also right for an attribute value in double quotes.
std::string HtmlEscape(std::string_view text);
// A query-string or path component, percent-encoded.
std::string UrlEncode(std::string_view text);

}  // namespace complaints
