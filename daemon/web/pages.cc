#include "daemon/web/pages.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>

#include "daemon/calendar/bank_holidays.h"
#include "daemon/calendar/london_time.h"
#include "daemon/intake/triage.h"
#include "daemon/reports/report_documents.h"
#include "parsers/service_area.h"

namespace complaints::web {
namespace {

const Deadline* NextDeadline(const CaseRecord& c) {
  const Deadline* next = nullptr;
  for (const Deadline& d : c.deadlines) {
    if (!d.open()) continue;
    if (d.kind != deadline_kind::kAcknowledge && d.kind != deadline_kind::kRespond &&
        d.kind != deadline_kind::kPreFormalResolve) {
      continue;
    }
    if (next == nullptr || d.due_at < next->due_at) next = &d;
  }
  return next;
}

std::string Words(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

// The deadline's urgency as a coloured tag with words (colour is never the only signal).
std::string DueTag(const Deadline& d, Instant now, const BusinessHours& hours) {
  // Calendar days in London: a deadline falls at close of business, which ReceiptDay would count
  // as the next working day.
  const auto today = ToLondon(now).day;
  const auto due_day = ToLondon(d.due_at).day;
  const auto next_day = hours.calendar().NextWorkingDay(today);
  std::string tag, words;
  if (d.due_at < now) {
    tag = "govuk-tag--red";
    words = "Breached";
  } else if (due_day <= today) {
    tag = "govuk-tag--orange";
    words = "Due today";
  } else if (due_day <= next_day) {
    tag = "govuk-tag--yellow";
    words = "Due next working day";
  } else {
    tag = "govuk-tag--grey";
    words = "Due " + FormatDay(due_day);
  }
  return "<strong class=\"govuk-tag " + tag + "\">" + Escape(words) + "</strong> <span>" +
         Escape(Words(d.kind)) + " by " + Escape(FormatLondonIso(d.due_at).substr(0, 16)) +
         "</span>";
}

std::string Handler(const CaseRecord& c) {
  const StageRecord* s = c.CurrentStage();
  if (!s) return "";
  if (!s->panel.empty()) {
    std::string out;
    for (const std::string& p : s->panel) out += (out.empty() ? "" : ", ") + p;
    return out;
  }
  return s->handler;
}

std::string FlagTags(const CaseRecord& c) {
  std::string out;
  if (IsInTriage(c)) {
    const std::string alt = TriageAlternative(c);
    out += "<strong class=\"govuk-tag govuk-tag--purple\">Triage: complaint" +
           Escape(alt.empty() ? "?" : " or " + Words(alt) + "?") + "</strong> ";
  } else if (c.needs_review) {
    out += "<strong class=\"govuk-tag govuk-tag--pink\">Needs review</strong> ";
  }
  for (const std::string& f : c.flags) {
    if (f == kTriageFlag || f.rfind(kTriageAlternativeFlag, 0) == 0) continue;
    out += "<strong class=\"govuk-tag govuk-tag--grey\">" + Escape(f) + "</strong> ";
  }
  return out;
}

std::string CaseTable(const std::vector<CaseRow>& rows, Instant now, const BusinessHours& hours,
                      const std::string& caption) {
  if (rows.empty()) return "<p class=\"govuk-body\">" + Escape(caption) + ": none.</p>";
  std::string out =
      "<table class=\"govuk-table\"><caption class=\"govuk-table__caption "
      "govuk-table__caption--m\">" +
      Escape(caption) +
      "</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
      "<th scope=\"col\" class=\"govuk-table__header\">Reference</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">Resident</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">Type and stage</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">Status</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">Handler</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">Next deadline</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">Flags</th></tr></thead>"
      "<tbody class=\"govuk-table__body\">";
  for (const CaseRow& r : rows) {
    const StageRecord* stage = r.c.CurrentStage();
    const Deadline* next = NextDeadline(r.c);
    const std::string handler = Handler(r.c);
    out +=
        "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" "
        "href=\"/cases/" +
        Attr(UrlEncode(r.c.reference)) + "\">" + Escape(r.c.reference) + "</a>";
    if (!r.viewers.empty()) {
      std::string who;
      for (const std::string& v : r.viewers) who += (who.empty() ? "" : ", ") + v;
      out += "<br><span class=\"govuk-body-s\">Open now by " + Escape(who) + "</span>";
    }
    out +=
        "</td><td class=\"govuk-table__cell\">" + Escape(r.resident) +
        "</td><td class=\"govuk-table__cell\">" + Escape(Words(CaseTypeName(r.c.type))) +
        (stage && !stage->name.empty() ? ", " + Escape(stage->name) : "") +
        "</td><td class=\"govuk-table__cell\">" + Escape(Words(r.c.status)) +
        "</td><td class=\"govuk-table__cell\">" +
        (handler.empty() ? "<span class=\"govuk-body-s\">Not assigned</span>" : Escape(handler)) +
        "</td><td class=\"govuk-table__cell\">" + (next ? DueTag(*next, now, hours) : "") +
        "</td><td class=\"govuk-table__cell\">" + FlagTags(r.c) + "</td></tr>";
  }
  return out + "</tbody></table>";
}

std::string Select(const std::string& name, const std::string& label,
                   const std::vector<std::pair<std::string, std::string>>& options,
                   const std::string& chosen, const std::string& id_prefix = "") {
  const std::string id = id_prefix + name;
  std::string out = "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"" +
                    Attr(id) + "\">" + Escape(label) +
                    "</label><select class=\"govuk-select\" id=\"" + Attr(id) + "\" name=\"" +
                    Attr(name) + "\">";
  for (const auto& [value, text] : options) {
    out += "<option value=\"" + Attr(value) + "\"" + (value == chosen ? " selected" : "") + ">" +
           Escape(text) + "</option>";
  }
  return out + "</select></div>";
}

std::string Input(const std::string& name, const std::string& label, const std::string& value = "",
                  const std::string& type = "text", const std::string& hint = "",
                  const std::string& id_prefix = "", bool required = false) {
  const std::string id = id_prefix + name;
  std::string out = "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"" +
                    Attr(id) + "\">" + Escape(label) + "</label>";
  if (!hint.empty()) {
    out += "<div id=\"" + Attr(id) + "-hint\" class=\"govuk-hint\">" + Escape(hint) + "</div>";
  }
  out += "<input class=\"govuk-input\" id=\"" + Attr(id) + "\" name=\"" + Attr(name) +
         "\" type=\"" + Attr(type) + "\" value=\"" + Attr(value) + "\"" +
         (hint.empty() ? "" : " aria-describedby=\"" + Attr(id) + "-hint\"") +
         (required ? " required" : "") + "></div>";
  return out;
}

std::string TextArea(const std::string& name, const std::string& label,
                     const std::string& id_prefix = "", bool required = false) {
  const std::string id = id_prefix + name;
  return "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"" + Attr(id) + "\">" +
         Escape(label) + "</label><textarea class=\"govuk-textarea\" id=\"" + Attr(id) +
         "\" name=\"" + Attr(name) + "\" rows=\"3\"" + (required ? " required" : "") +
         "></textarea></div>";
}

std::string Checkbox(const std::string& name, const std::string& label,
                     const std::string& id_prefix) {
  const std::string id = id_prefix + name;
  return "<div class=\"govuk-form-group\"><div class=\"govuk-checkboxes govuk-checkboxes--small\">"
         "<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"" +
         Attr(id) + "\" name=\"" + Attr(name) +
         "\" type=\"checkbox\" value=\"yes\"><label class=\"govuk-label govuk-checkboxes__label\" "
         "for=\"" +
         Attr(id) + "\">" + Escape(label) + "</label></div></div></div>";
}

const std::vector<std::pair<std::string, std::string>>& TypeOptions() {
  static const std::vector<std::pair<std::string, std::string>> options = {
      {"complaint", "Complaint"},
      {"comment", "Comment"},
      {"compliment", "Compliment"},
      {"service_request", "Service request"},
      {"asb", "Anti-social behaviour report"}};
  return options;
}

std::string ErrorSummary(const std::string& error) {
  if (error.empty()) return "";
  return "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div "
         "role=\"alert\"><h2 class=\"govuk-error-summary__title\">There is a problem</h2><div "
         "class=\"govuk-error-summary__body\"><p class=\"govuk-body\">" +
         Escape(error) + "</p></div></div></div>";
}

std::string Notice(const std::string& notice) {
  if (notice.empty()) return "";
  return "<div class=\"govuk-notification-banner govuk-notification-banner--success\" "
         "role=\"alert\" aria-labelledby=\"notice-title\" "
         "data-module=\"govuk-notification-banner\">"
         "<div class=\"govuk-notification-banner__header\"><h2 class=\"govuk-notification-banner__"
         "title\" id=\"notice-title\">Done</h2></div><div class=\"govuk-notification-banner__"
         "content\"><p class=\"govuk-notification-banner__heading\">" +
         Escape(notice) + "</p></div></div>";
}

std::string Row(const std::string& key, const std::string& value_html) {
  return "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">" +
         Escape(key) + "</dt><dd class=\"govuk-summary-list__value\">" + value_html + "</dd></div>";
}

// One action's form on the case page, folded in a <details>.
std::string ActionForm(const Viewer& viewer, const CaseView& view, const std::string& verb,
                       const std::string& title, const std::string& fields,
                       const std::string& button) {
  const std::string prefix = verb + "-";
  return "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span "
         "class=\"govuk-details__summary-text\">" +
         Escape(title) +
         "</span></summary><div class=\"govuk-details__text\"><form method=\"post\" "
         "action=\"/cases/" +
         Attr(UrlEncode(view.c.reference)) + "/" + Attr(verb) + "\" novalidate>" +
         CsrfField(viewer) + "<input type=\"hidden\" name=\"version\" value=\"" +
         std::to_string(view.c.version) + "\"><input type=\"hidden\" name=\"seen\" value=\"" +
         std::to_string(view.history.size()) + "\">" + fields +
         (fields.find("name=\"at\"") == std::string::npos
              ? Input("at", "When it happened (leave blank for now)", "", "datetime-local", "",
                      prefix)
              : std::string()) +
         "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\" id=\"" +
         Attr(prefix) + "submit\">" + Escape(button) + "</button></form></div></details>";
}

}  // namespace

std::string MessagePage(const Viewer* viewer, const std::string& title, const std::string& text) {
  return Page(title, viewer, "",
              "<h1 class=\"govuk-heading-l\">" + Escape(title) + "</h1><p class=\"govuk-body\">" +
                  Escape(text) + "</p><p class=\"govuk-body\"><a class=\"govuk-link\" " +
                  "href=\"/\">Go to the home page</a></p>");
}

std::string LoginPage(const std::string& error, const std::string& form_token,
                      const std::string& username) {
  std::string body = ErrorSummary(error) +
                     "<h1 class=\"govuk-heading-l\">Sign in</h1>"
                     "<form method=\"post\" action=\"/login\" novalidate>"
                     "<input type=\"hidden\" name=\"csrf\" value=\"" +
                     Attr(form_token) + "\">" +
                     Input("username", "Username", username, "text", "", "", true) +
                     "<div class=\"govuk-form-group\"><label class=\"govuk-label\" "
                     "for=\"password\">Password</label><input class=\"govuk-input govuk-input--"
                     "width-20\" id=\"password\" name=\"password\" type=\"password\" "
                     "autocomplete=\"current-password\" required></div>"
                     "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\" "
                     "id=\"sign-in\">Sign in</button></form>";
  return Page("Sign in", nullptr, "", body);
}

std::string HomePage(const Viewer& viewer, const HomeView& v, Instant now,
                     const BusinessHours& hours) {
  auto stat = [](const std::string& href, size_t n, const std::string& label) {
    return "<a class=\"govuk-link govuk-link--no-underline\" href=\"" + Attr(href) +
           "\"><span class=\"app-stat\">" + std::to_string(n) + "</span>" + Escape(label) + "</a>";
  };
  std::string body = "<h1 class=\"govuk-heading-l\">Good day, " + Escape(viewer.name) +
                     "</h1><div class=\"app-stats govuk-!-margin-bottom-6\">" +
                     stat("#breached", v.breached.size() + v.more_breached, "breached") +
                     stat("#due-today", v.due_today.size() + v.more_today, "due today") +
                     stat("#due-next", v.due_next.size() + v.more_next, "due next working day") +
                     stat("/triage", v.triage.size(), "to triage") +
                     stat("#flagged", v.flagged.size(), "flagged for review") +
                     stat("#failed-mail", v.failed_mail.size(), "mail not sent") + "</div>";
  if (v.quarantined || v.held_spam) {
    body += "<div class=\"govuk-inset-text\">" + std::to_string(v.quarantined) +
            " message(s) in quarantine and " + std::to_string(v.held_spam) +
            " held as suspected spam: see <code>complaintsctl messages</code>.</div>";
  }
  auto more = [](long n) {
    return n == 0 ? std::string()
                  : "<p class=\"govuk-body\">And " + std::to_string(n) +
                        " more: <a class=\"govuk-link\" href=\"/cases\">the queue</a> lists them "
                        "all by due date.</p>";
  };
  body += "<div id=\"breached\">" + CaseTable(v.breached, now, hours, "Breached") +
          more(v.more_breached) + "</div>";
  body += "<div id=\"due-today\">" + CaseTable(v.due_today, now, hours, "Due today") +
          more(v.more_today) + "</div>";
  body += "<div id=\"due-next\">" +
          CaseTable(v.due_next, now, hours, "Due on the next working day") + more(v.more_next) +
          "</div>";
  body += "<div id=\"triage\">" + CaseTable(v.triage, now, hours, "Triage") + "</div>";
  body +=
      "<div id=\"flagged\">" + CaseTable(v.flagged, now, hours, "Flagged for review") + "</div>";
  body += "<div id=\"failed-mail\"><h2 class=\"govuk-heading-m\">Mail that could not be sent</h2>";
  if (v.failed_mail.empty()) {
    body += "<p class=\"govuk-body\">None.</p>";
  } else {
    body +=
        "<table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr "
        "class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Case</th><th "
        "scope=\"col\" class=\"govuk-table__header\">What</th><th scope=\"col\" "
        "class=\"govuk-table__header\">To</th><th scope=\"col\" "
        "class=\"govuk-table__header\">Why it failed</th></tr></thead><tbody "
        "class=\"govuk-table__body\">";
    for (const FailedMail& f : v.failed_mail) {
      std::string to;
      for (const std::string& r : f.item.recipients) to += (to.empty() ? "" : ", ") + r;
      body += "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">" +
              (f.reference.empty()
                   ? std::string("(none)")
                   : "<a class=\"govuk-link\" href=\"/cases/" + Attr(UrlEncode(f.reference)) +
                         "\">" + Escape(f.reference) + "</a>") +
              "</td><td class=\"govuk-table__cell\">" + Escape(Words(f.item.kind)) +
              "</td><td class=\"govuk-table__cell\">" + Escape(to) +
              "</td><td class=\"govuk-table__cell\">" + Escape(f.item.last_error) + "</td></tr>";
    }
    body += "</tbody></table>";
  }
  body += "</div>";
  return Page("Home", &viewer, "home", body);
}

std::string QueuePage(const Viewer& viewer, const QueueFilter& f, const std::vector<CaseRow>& rows,
                      long total, int page_size, Instant now, const BusinessHours& hours) {
  std::vector<std::pair<std::string, std::string>> types = {{"", "Any type"}};
  for (const auto& t : TypeOptions()) types.push_back(t);
  const std::vector<std::pair<std::string, std::string>> statuses = {
      {"", "Open (any)"},
      {"open", "Stage running"},
      {"pre_formal", "Pre-formal"},
      {"responded", "Responded"},
      {"escalation_review", "Late escalation to decide"},
      {"resolved", "Resolved"},
      {"refused", "Refused"},
      {"closed", "Closed"}};
  const std::vector<std::pair<std::string, std::string>> stages = {
      {"", "Any stage"}, {"0", "Pre-formal or simple"}, {"1", "Stage 1"}, {"2", "Stage 2"}};
  const std::vector<std::pair<std::string, std::string>> flags = {
      {"", "Any"},
      {"triage", "Triage"},
      {"spam-evidence", "Spam evidence"},
      {"no-email", "No email address"}};
  std::string body =
      "<h1 class=\"govuk-heading-l\">Queue</h1><form method=\"get\" action=\"/cases\" "
      "class=\"govuk-!-margin-bottom-6\"><div class=\"app-stats\">" +
      Select("type", "Type", types, f.type) + Select("stage", "Stage", stages, f.stage) +
      Select("status", "Status", statuses, f.status) +
      Input("handler", "Handler", f.handler, "text", "", "", false) +
      Select("flag", "Flag", flags, f.flag) +
      Input("q", "Reference, name, email or postcode", f.q) +
      "</div><button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
      "data-module=\"govuk-button\">Filter</button> <a class=\"govuk-link\" "
      "href=\"/cases?handler=" +
      Attr(UrlEncode(viewer.username)) + "\">My cases</a></form>";
  body += "<p class=\"govuk-body\">" + std::to_string(total) +
          " case(s), soonest deadline first.</p>" + CaseTable(rows, now, hours, "Cases");
  const int pages = static_cast<int>((total + page_size - 1) / page_size);
  if (pages > 1) {
    auto link = [&](int page, const std::string& text) {
      return "<a class=\"govuk-link\" href=\"/cases?type=" + Attr(UrlEncode(f.type)) +
             "&amp;stage=" + Attr(UrlEncode(f.stage)) + "&amp;status=" + Attr(UrlEncode(f.status)) +
             "&amp;handler=" + Attr(UrlEncode(f.handler)) + "&amp;flag=" + Attr(UrlEncode(f.flag)) +
             "&amp;q=" + Attr(UrlEncode(f.q)) + "&amp;page=" + std::to_string(page) + "\">" + text +
             "</a>";
    };
    body += "<nav class=\"govuk-body\" aria-label=\"Pages\">Page " + std::to_string(f.page) +
            " of " + std::to_string(pages) + " ";
    if (f.page > 1) body += link(f.page - 1, "Previous page") + " ";
    if (f.page < pages) body += link(f.page + 1, "Next page");
    body += "</nav>";
  }
  return Page("Queue", &viewer, "cases", body);
}

std::string TriagePage(const Viewer& viewer, const std::vector<CaseRow>& rows, Instant now,
                       const BusinessHours& hours) {
  std::string body =
      "<h1 class=\"govuk-heading-l\">Triage</h1><p class=\"govuk-body\">Messages the classifier "
      "could not settle between a complaint and something else. The resident has had a neutral "
      "receipt; the complaint's acknowledgement deadline runs from receipt. Open each, read it, "
      "and confirm or correct its label: the right letter then goes.</p>" +
      CaseTable(rows, now, hours, "Waiting for a person's decision");
  return Page("Triage", &viewer, "triage", body);
}

std::string CasePage(const Viewer& viewer, const CaseView& v, const Policy& policy, Instant now,
                     const BusinessHours& hours) {
  const CaseRecord& c = v.c;
  std::string body = ErrorSummary(v.error) + Notice(v.notice);
  body += "<span class=\"govuk-caption-l\">" + Escape(Words(CaseTypeName(c.type))) + " by " +
          Escape(ChannelName(c.channel)) + "</span><h1 class=\"govuk-heading-l\">" +
          Escape(c.reference) + "</h1>";
  if (!v.viewers.empty()) {
    std::string who;
    for (const std::string& n : v.viewers) who += (who.empty() ? "" : ", ") + n;
    body += "<p class=\"app-presence govuk-body\" id=\"presence\">Also open now by " + Escape(who) +
            ". If they act first, your action will be refused and you will see what changed.</p>";
  }
  body += "<p class=\"govuk-body\">" + FlagTags(c) + "</p>";
  if (v.hold) {
    body +=
        "<div class=\"govuk-warning-text\" id=\"legal-hold\"><span "
        "class=\"govuk-warning-text__icon\" "
        "aria-hidden=\"true\">!</span><strong class=\"govuk-warning-text__text\"><span "
        "class=\"govuk-visually-hidden\">Warning</span>Legal hold since " +
        Escape(FormatLondonIso(v.hold->at).substr(0, 10)) + " (" + Escape(v.hold->actor) +
        "): " + Escape(v.hold->reason) +
        ". This case is kept past the retention schedule, and its people cannot be erased or "
        "corrected, until the hold is lifted (complaintsctl cases unhold).</strong></div>";
  }
  const StageRecord* stage = c.CurrentStage();
  std::string resident = Escape(v.resident.name.empty() ? "(no name)" : v.resident.name);
  for (const std::string& e : v.resident.emails) resident += "<br>" + Escape(e);
  if (!v.resident.phone.empty()) resident += "<br>" + Escape(v.resident.phone);
  if (!v.resident.address.empty()) resident += "<br>" + Escape(v.resident.address);
  body +=
      "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">"
      "<dl class=\"govuk-summary-list\">" +
      Row("Resident", resident);
  if (v.representative) {
    std::string rep = Escape(v.representative->name);
    for (const std::string& e : v.representative->emails) rep += "<br>" + Escape(e);
    body += Row("Representative", rep);
  }
  if (!v.resident.vulnerabilities.empty()) {
    body += Row("Vulnerabilities", Escape(v.resident.vulnerabilities));
  }
  if (!v.resident.adjustments.empty()) {
    body += Row("Reasonable adjustments", Escape(v.resident.adjustments));
  }
  if (!v.resident.restrictions.empty()) {
    body += Row("Contact restrictions", Escape(v.resident.restrictions));
  }
  body += Row("Status", Escape(Words(c.status)) +
                            (stage ? ", " + Escape(stage->name.empty() ? "stage" : stage->name)
                                   : std::string()));
  body += Row("Handler", Escape(Handler(c).empty() ? "Not assigned" : Handler(c)));
  body += Row("Received", Escape(FormatLondonIso(c.received_at)));
  if (!c.summary.empty()) body += Row("Summary", Escape(c.summary));
  if (!c.definition.empty()) body += Row("Complaint definition", Escape(c.definition));
  if (!c.outcome_sought.empty()) body += Row("Outcome sought", Escape(c.outcome_sought));
  if (!c.refusal_reason.empty()) body += Row("Refused because", Escape(c.refusal_reason));
  if (!c.service_area.empty()) {
    std::string area = Escape(ServiceAreaTitle(c.service_area));
    if (!c.service_area_by.empty()) {
      area += " (confirmed by " + Escape(c.service_area_by) + ")";
    } else if (c.service_area_confidence) {
      area += " <strong class=\"govuk-tag govuk-tag--yellow\">suggested, " +
              std::to_string(static_cast<int>(*c.service_area_confidence * 100 + 0.5)) +
              "% sure: confirm it</strong>";
    }
    body += Row("Service area", area);
  }
  if (c.ombudsman_at) {
    body += Row("Housing Ombudsman",
                "since " + Escape(FormatLondonIso(*c.ombudsman_at)) +
                    (c.ombudsman_outcome.empty()
                         ? std::string(", no determination yet")
                         : ", determination: " + Escape(OutcomeTitle(c.ombudsman_outcome))));
  }
  for (const LearningAction& l : c.learning) {
    body += Row("Learning " + std::to_string(l.id),
                Escape(l.what) + "<br>Owner: " + Escape(l.owner) +
                    (l.due_on ? ", due " + Escape(FormatDay(*l.due_on)) : std::string()) +
                    (l.done_at ? ", done " + Escape(FormatLondonIso(*l.done_at))
                               : std::string(", outstanding")));
  }
  body += "</dl>";
  // Deadlines.
  body +=
      "<table class=\"govuk-table\"><caption class=\"govuk-table__caption "
      "govuk-table__caption--m\">"
      "Deadlines</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
      "<th scope=\"col\" class=\"govuk-table__header\">Stage</th><th scope=\"col\" "
      "class=\"govuk-table__header\">What</th><th scope=\"col\" class=\"govuk-table__header\">Due"
      "</th><th scope=\"col\" class=\"govuk-table__header\">State</th></tr></thead><tbody "
      "class=\"govuk-table__body\">";
  for (const Deadline& d : c.deadlines) {
    std::string state;
    if (d.met_at) {
      state = "Met " + Escape(FormatLondonIso(*d.met_at).substr(0, 16));
    } else if (d.superseded_at) {
      state = "Replaced " + Escape(FormatLondonIso(*d.superseded_at).substr(0, 16));
    } else {
      state = DueTag(d, now, hours);
    }
    body += "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">" +
            std::to_string(d.stage) + "</td><td class=\"govuk-table__cell\">" +
            Escape(Words(d.kind)) + "</td><td class=\"govuk-table__cell\">" +
            Escape(FormatLondonIso(d.due_at).substr(0, 16)) +
            "</td><td class=\"govuk-table__cell\">" + state + "</td></tr>";
  }
  body += "</tbody></table>";
  if (!c.actions.empty()) {
    body += "<h2 class=\"govuk-heading-m\">Actions promised</h2><ul class=\"govuk-list\">";
    for (const ActionRecord& a : c.actions) {
      body += "<li>" + std::to_string(a.id) + ". " + Escape(a.description) +
              (a.due_on ? " (by " + Escape(FormatDay(*a.due_on)) + ")" : "") +
              (a.done_at ? " - done" : " - outstanding") + "</li>";
    }
    body += "</ul>";
  }
  if (!v.documents.empty()) {
    body +=
        "<h2 class=\"govuk-heading-m\">Scanned letters and documents</h2><ul class=\"govuk-list\">";
    for (const CaseDocument& d : v.documents) {
      body += "<li><a class=\"govuk-link\" href=\"/cases/" + Attr(UrlEncode(c.reference)) +
              "/documents/" + std::to_string(d.id) + "\">" +
              Escape(d.filename.empty() ? "document" : d.filename) + "</a> (" +
              Escape(d.content_type) + ")";
      if (!d.text.empty()) {
        body +=
            "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span "
            "class=\"govuk-details__summary-text\">Text read from it (" +
            Escape(d.method) + ")</span></summary><div class=\"app-message\">" + Escape(d.text) +
            "</div></details>";
      }
      body += "</li>";
    }
    body += "</ul>";
  }
  // Timeline: history and messages by time.
  struct Item {
    Instant at;
    int order;
    std::string html;
  };
  std::vector<Item> items;
  int order = 0;
  for (const HistoryEntry& h : v.history) {
    items.push_back({h.at, order++,
                     "<span class=\"app-timeline__when\">" + Escape(FormatLondonIso(h.at)) +
                         "</span><br><strong>" + Escape(h.actor) +
                         "</strong>: " + Escape(Words(h.action)) +
                         (h.detail.empty() ? "" : ": " + Escape(h.detail))});
  }
  for (const MessageView& m : v.messages) {
    std::string html =
        "<span class=\"app-timeline__when\">" + Escape(FormatLondonIso(m.at)) +
        "</span><br><strong>" +
        (m.incoming ? "Message in"
                    : "Message out (" + Escape(m.kind) + ", " + Escape(m.state) + ")") +
        "</strong> from " + Escape(m.from) + " to " + Escape(m.to) +
        "<br>Subject: " + Escape(m.subject);
    if (!m.problem.empty()) {
      html += "<p class=\"govuk-body\">" + Escape(m.problem) + "</p>";
    } else {
      html += "<div class=\"app-message\">" + Escape(m.text) + "</div>";
      if (m.truncated) {
        html += "<p class=\"govuk-body-s\">Shortened here; the original has it all.</p>";
      }
    }
    if (m.incoming) {
      for (size_t i = 0; i < m.attachments.size(); ++i) {
        html += "<a class=\"govuk-link\" href=\"/cases/" + Attr(UrlEncode(c.reference)) +
                "/messages/" + std::to_string(m.id) + "/attachments/" + std::to_string(i) + "\">" +
                Escape(m.attachments[i].empty() ? "attachment" : m.attachments[i]) + "</a><br>";
      }
      html += "<a class=\"govuk-link\" href=\"/cases/" + Attr(UrlEncode(c.reference)) +
              "/messages/" + std::to_string(m.id) + "/original\">Original message (.eml)</a>";
    }
    items.push_back({m.at, order++, html});
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.at < b.at; });
  body += "<h2 class=\"govuk-heading-m\">Timeline</h2><ol class=\"app-timeline\">";
  for (const Item& i : items) body += "<li>" + i.html + "</li>";
  body +=
      "</ol></div><div class=\"govuk-grid-column-one-third app-actions\">"
      "<h2 class=\"govuk-heading-m\">Actions</h2>";
  // The actions, as complaintsctl has them.
  if (IsInTriage(c)) {
    std::vector<std::pair<std::string, std::string>> labels = TypeOptions();
    body += ActionForm(viewer, v, "relabel", "Confirm or correct the label",
                       Select("label", "It is a", labels, "complaint", "relabel-") +
                           Input("reason", "Why", "", "text", "", "relabel-"),
                       "Settle the label");
  }
  body += ActionForm(viewer, v, "ack", "Acknowledge",
                     Input("at", "When (leave blank for now)", "", "datetime-local", "", "ack-"),
                     "Record the acknowledgement");
  body += ActionForm(viewer, v, "define", "Define the complaint",
                     TextArea("definition", "What the complaint is about", "define-") +
                         TextArea("outcome-sought", "Outcome the resident seeks", "define-"),
                     "Save the definition");
  body += ActionForm(viewer, v, "assign", "Assign",
                     Input("handler", "Handler (username)", viewer.username, "text",
                           "Managers may reassign a case someone else handles", "assign-"),
                     "Assign");
  body += ActionForm(viewer, v, "extend", "Extend the response deadline",
                     Input("working-days", "Working days", "", "number", "", "extend-") +
                         TextArea("reason", "Reason (the resident is told)", "extend-"),
                     "Extend");
  body += ActionForm(
      viewer, v, "respond", "Respond with the outcome",
      Select(
          "outcome", "Outcome",
          {{"upheld", "Upheld"}, {"partly_upheld", "Upheld in part"}, {"not_upheld", "Not upheld"}},
          "upheld", "respond-") +
          Checkbox("apology", "An apology is given", "respond-") +
          Input("financial", "Financial remedy", "", "text",
                "Amount and what for, such as 150.00:distress", "respond-") +
          Input("action", "Action promised", "", "text",
                "What will be done, optionally @YYYY-MM-DD for when", "respond-") +
          TextArea("summary", "Summary of the response", "respond-"),
      "Record the response");
  body += ActionForm(viewer, v, "escalate", "Escalate to the next stage",
                     Checkbox("accept-late", "Accept a late request", "escalate-"), "Escalate");
  std::vector<std::pair<std::string, std::string>> reasons;
  for (const RefusalReason& r : policy.refusal_reasons) reasons.push_back({r.code, r.text});
  body += ActionForm(
      viewer, v, "refuse", "Refuse",
      Select("reason", "Reason", reasons, "", "refuse-") + TextArea("detail", "Detail", "refuse-"),
      "Refuse the complaint");
  body += ActionForm(viewer, v, "resolve", "Resolve",
                     TextArea("summary", "How it was resolved", "resolve-"), "Resolve");
  body += ActionForm(viewer, v, "close", "Close", TextArea("note", "Note", "close-"), "Close");
  body +=
      ActionForm(viewer, v, "reopen", "Reopen", TextArea("reason", "Reason", "reopen-"), "Reopen");
  body += ActionForm(viewer, v, "note", "Add a note", TextArea("text", "Note", "note-"),
                     "Add the note");
  body += ActionForm(viewer, v, "withdraw", "The resident withdrew it",
                     TextArea("reason", "What the resident said", "withdraw-"),
                     "Record the withdrawal");
  if (!IsInTriage(c)) {
    body += ActionForm(
        viewer, v, "relabel", "Correct the label",
        Select("label", "It is a", TypeOptions(), std::string(CaseTypeName(c.type)), "relabel-") +
            Input("reason", "Why", "", "text", "", "relabel-"),
        "Relabel");
  }
  std::vector<std::pair<std::string, std::string>> areas;
  for (const std::string& a : ServiceAreas()) areas.push_back({a, ServiceAreaTitle(a)});
  body += ActionForm(viewer, v, "area", "Confirm or change the service area",
                     Select("area", "Service area", areas,
                            c.service_area.empty() ? "other" : c.service_area, "area-"),
                     "Confirm the service area");
  body +=
      ActionForm(viewer, v, "learning", "Add a learning action",
                 TextArea("what", "What will change because of this complaint", "learning-") +
                     Input("owner", "Owner", "", "text", "Who makes sure it happens", "learning-") +
                     Input("due", "Due", "", "date", "", "learning-"),
                 "Add the learning action");
  for (const LearningAction& l : c.learning) {
    if (l.done_at) continue;
    body += ActionForm(viewer, v, "learning-done", "Learning " + std::to_string(l.id) + " is done",
                       "<input type=\"hidden\" name=\"id\" value=\"" + std::to_string(l.id) + "\">",
                       "Mark learning " + std::to_string(l.id) + " done");
  }
  std::vector<std::pair<std::string, std::string>> determinations = {
      {"", "Referred: no determination yet"}};
  for (const std::string& o : OmbudsmanOutcomes()) determinations.push_back({o, OutcomeTitle(o)});
  body += ActionForm(
      viewer, v, "ombudsman", "The Housing Ombudsman",
      Select("outcome", "What we know", determinations, c.ombudsman_outcome, "ombudsman-"),
      "Record it");
  for (const ActionRecord& a : c.actions) {
    if (a.done_at) continue;
    body += ActionForm(viewer, v, "action-done", "Mark action " + std::to_string(a.id) + " done",
                       "<input type=\"hidden\" name=\"id\" value=\"" + std::to_string(a.id) + "\">",
                       "Mark done");
  }
  body += "</div></div>";
  return Page(c.reference, &viewer, "cases", body);
}

std::string ReportsPage(const Viewer& viewer, const TsmReport& r, bool homes_known) {
  auto fixed = [](double v) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << v;
    return text.str();
  };
  auto pct = [&](std::optional<double> v) { return v ? fixed(*v) + "%" : std::string("none yet"); };
  auto row = [](const std::string& measure, const std::string& what, const std::string& value,
                const std::string& behind) {
    return "<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\">" +
           Escape(measure) + "</th><td class=\"govuk-table__cell\">" + Escape(what) +
           "</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">" + Escape(value) +
           "</td><td class=\"govuk-table__cell\">" + Escape(behind) + "</td></tr>";
  };
  const std::string span = std::to_string(r.year) + "-" + (r.year % 100 + 1 < 10 ? "0" : "") +
                           std::to_string((r.year + 1) % 100);
  std::string body = "<h1 class=\"govuk-heading-l\">Reports</h1>";
  body += "<form method=\"get\" action=\"/reports\" class=\"app-inline-form\">" +
          Input("year", "Financial year starting 1 April of", std::to_string(r.year), "number") +
          "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
          "id=\"year-submit\">Show</button></form>";
  body +=
      "<table class=\"govuk-table\" id=\"tsm\"><caption class=\"govuk-table__caption "
      "govuk-table__caption--m\">Tenant Satisfaction Measures, complaints, " +
      Escape(span) +
      "</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th "
      "scope=\"col\" class=\"govuk-table__header\">Measure</th><th scope=\"col\" "
      "class=\"govuk-table__header\">What</th><th scope=\"col\" class=\"govuk-table__header "
      "govuk-table__header--numeric\">Figure</th><th scope=\"col\" "
      "class=\"govuk-table__header\">Counted</th></tr></thead><tbody "
      "class=\"govuk-table__body\">";
  body += row("CH01(1)", "Stage one complaints received per 1,000 homes",
              homes_known ? fixed(r.ch01_1) : "homes not set",
              std::to_string(r.stage1_received) + " received");
  body += row("CH01(2)", "Stage two complaints received per 1,000 homes",
              homes_known ? fixed(r.ch01_2) : "homes not set",
              std::to_string(r.stage2_received) + " received");
  body += row("CH02(1)", "Stage one complaints responded to within the Code's timescales",
              pct(r.ch02_1),
              std::to_string(r.stage1_on_time) + " of " + std::to_string(r.stage1_responded));
  body += row("CH02(2)", "Stage two complaints responded to within the Code's timescales",
              pct(r.ch02_2),
              std::to_string(r.stage2_on_time) + " of " + std::to_string(r.stage2_responded));
  body += "</tbody></table><p class=\"govuk-body\">" +
          (homes_known ? "For " + std::to_string(r.homes) + " homes (landlord.homes on 31 March)."
                       : std::string("Set landlord.homes in the configuration for the rates per "
                                     "1,000 homes.")) +
          " Every case counted, and why: <code>complaintsctl report tsm --year " +
          std::to_string(r.year) + " --explain</code>.</p>";
  const std::string annual = "/reports/annual?year=" + std::to_string(r.year);
  body += "<h2 class=\"govuk-heading-m\">Annual complaints report " + Escape(span) +
          "</h2><p class=\"govuk-body\">The Complaint Handling Code's annual complaints "
          "performance and service improvement report, with the self-assessment, for the "
          "governing body and the Housing Ombudsman.</p>";
  if (homes_known) {
    body += "<ul class=\"govuk-list\" id=\"annual-links\"><li><a class=\"govuk-link\" href=\"" +
            Attr(annual) + "&amp;format=html\" id=\"annual-html\">Read the report " + Escape(span) +
            "</a></li><li><a class=\"govuk-link\" href=\"" + Attr(annual) +
            "&amp;format=pdf\">Download it as PDF</a> (for the board pack)</li><li><a "
            "class=\"govuk-link\" href=\"" +
            Attr(annual) +
            "&amp;format=csv\">Download every figure as CSV</a> (for a spreadsheet)</li></ul>";
  } else {
    body += "<p class=\"govuk-body\">Set landlord.homes in the configuration to make it.</p>";
  }
  body +=
      "<h2 class=\"govuk-heading-m\">Monthly view</h2><p class=\"govuk-body\"><a "
      "class=\"govuk-link\" href=\"/reports/monthly\" id=\"monthly-link\">Last month's "
      "complaints</a>: received, open, breached, on time, by theme and handler.</p>";
  return Page("Reports", &viewer, "reports", body);
}

