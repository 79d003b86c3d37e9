#include "daemon/web/html.h"

namespace complaints::web {

std::string CsrfField(const Viewer& viewer) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + Attr(viewer.csrf) + "\">";
}

std::string Page(const std::string& title, const Viewer* viewer, std::string_view active,
                 const std::string& body) {
  std::string nav;
  if (viewer) {
    auto item = [&](std::string_view key, const char* href, const char* label) {
      const bool on = key == active;
      nav += std::string("<li class=\"govuk-service-navigation__item") +
             (on ? " govuk-service-navigation__item--active" : "") +
             "\"><a class=\"govuk-service-navigation__link\" href=\"" + href + "\"" +
             (on ? " aria-current=\"page\"" : "") + ">" + label + "</a></li>";
    };
    item("home", "/", "Home");
    item("cases", "/cases", "Queue");
    item("triage", "/triage", "Triage");
    item("new", "/new", "Log a case");
    item("search", "/search", "Search");
    item("reports", "/reports", "Reports");
    if (viewer->role == "admin") item("staff", "/staff", "Staff");
  }
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en-GB\" class=\"govuk-template\">\n<head>\n"
      "<meta charset=\"utf-8\">\n<title>" +
      Escape(title) +
      " - Complaints workbench</title>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<link rel=\"stylesheet\" href=\"/assets/govuk-frontend.min.css\">\n"
      "<link rel=\"stylesheet\" href=\"/assets/complaints.css\">\n</head>\n"
      "<body class=\"govuk-template__body\">\n"
      "<a href=\"#main\" class=\"govuk-skip-link\">Skip to main content</a>\n"
      "<header class=\"app-header\"><div class=\"govuk-width-container app-header__bar\">"
      "<a class=\"app-header__name\" href=\"/\">Complaints workbench</a>";
  if (viewer) {
    out +=
        "<div class=\"app-header__user\"><span>" + Escape(viewer->name) + " (" +
        Escape(viewer->role) +
        ")</span> <form method=\"post\" action=\"/logout\" class=\"app-inline\">" +
        CsrfField(*viewer) +
        "<button type=\"submit\" class=\"govuk-button govuk-button--secondary app-button--small\" "
        "data-module=\"govuk-button\">Sign out</button></form></div>";
  }
  out += "</div></header>\n";
  if (viewer) {
    out +=
        "<section aria-label=\"Service menu\" class=\"govuk-service-navigation\">"
        "<div class=\"govuk-width-container\"><nav aria-label=\"Menu\" "
        "class=\"govuk-service-navigation__wrapper\"><ul "
        "class=\"govuk-service-navigation__list\">" +
        nav + "</ul></nav></div></section>\n";
  }
  out +=
      "<div class=\"govuk-width-container\">\n<main class=\"govuk-main-wrapper\" id=\"main\">\n" +
      body +
      "\n</main>\n</div>\n<footer class=\"govuk-footer\"><div class=\"govuk-width-container\">"
      "<p class=\"govuk-body-s\">complaintsd: the complaints team's workbench. Times are "
      "UK time; deadlines count working days.</p></div></footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace complaints::web
