// HTML for the workbench: escaping (every value from a resident, a member of staff or the store
// goes through Escape or Attr before it reaches a page) and the page frame, with govuk-frontend's
// classes and without GOV.UK's crown, logotype or font.
#pragma once

#include <string>
#include <string_view>

#include "daemon/base/html_text.h"

namespace complaints::web {

// Text content and attribute values (always in double quotes): daemon/base/html_text.h.
inline std::string Escape(std::string_view text) { return HtmlEscape(text); }
inline std::string Attr(std::string_view text) { return HtmlEscape(text); }
using complaints::UrlEncode;

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