std::string MonthlyPage(const Viewer& viewer, const MonthlyReport& r) {
  auto pct = [](long part, long whole) {
    return whole == 0 ? std::string("none answered")
                      : std::to_string((part * 1000 / whole + 5) / 10) + "%";
  };
  const std::string title = "Complaints in " + MonthName(r.year, r.month);
  const std::string month_value =
      std::to_string(r.year) + (r.month < 10 ? "-0" : "-") + std::to_string(r.month);
  std::string body = "<h1 class=\"govuk-heading-l\">" + Escape(title) + "</h1>";
  body += "<form method=\"get\" action=\"/reports/monthly\" class=\"app-inline-form\">" +
          Input("month", "Month", month_value, "month") +
          "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" "
          "id=\"month-submit\">Show</button></form>";
  body += "<dl class=\"govuk-summary-list\" id=\"monthly-figures\">" +
          Row("Received", std::to_string(r.stage1_received) + " at stage one, " +
                              std::to_string(r.stage2_received) + " at stage two (" +
                              std::to_string(r.received_all) + " new cases of all kinds)") +
          Row("Open at the month's end", std::to_string(r.open_at_end)) +
          Row("Responses sent", std::to_string(r.responded) + ", " + std::to_string(r.on_time) +
                                    " on time (" + pct(r.on_time, r.responded) + ")") +
          Row("Deadlines missed", std::to_string(r.breached.size())) +
          Row("Oldest open complaint",
              r.oldest_reference
                  ? "<a class=\"govuk-link\" href=\"/cases/" +
                        Attr(UrlEncode(*r.oldest_reference)) + "\">" + Escape(*r.oldest_reference) +
                        "</a>, " + std::to_string(r.oldest_working_days) + " working days old"
                  : std::string("none")) +
          "</dl>";
  auto table = [&](const std::string& id, const std::string& caption,
                   const std::vector<MonthlyLine>& lines, bool themes) {
    std::string t = "<table class=\"govuk-table\" id=\"" + Attr(id) +
                    "\"><caption class=\"govuk-table__caption govuk-table__caption--m\">" +
                    Escape(caption) +
                    "</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">";
    for (const char* h : {"", "Received", "Open", "Responded", "On time", "Missed"}) {
      t += std::string("<th scope=\"col\" class=\"govuk-table__header") +
           (h[0] ? " govuk-table__header--numeric" : "") + "\">" +
           (h[0] ? h : (themes ? "Service area" : "Handler")) + "</th>";
    }
    t += "</tr></thead><tbody class=\"govuk-table__body\">";
    for (const MonthlyLine& l : lines) {
      t += "<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\">" +
           Escape(themes ? ServiceAreaTitle(l.name) : l.name) + "</th>";
      for (const std::string& v :
           {std::to_string(l.received), std::to_string(l.open), std::to_string(l.responded),
            pct(l.on_time, l.responded), std::to_string(l.breached)}) {
        t += "<td class=\"govuk-table__cell govuk-table__cell--numeric\">" + Escape(v) + "</td>";
      }
      t += "</tr>";
    }
    if (lines.empty()) {
      t += "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\" colspan=\"6\">None "
           "this month</td></tr>";
    }
    return t + "</tbody></table>";
  };
  body += table("by-theme", "By service area", r.by_theme, true);
  body += table("by-handler", "By handler", r.by_handler, false);
  body +=
      "<h2 class=\"govuk-heading-m\">Deadlines missed in the month</h2><ul "
      "class=\"govuk-list govuk-list--bullet\" id=\"breaches\">";
  for (const std::string& b : r.breached) body += "<li>" + Escape(b) + "</li>";
  if (r.breached.empty()) body += "<li>None</li>";
  body += "</ul>";
  return Page(title, &viewer, "reports", body);
}

