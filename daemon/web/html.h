// HTML for the workbench: escaping (every value from a resident, a member of staff or the store
// goes through Escape or Attr before it reaches a page) and the page frame, with govuk-frontend's
// classes and without GOV.UK's crown, logotype or font.
#pragma once

#include <string>
#include <string_view>

namespace complaints::web {

// Text content: & < > " ' escaped; control characters other than tab and newline, and the Unicode
// bidirectional controls (right-to-left overrides and isolates), shown as visible markers
// ("[U+202E]"), so a resident's text cannot reorder what staff read.
std::string Escape(std::string_view text);
// An attribute value (the same escaping; always put in double quotes).
inline std::string Attr(std::string_view text) { return Escape(text); }
// A query-string or path component, percent-encoded.
std::string UrlEncode(std::string_view text);

struct Viewer {
  std::string username;
  std::string name;
  std::string role;  // officer | manager | admin
  std::string csrf;
};

// A whole page: head, header with the navigation and the sign-out form, and `body` inside <main>.
// `viewer` is null on the login page. `active` is the navigation item to mark ("cases", ...).
std::string Page(const std::string& title, const Viewer* viewer, std::string_view active,
                 const std::string& body);

// <input type="hidden" name="csrf" value="...">
std::string CsrfField(const Viewer& viewer);

}  // namespace complaints::web