std::string NewCasePage(const Viewer& viewer, const std::string& error) {
  const std::vector<std::pair<std::string, std::string>> channels = {{"phone", "Phone"},
                                                                     {"visit", "Visit"},
                                                                     {"letter", "Letter"},
                                                                     {"web", "Web form"},
                                                                     {"email", "Email"}};
  std::string body =
      ErrorSummary(error) +
      "<h1 class=\"govuk-heading-l\">Log a case</h1><p class=\"govuk-body\">For a complaint or "
      "other case that came by phone, a visit, a letter or the web form. Its deadlines run from "
      "when it was received.</p><form method=\"post\" action=\"/new\" novalidate>" +
      CsrfField(viewer) + Select("type", "Type", TypeOptions(), "complaint") +
      Select("channel", "How it came", channels, "phone") +
      Input("received", "Received (leave blank for now)", "", "datetime-local") +
      Input("name", "Resident's name") + Input("email", "Email", "", "email") +
      Input("phone", "Phone", "", "tel") + Input("address", "Address and postcode") +
      Input("tenancy", "Tenancy reference") +
      Input("vulnerabilities", "Vulnerabilities", "", "text",
            "Anything the resident told us that affects how we handle it") +
      Input("adjustments", "Reasonable adjustments") + TextArea("summary", "What it is about") +
      Input("representative-name", "Representative's name (if someone acts for them)") +
      Input("representative-email", "Representative's email", "", "email") +
      "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\" "
      "id=\"log-case\">Log the case</button></form>";
  return Page("Log a case", &viewer, "new", body);
}

std::string SearchPage(const Viewer& viewer, const std::string& q, const std::vector<CaseRow>& rows,
                       Instant now, const BusinessHours& hours) {
  std::string body =
      "<h1 class=\"govuk-heading-l\">Search</h1><form method=\"get\" action=\"/search\">" +
      Input("q", "Reference, name, email or postcode", q, "search") +
      "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">Search"
      "</button></form>";
  if (!q.empty()) body += CaseTable(rows, now, hours, "Cases found (closed ones too)");
  return Page("Search", &viewer, "search", body);
}

std::string StaffPage(const Viewer& viewer, const std::vector<StaffAccount>& accounts,
                      const std::string& notice, const std::string& error) {
  std::string body =
      ErrorSummary(error) + Notice(notice) +
      "<h1 class=\"govuk-heading-l\">Staff accounts</h1><table class=\"govuk-table\">"
      "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
      "<th scope=\"col\" class=\"govuk-table__header\">Username</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">Name</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">Role</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">State</th>"
      "<th scope=\"col\" class=\"govuk-table__header\">Change</th></tr></thead>"
      "<tbody class=\"govuk-table__body\">";
  for (const StaffAccount& a : accounts) {
    body += "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">" + Escape(a.username) +
            "</td><td class=\"govuk-table__cell\">" + Escape(a.name) +
            "</td><td class=\"govuk-table__cell\">" + Escape(StaffRoleName(a.role)) +
            "</td><td class=\"govuk-table__cell\">" +
            (a.disabled       ? "Disabled"
             : a.locked_until ? "Locked for a while"
                              : "Active") +
            "</td><td class=\"govuk-table__cell\"><form method=\"post\" action=\"/staff/" +
            (a.disabled ? "enable" : "disable") + "\" class=\"app-inline\">" + CsrfField(viewer) +
            "<input type=\"hidden\" name=\"username\" value=\"" + Attr(a.username) +
            "\"><button type=\"submit\" class=\"govuk-button govuk-button--secondary "
            "app-button--small\" data-module=\"govuk-button\">" +
            (a.disabled ? "Enable " : "Disable ") + Escape(a.username) +
            "</button></form></td></tr>";
  }
  body +=
      "</tbody></table><h2 class=\"govuk-heading-m\">Add an account</h2><form method=\"post\" "
      "action=\"/staff/add\" novalidate>" +
      CsrfField(viewer) + Input("username", "Username", "", "text", "", "new-") +
      Input("name", "Full name", "", "text", "", "new-") +
      Select("role", "Role",
             {{"officer", "Complaints officer"}, {"manager", "Manager"}, {"admin", "Admin"}},
             "officer", "new-") +
      Input("password", "Password (12 characters or more)", "", "password", "", "new-") +
      "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">Add the "
      "account</button></form>";
  return Page("Staff", &viewer, "staff", body);
}

}  // namespace complaints::web
