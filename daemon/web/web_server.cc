#include "daemon/web/web_server.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "daemon/base/command_line.h"
#include "daemon/base/digest.h"
#include "daemon/calendar/london_time.h"
#include "daemon/cases/case_engine.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/privacy/sqlite_privacy_store.h"
#include "daemon/reports/annual_report.h"
#include "daemon/reports/monthly_report.h"
#include "daemon/reports/report_documents.h"
#include "daemon/reports/report_pdf.h"
#include "daemon/staff/case_json.h"
#include "daemon/staff/staff_actions.h"
#include "daemon/web/html.h"
#include "daemon/web/pages.h"
#include "parsers/mail_parser.h"

namespace complaints {

using web::Viewer;

namespace {

constexpr const char* kSessionCookie = "complaints_session";
constexpr const char* kLoginCookie = "complaints_login";
constexpr size_t kMaxBody = 1 << 20;          // a form is never this big
constexpr size_t kMaxShownText = 200 * 1024;  // of one message on the case page
constexpr int kPageSize = 50;
constexpr std::chrono::minutes kPresenceFor{10};

// What a handler answers; sent with the security headers by Send().
struct Reply {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool cacheable = false;  // static assets only
  // Replaces the workbench's Content-Security-Policy (the annual report's own inline style).
  std::string csp;
};

Reply Html(std::string body, int status = 200) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Reply Redirect(const std::string& to) {
  Reply r;
  r.status = 303;
  r.headers.push_back({"Location", to});
  r.body = "See " + to + "\n";
  r.content_type = "text/plain; charset=utf-8";
  return r;
}

Reply Text(int status, std::string body) {
  Reply r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Reply Json(int status, const nlohmann::json& value) {
  Reply r;
  r.status = status;
  r.content_type = "application/json";
  r.body = value.dump() + "\n";
  return r;
}

// A file name safe inside Content-Disposition's quotes.
std::string SafeFilename(const std::string& name) {
  std::string out;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    out += (std::isalnum(c) || ch == '.' || ch == '-' || ch == '_') ? ch : '_';
  }
  if (out.empty() || out[0] == '.') out = "download" + out;
  return out.substr(0, 100);
}

Reply Download(const std::string& filename, std::string bytes) {
  Reply r;
  r.content_type = "application/octet-stream";
  r.body = std::move(bytes);
  r.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"" + SafeFilename(filename) + "\""});
  return r;
}

std::string Cookie(const std::string& name, const std::string& value, const std::string& path,
                   bool secure, std::optional<int> max_age = std::nullopt) {
  std::string out = name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Strict";
  if (secure) out += "; Secure";
  if (max_age) out += "; Max-Age=" + std::to_string(*max_age);
  return out;
}

// Who has which case open: the collision view. Memory only, so it forgets on restart.
class Presence {
 public:
  void Seen(const std::string& ref, const std::string& who, const std::string& name, Instant now) {
    std::lock_guard lock(mu_);
    seen_[ref][who] = {name.empty() ? who : name, now};
  }
  std::vector<std::string> Others(const std::string& ref, const std::string& me, Instant now) {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    auto it = seen_.find(ref);
    if (it == seen_.end()) return out;
    for (auto w = it->second.begin(); w != it->second.end();) {
      if (now - w->second.second > kPresenceFor) {
        w = it->second.erase(w);
        continue;
      }
      if (w->first != me) out.push_back(w->second.first);
      ++w;
    }
    return out;
  }
  void Left(const std::string& who) {
    std::lock_guard lock(mu_);
    for (auto& [ref, people] : seen_) people.erase(who);
  }

 private:
  std::mutex mu_;
  // case reference -> username -> (full name, when last seen)
  std::map<std::string, std::map<std::string, std::pair<std::string, Instant>>> seen_;
};

// One request's view of the store: its own connection, engine and mailer (none is thread-safe).
struct Desk {
  std::unique_ptr<SqliteCaseStore> store;
  std::unique_ptr<CaseEngine> engine;
  std::unique_ptr<CaseMailer> mailer;
  std::unique_ptr<StaffDesk> staff;
};

// The request as the handlers see it.
struct Call {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  Poco::Net::HTMLForm* form = nullptr;  // POST only
  std::map<std::string, std::string> cookies;
  std::string authorization;
  bool tls = false;  // came over TLS (through a trusted proxy that says so)
  std::optional<StaffSession> session;
  std::string session_id;
  std::vector<std::string> set_cookies;

  std::string Field(const std::string& name) const {
    return form && form->has(name) ? form->get(name) : "";
  }
  std::string Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? "" : it->second;
  }
};

// govuk-frontend's stylesheet without its @font-face rules: the workbench uses Arial (GOV.UK's
// typeface is for GOV.UK alone), and the rules would only make browsers report fonts the
// Content-Security-Policy refuses.
std::string WithoutFontFaces(std::string css) {
  for (size_t at = css.find("@font-face"); at != std::string::npos;
       at = css.find("@font-face", at)) {
    const size_t end = css.find('}', at);
    if (end == std::string::npos) break;
    css.erase(at, end + 1 - at);
  }
  return css;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '/')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

// "2026-12-04T14:30" from a datetime-local field, read as London time, to ISO with its offset.
Result<std::string> LocalToIso(const std::string& value) {
  if (value.empty()) return std::string();
  if (value.size() < 16 || value[10] != 'T') {
    return Result<std::string>::Error("invalid time '" + value + "': use the date and time picker");
  }
  Result<std::chrono::sys_days> day = ParseDay(value.substr(0, 10));
  if (!day) return day.status();
  const int hh = std::atoi(value.substr(11, 2).c_str());
  const int mm = std::atoi(value.substr(14, 2).c_str());
  if (hh > 23 || mm > 59) return Result<std::string>::Error("invalid time '" + value + "'");
  return FormatLondonIso(FromLondon(*day, std::chrono::hours(hh) + std::chrono::minutes(mm)));
}

}  // namespace

struct WebServer::Impl {
  WebSettings settings;
  WebDeps deps;
  std::unique_ptr<StaffAccounts> accounts;
  std::unique_ptr<SqlitePrivacyStore> privacy;  // legal holds; the access log by default
  AccessLog* access_log = nullptr;              // deps.access_log, or `privacy`
  Presence presence;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;

  Instant Now() const { return deps.clock->Now(); }

  Result<Desk> OpenDesk() {
    Desk d;
    Result<std::unique_ptr<SqliteCaseStore>> store = SqliteCaseStore::Open(deps.store_path);
    if (!store) return store.status();
    d.store = std::move(store).value();
    d.engine = std::make_unique<CaseEngine>(*d.store, *deps.policy, *deps.hours, *deps.clock);
    if (deps.templates) {
      d.mailer = std::make_unique<CaseMailer>(*deps.templates, *deps.policy, *deps.hours, deps.mail,
                                              *deps.clock);
    }
    d.staff = std::make_unique<StaffDesk>(
        StaffDesk{*d.store, *d.engine, d.mailer.get(), *deps.policy, *deps.clock, "workbench"});
    return d;
  }

  // Records a read before it is served; an error means it must not be served.
  Status LogRead(const std::string& actor, const char* channel, const char* what,
                 std::optional<int64_t> case_id, std::optional<int64_t> message_id = std::nullopt,
                 const std::string& detail = "") {
    return access_log->Record({Now(), actor, channel, what, case_id, "", message_id, detail});
  }
  static std::string NotLogged(const Status& s) {
    return "The read could not be recorded in the access log, so it is not shown (" + s.error() +
           "). Try again shortly; tell the administrator if it persists.";
  }

  Viewer ViewerOf(const Call& call) const {
    const StaffSession& s = *call.session;
    return {s.account.username, s.account.name, std::string(StaffRoleName(s.account.role)), s.csrf};
  }

  std::string ResidentName(CaseStore& store, const CaseRecord& c) {
    Result<Contact> contact = store.GetContact(c.contact_id);
    if (!contact) return "";
    if (!contact->name.empty()) return contact->name;
    return contact->emails.empty() ? "" : contact->emails.front();
  }

  std::vector<web::CaseRow> Rows(CaseStore& store, const std::vector<CaseRecord>& cases,
                                 const std::string& me) {
    std::vector<web::CaseRow> rows;
    for (const CaseRecord& c : cases) {
      rows.push_back({c, ResidentName(store, c), presence.Others(c.reference, me, Now())});
    }
    return rows;
  }

  // --- sessions -------------------------------------------------------------------------------

  // Finds the caller's session: the cookie's, or one started for the user a trusted proxy names.
  Status Identify(Call& call, const Poco::Net::HTTPServerRequest& request) {
    auto cookie = call.cookies.find(kSessionCookie);
    if (cookie != call.cookies.end()) {
      Result<std::optional<StaffSession>> found = accounts->FindSession(cookie->second, Now());
      if (!found) return found.status();
      if (found.value()) {
        call.session = *found.value();
        call.session_id = cookie->second;
        return Status::Ok();
      }
    }
    if (!settings.proxy_user_header.empty() && FromTrustedProxy(request) &&
        request.has(settings.proxy_user_header)) {
      const std::string user = request.get(settings.proxy_user_header);
      Result<StaffAccounts::Login> login = accounts->StartTrustedSession(user, Now());
      if (!login) return login.status();
      if (login->ok) {
        call.session = login->session;
        call.session_id = login->session_id;
        call.set_cookies.push_back(Cookie(kSessionCookie, login->session_id, "/", call.tls));
      }
    }
    return Status::Ok();
  }

  bool FromTrustedProxy(const Poco::Net::HTTPServerRequest& request) const {
    const std::string peer = request.clientAddress().host().toString();
    return std::find(settings.trusted_proxies.begin(), settings.trusted_proxies.end(), peer) !=
           settings.trusted_proxies.end();
  }

  // --- routes ---------------------------------------------------------------------------------

  Reply Route(Call& call) {
    const std::vector<std::string> parts = Split(call.path);
    if (call.path == "/healthz" && call.method == "GET") return Text(200, "ok\n");
    if (!parts.empty() && parts[0] == "assets") return Asset(call, parts);
    if (call.path == "/favicon.ico") return Text(204, "");
    if (!parts.empty() && parts[0] == "api") return Api(call, parts);
    if (call.path == "/login") return call.method == "POST" ? LogIn(call) : LoginForm(call, "", "");
    if (!call.session) {
      if (call.method == "GET") return Redirect("/login");
      return Html(web::MessagePage(nullptr, "Sign in first",
                                   "Your session has ended or you are not signed in; nothing "
                                   "was changed. Sign in and try again."),
                  403);
    }
    const Viewer viewer = ViewerOf(call);
    if (call.method == "POST" && !SameSecret(call.Field("csrf"), call.session->csrf)) {
      return Html(web::MessagePage(&viewer, "The form has expired",
                                   "The form was out of date or did not come from the workbench, "
                                   "so nothing was changed. Go back, reload the page and try "
                                   "again."),
                  403);
    }
    if (call.method != "GET" && call.method != "POST") return Text(405, "GET or POST only\n");
    if (call.path == "/logout" && call.method == "POST") {
      (void)accounts->EndSession(call.session_id);
      presence.Left(viewer.username);
      call.set_cookies.push_back(Cookie(kSessionCookie, "", "/", call.tls, 0));
      return Redirect("/login");
    }
    Result<Desk> opened = OpenDesk();
    if (!opened) {
      return Html(web::MessagePage(&viewer, "The store is unavailable", opened.error()), 503);
    }
    // The lists name residents: each is a read, recorded like a case's.
    if (call.method == "GET" && (call.path == "/" || call.path == "/cases" ||
                                 call.path == "/triage" || call.path == "/search")) {
      const std::string query = call.Query("q");
      if (Status logged = LogRead(viewer.username, "workbench", "case-list", std::nullopt,
                                  std::nullopt, call.path + (query.empty() ? "" : " q=" + query));
          !logged) {
        return Html(web::MessagePage(&viewer, "Not shown", NotLogged(logged)), 503);
      }
    }
    Desk desk_value = std::move(opened).value();
    Desk* desk = &desk_value;
    if (call.path == "/" && call.method == "GET") return Home(*desk, viewer);
    if (call.path == "/cases" && call.method == "GET") return Queue(call, *desk, viewer);
    if (call.path == "/triage" && call.method == "GET") return Triage(*desk, viewer);
    if (call.path == "/search" && call.method == "GET") return Search(call, *desk, viewer);
    if (call.path == "/reports" && call.method == "GET") return Reports(call, *desk, viewer);
    if (call.path == "/reports/annual" && call.method == "GET") {
      return AnnualReportFile(call, *desk, viewer);
    }
    if (call.path == "/reports/monthly" && call.method == "GET") {
      return MonthlyReportPage(call, *desk, viewer);
    }
    if (call.path == "/new") {
      if (call.method == "GET") return Html(web::NewCasePage(viewer, ""));
      return NewCase(call, *desk, viewer);
    }
    if (!parts.empty() && parts[0] == "staff") return Staff(call, parts, viewer);
    if (parts.size() >= 2 && parts[0] == "cases") {
      const std::string ref = parts[1];
      if (parts.size() == 2 && call.method == "GET") return CasePage(call, *desk, viewer, ref);
      if (parts.size() == 3 && call.method == "POST") {
        return Act(call, *desk, viewer, ref, parts[2]);
      }
      if (call.method == "GET") return CaseFile(*desk, viewer, ref, parts);
    }
    return Html(
        web::MessagePage(&viewer, "Page not found", "There is no page at " + call.path + "."), 404);
  }

  Reply Asset(const Call& call, const std::vector<std::string>& parts) {
    if (call.method != "GET" || parts.size() != 2) return Text(404, "not found\n");
    std::string file;
    Reply r;
    if (parts[1] == "govuk-frontend.min.css") {
      file = settings.govuk_dir + "/govuk-frontend.min.css";
    } else if (parts[1] == "complaints.css") {
      file = settings.static_dir + "/complaints.css";
    } else {
      return Text(404, "not found\n");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) return Text(404, "missing " + parts[1] + ": run scripts/bootstrap (npm install)\n");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    r.body = bytes.str();
    if (parts[1] == "govuk-frontend.min.css") r.body = WithoutFontFaces(std::move(r.body));
    r.content_type = "text/css; charset=utf-8";
    r.cacheable = true;
    return r;
  }

  Reply LoginForm(Call& call, const std::string& error, const std::string& username,
                  int status = 200) {
    const std::string token = RandomToken();
    call.set_cookies.push_back(Cookie(kLoginCookie, token, "/login", call.tls));
    return Html(web::LoginPage(error, token, username), status);
  }

  Reply LogIn(Call& call) {
    const auto cookie = call.cookies.find(kLoginCookie);
    if (cookie == call.cookies.end() || !SameSecret(cookie->second, call.Field("csrf"))) {
      return LoginForm(call, "The sign-in form had expired. Please try again.", "", 403);
    }
    const std::string username = call.Field("username");
    Result<StaffAccounts::Login> login = accounts->LogIn(username, call.Field("password"), Now());
    if (!login) return Html(web::MessagePage(nullptr, "Sign-in failed", login.error()), 503);
    if (!login->ok) {
      // Repeated failures slow down: each costs a little more, up to two seconds.
      std::this_thread::sleep_for(
          std::chrono::milliseconds(200 * std::min(login->failed_logins, 10)));
      std::string why = "The username or password is not right.";
      if (login->locked_until) {
        why = "This account is locked after repeated failed sign-ins. Try again after " +
              FormatLondonClock(*login->locked_until) + ", or ask an admin.";
      }
      return LoginForm(call, why, username, 401);
    }
    call.set_cookies.push_back(Cookie(kSessionCookie, login->session_id, "/", call.tls));
    call.set_cookies.push_back(Cookie(kLoginCookie, "", "/login", call.tls, 0));
    return Redirect("/");
  }

  Reply Home(Desk& d, const Viewer& viewer) {
    web::HomeView v;
    const Instant now = Now();
    const auto today = ToLondon(now).day;  // the calendar day (ReceiptDay moves 17:00 on)
    const auto next = deps.hours->calendar().NextWorkingDay(today);
    Result<std::vector<WatchedDeadline>> due =
        d.store->OpenDeadlines(deps.hours->CloseOfBusiness(next), 500);
    std::set<std::string> seen;
    if (due) {
      for (const WatchedDeadline& w : *due) {
        if (!seen.insert(w.reference).second) continue;
        const bool breached = w.due_at < now;
        const bool today_due = !breached && ToLondon(w.due_at).day <= today;
        std::vector<web::CaseRow>& list = breached    ? v.breached
                                          : today_due ? v.due_today
                                                      : v.due_next;
        if (list.size() >= static_cast<size_t>(kPageSize)) {  // counted only
          ++(breached ? v.more_breached : today_due ? v.more_today : v.more_next);
          continue;
        }
        Result<CaseRecord> c = d.store->FindCase(w.reference);
        if (!c) continue;
        list.push_back(
            {*c, ResidentName(*d.store, *c), presence.Others(c->reference, viewer.username, now)});
      }
    }
    CaseQuery triage;
    triage.flag = std::string(kTriageFlag);
    triage.order = CaseQuery::Order::kNextDue;
    triage.limit = kPageSize;
    if (auto t = d.store->ListCases(triage)) v.triage = Rows(*d.store, *t, viewer.username);
    CaseQuery flagged;
    flagged.needs_review = true;
    flagged.order = CaseQuery::Order::kNextDue;
    flagged.limit = kPageSize;
    if (auto f = d.store->ListCases(flagged)) {
      for (web::CaseRow& r : Rows(*d.store, *f, viewer.username)) {
        if (!r.c.HasFlag(kTriageFlag)) v.flagged.push_back(std::move(r));
      }
    }
    MessageQuery held;
    held.states = {"quarantined"};
    if (auto q = d.store->ListMessages(held)) v.quarantined = static_cast<long>(q->size());
    held.states = {"spam"};
    if (auto q = d.store->ListMessages(held)) v.held_spam = static_cast<long>(q->size());
    if (auto failed = d.store->FailedOutgoing(kPageSize)) v.failed_mail = std::move(failed).value();
    return Html(web::HomePage(viewer, v, now, *deps.hours));
  }

  Reply Queue(const Call& call, Desk& d, const Viewer& viewer) {
    web::QueueFilter f{call.Query("type"),    call.Query("stage"), call.Query("status"),
                       call.Query("handler"), call.Query("flag"),  call.Query("q")};
    CaseQuery q;
    if (!f.type.empty()) {
      Result<CaseType> t = ParseCaseType(f.type);
      if (t) q.type = *t;
    }
    if (!f.stage.empty()) q.stage = std::atoi(f.stage.c_str());
    if (!f.status.empty()) q.status = f.status;
    if (!f.handler.empty()) q.handler = f.handler;
    if (!f.flag.empty()) q.flag = f.flag;
    if (!f.q.empty()) q.search = f.q;
    f.page = std::max(1, std::atoi(call.Query("page").c_str()));
    q.order = CaseQuery::Order::kNextDue;
    q.limit = kPageSize;
    q.offset = (f.page - 1) * kPageSize;
    Result<std::vector<CaseRecord>> cases = d.store->ListCases(q);
    Result<long> total = d.store->CountCases(q);
    if (!cases || !total) {
      return Html(web::MessagePage(&viewer, "The queue cannot be read",
                                   cases ? total.error() : cases.error()),
                  503);
    }
    return Html(web::QueuePage(viewer, f, Rows(*d.store, *cases, viewer.username), *total,
                               kPageSize, Now(), *deps.hours));
  }

  Reply Triage(Desk& d, const Viewer& viewer) {
    CaseQuery q;
    q.flag = std::string(kTriageFlag);
    q.order = CaseQuery::Order::kNextDue;
    Result<std::vector<CaseRecord>> cases = d.store->ListCases(q);
    if (!cases) return Html(web::MessagePage(&viewer, "Triage cannot be read", cases.error()), 503);
    return Html(
        web::TriagePage(viewer, Rows(*d.store, *cases, viewer.username), Now(), *deps.hours));
  }

  Reply Search(const Call& call, Desk& d, const Viewer& viewer) {
    const std::string q = call.Query("q");
    std::vector<web::CaseRow> rows;
    if (!q.empty()) {
      CaseQuery query;
      query.search = q;
      query.include_closed = true;
      query.limit = 200;
      if (auto found = d.store->ListCases(query)) rows = Rows(*d.store, *found, viewer.username);
    }
    return Html(web::SearchPage(viewer, q, rows, Now(), *deps.hours));
  }

  // The TSM complaint measures for a financial year (default: the one in progress).
  Reply Reports(const Call& call, Desk& d, const Viewer& viewer) {
    const LondonTime now = ToLondon(Now());
    const std::chrono::year_month_day today{now.day};
    int year = static_cast<int>(today.year()) - (today.month() < std::chrono::April ? 1 : 0);
    if (const std::string asked = call.Query("year"); !asked.empty()) {
      Result<long> y = ParseWholeNumber(asked, "year", 2000, 2200);
      if (!y) return Html(web::MessagePage(&viewer, "No such year", y.error()), 422);
      year = static_cast<int>(*y);
    }
    const std::chrono::sys_days year_end(std::chrono::year{year + 1} / std::chrono::March / 31);
    const std::optional<long> homes = HomesOn(deps.homes, year_end);
    Result<TsmReport> r =
        ComputeTsm(*d.store, *deps.hours, year, homes.value_or(1), /*explain=*/false);
    if (!r) return Html(web::MessagePage(&viewer, "The report could not be made", r.error()), 503);
    return Html(web::ReportsPage(viewer, *r, homes.has_value()));
  }

  // The annual complaints report (?year=2025&format=html|pdf|csv): the HTML is shown, allowed
  // only its own inline stylesheet (by hash: nothing else runs or loads); PDF and CSV download.
  Reply AnnualReportFile(const Call& call, Desk& d, const Viewer& viewer) {
    Result<long> y = ParseWholeNumber(call.Query("year"), "year", 2000, 2200);
    if (!y) return Html(web::MessagePage(&viewer, "No such year", y.error()), 422);
    const int year = static_cast<int>(*y);
    const std::string format = call.Query("format").empty() ? "html" : call.Query("format");
    if (format != "html" && format != "pdf" && format != "csv") {
      return Html(web::MessagePage(&viewer, "No such format", "The report is html, pdf or csv."),
                  422);
    }
    const std::chrono::sys_days year_end(std::chrono::year{year + 1} / std::chrono::March / 31);
    const std::optional<long> homes = HomesOn(deps.homes, year_end);
    if (!homes) {
      return Html(web::MessagePage(&viewer, "The number of homes is not set",
                                   "Set landlord.homes in the configuration (the homes owned on "
                                   "31 March " +
                                       std::to_string(year + 1) + ") and restart the daemon."),
                  422);
    }
    std::map<std::string, std::string> evidence;
    if (!deps.evidence_file.empty()) {
      std::ifstream in(deps.evidence_file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      Result<std::map<std::string, std::string>> parsed =
          in ? ParseEvidence(text.str())
             : Result<std::map<std::string, std::string>>::Error("cannot be read");
      if (!parsed) {
        return Html(web::MessagePage(&viewer, "The self-assessment evidence cannot be used",
                                     deps.evidence_file + ": " + parsed.error()),
                    503);
      }
      evidence = std::move(parsed).value();
    }
    Result<AnnualReport> r =
        ComputeAnnualReport(*d.store, *deps.hours, *deps.policy, year, *homes, evidence);
    if (!r) return Html(web::MessagePage(&viewer, "The report could not be made", r.error()), 503);
    const std::chrono::year_month_day today(ToLondon(Now()).day);
    const std::string generated =
        std::to_string(static_cast<unsigned>(today.day())) + " " +
        MonthName(static_cast<int>(today.year()), static_cast<unsigned>(today.month()));
    const std::string name = "complaints-report-" + FinancialYearName(year);
    if (format == "csv") {
      Reply csv = Download(name + ".csv", AnnualCsv(*r));
      csv.content_type = "text/csv; charset=utf-8";
      return csv;
    }
    if (format == "pdf") {
      Result<std::string> pdf = AnnualPdf(*r, generated);
      if (!pdf)
        return Html(web::MessagePage(&viewer, "The PDF could not be made", pdf.error()), 503);
      Reply file = Download(name + ".pdf", *pdf);
      file.content_type = "application/pdf";
      return file;
    }
    Reply page = Html(AnnualHtml(*r, generated));
    // Its one inline stylesheet is allowed by hash, and nothing else; the style never changes.
    static const std::string kPolicy = [] {
      const std::string hex = Sha256Hex(AnnualHtmlStyle());
      std::string bytes;
      for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
      }
      std::ostringstream b64;
      Poco::Base64Encoder encoder(b64);
      encoder.rdbuf()->setLineLength(0);
      encoder << bytes;
      encoder.close();
      return "default-src 'none'; style-src 'sha256-" + b64.str() +
             "'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }();
    page.csp = kPolicy;
    return page;
  }

  // The month's view (?month=2026-11; default: the month before this one).
  Reply MonthlyReportPage(const Call& call, Desk& d, const Viewer& viewer) {
    const std::chrono::year_month_day today(ToLondon(Now()).day);
    std::chrono::year_month month = today.year() / today.month() - std::chrono::months{1};
    if (const std::string asked = call.Query("month"); !asked.empty()) {
      Result<long> y = asked.size() == 7 && asked[4] == '-'
                           ? ParseWholeNumber(asked.substr(0, 4), "year", 2000, 2200)
                           : Result<long>::Error("");
      Result<long> m = asked.size() == 7 && asked[4] == '-'
                           ? ParseWholeNumber(asked.substr(5), "month", 1, 12)
                           : Result<long>::Error("");
      if (!y || !m) {
        return Html(web::MessagePage(&viewer, "No such month", "Give the month as YYYY-MM."), 422);
      }
      month =
          std::chrono::year{static_cast<int>(*y)} / std::chrono::month{static_cast<unsigned>(*m)};
    }
    Result<MonthlyReport> r =
        ComputeMonthlyReport(*d.store, *deps.hours, static_cast<int>(month.year()),
                             static_cast<unsigned>(month.month()), Now());
    if (!r) return Html(web::MessagePage(&viewer, "The report could not be made", r.error()), 503);
    return Html(web::MonthlyPage(viewer, *r));
  }

  Result<web::CaseView> LoadCase(Desk& d, const std::string& ref, const Viewer& viewer) {
    using R = Result<web::CaseView>;
    web::CaseView v;
    Result<CaseRecord> c = d.store->FindCase(ref);
    if (!c) return c.status();
    v.c = *c;
    Result<Contact> resident = d.store->GetContact(c->contact_id);
    if (!resident) return resident.status();
    v.resident = *resident;
    if (c->representative_id) {
      if (auto rep = d.store->GetContact(*c->representative_id)) v.representative = *rep;
    }
    Result<std::vector<HistoryEntry>> history = d.store->History(c->id);
    if (!history) return history.status();
    v.history = *history;
    // Staff are recorded by username; the page names them in full as well.
    if (auto staff = accounts->List()) {
      std::map<std::string, std::string> names;
      for (const StaffAccount& a : *staff) names[a.username] = a.name;
      for (HistoryEntry& e : v.history) {
        auto it = names.find(e.actor);
        if (it != names.end() && !it->second.empty()) e.actor = it->second + " (" + e.actor + ")";
      }
    }
    if (auto docs = d.store->Documents(c->id)) {
      for (const CaseDocument& doc : *docs) {
        v.documents.push_back(doc);
        v.documents.back().bytes.clear();
      }
    }
    MessageQuery mq;
    mq.case_id = c->id;
    mq.limit = 200;
    Result<std::vector<MessageListing>> in = d.store->ListMessages(mq);
    if (!in) return R(in.status());
    const std::string pattern = ReferencePattern(deps.policy->reference_format);
    auto fill = [&](web::MessageView& m, const std::string& raw) {
      Result<ParsedMail> mail = ParseMail(raw, pattern);
      if (!mail) {
        m.problem = "This message could not be read as mail (" + mail.error() +
                    "); download the original to see it.";
        return;
      }
      m.from = mail->from.name.empty() ? mail->from.address
                                       : mail->from.name + " <" + mail->from.address + ">";
      for (const ParsedAddress& a : mail->to) m.to += (m.to.empty() ? "" : ", ") + a.address;
      m.subject = mail->subject;
      m.text = mail->text;
      if (m.text.size() > kMaxShownText) {
        m.text.resize(kMaxShownText);
        m.truncated = true;
      }
      for (const ParsedAttachment& a : mail->attachments) m.attachments.push_back(a.filename);
    };
    for (const MessageListing& l : *in) {
      web::MessageView m;
      m.id = l.id;
      m.at = l.received_at;
      m.state = l.state;
      Result<std::string> raw = d.store->MessageRaw(l.id);
      if (raw) {
        fill(m, *raw);
      } else {
        m.problem = raw.error();
      }
      v.messages.push_back(std::move(m));
    }
    if (auto out = d.store->OutboxFor(c->id)) {
      for (const OutboxItem& o : *out) {
        web::MessageView m;
        m.id = o.id;
        m.incoming = false;
        m.at = o.sent_at.value_or(o.next_attempt_at);
        m.state = o.state;
        m.kind = o.kind;
        fill(m, o.raw);
        v.messages.push_back(std::move(m));
      }
    }
    v.viewers = presence.Others(ref, viewer.username, Now());
    Result<std::optional<CaseHold>> hold = privacy->HoldOn(v.c.reference);
    if (!hold) return R(hold.status());  // a hold not shown could be a hold ignored
    v.hold = *hold;
    return v;
  }

  Reply CasePage(const Call& call, Desk& d, const Viewer& viewer, const std::string& ref,
                 const std::string& error = "", int status = 200) {
    presence.Seen(ref, viewer.username, viewer.name, Now());
    Result<web::CaseView> loaded = LoadCase(d, ref, viewer);
    if (!loaded) return Html(web::MessagePage(&viewer, "Case not found", loaded.error()), 404);
    web::CaseView v = std::move(loaded).value();
    if (Status logged = LogRead(viewer.username, "workbench", "case", v.c.id, std::nullopt,
                                std::to_string(v.messages.size()) + " messages shown");
        !logged) {
      return Html(web::MessagePage(&viewer, "Not shown", NotLogged(logged)), 503);
    }
    v.error = error;
    if (const std::string done = call.Query("done"); !done.empty() && error.empty()) {
      v.notice = "Recorded: " + done + ".";
    }
    return Html(web::CasePage(viewer, v, *deps.policy, Now(), *deps.hours), status);
  }

  Reply Act(const Call& call, Desk& d, const Viewer& viewer, const std::string& ref,
            const std::string& verb) {
    const auto& verbs = StaffVerbs();
    if (std::find(verbs.begin(), verbs.end(), verb) == verbs.end()) {
      return Html(web::MessagePage(&viewer, "Unknown action", "There is no action '" + verb + "'."),
                  404);
    }
    Result<CaseRecord> current = d.store->FindCase(ref);
    if (!current) return Html(web::MessagePage(&viewer, "Case not found", current.error()), 404);
    ActionFields fields;
    for (const auto& [name, value] : *call.form) {
      if (name == "csrf" || name == "version" || name == "seen") continue;
      if (name == "at") {
        Result<std::string> iso = LocalToIso(value);
        if (!iso) return CasePage(call, d, viewer, ref, iso.error(), 422);
        fields.Add(name, *iso);
        continue;
      }
      fields.Add(name, value);
    }
    // Roles: only a manager reassigns a case someone else handles.
    if (verb == "assign" && !RoleAtLeast(*ParseStaffRole(viewer.role), StaffRole::kManager)) {
      const StageRecord* stage = current->CurrentStage();
      const std::vector<std::string> to = fields.GetAll("handler");
      const bool someone_else_has_it =
          stage && !stage->handler.empty() && stage->handler != viewer.username;
      const bool to_other = to.size() != 1 || to[0] != viewer.username;
      if (someone_else_has_it || to_other) {
        return Html(web::MessagePage(&viewer, "Only a manager can do that",
                                     "An officer may take an unassigned case; reassigning it, or "
                                     "assigning it to someone else, is for a manager. Nothing "
                                     "was changed."),
                    403);
      }
    }
    std::optional<SeenCase> seen;
    if (!call.Field("version").empty()) {
      seen = SeenCase{std::atoll(call.Field("version").c_str()),
                      static_cast<size_t>(std::atoll(call.Field("seen").c_str()))};
    }
    Result<CaseRecord> done = RunStaffAction(*d.staff, verb, ref, fields, viewer.username, seen);
    if (!done) {
      const bool stale = done.error().find("changed since you loaded it") != std::string::npos;
      return CasePage(call, d, viewer, ref, done.error(), stale ? 409 : 422);
    }
    return Redirect("/cases/" + web::UrlEncode(ref) + "?done=" + web::UrlEncode(verb));
  }

  Reply CaseFile(Desk& d, const Viewer& viewer, const std::string& ref,
                 const std::vector<std::string>& parts) {
    Result<CaseRecord> c = d.store->FindCase(ref);
    if (!c) return Text(404, "no such case\n");
    if (parts.size() == 4 && parts[2] == "documents") {
      if (auto docs = d.store->Documents(c->id)) {
        for (const CaseDocument& doc : *docs) {
          if (std::to_string(doc.id) == parts[3]) {
            if (Status logged = LogRead(viewer.username, "workbench", "document", c->id,
                                        std::nullopt, "document " + parts[3]);
                !logged) {
              return Text(503, NotLogged(logged) + "\n");
            }
            return Download(doc.filename.empty() ? "document" : doc.filename, doc.bytes);
          }
        }
      }
      return Text(404, "no such document on this case\n");
    }
    if (parts.size() >= 5 && parts[2] == "messages") {
      MessageQuery mq;
      mq.case_id = c->id;
      mq.limit = 1000;
      Result<std::vector<MessageListing>> on = d.store->ListMessages(mq);
      const bool belongs = on && std::any_of(on->begin(), on->end(), [&](const MessageListing& m) {
                             return std::to_string(m.id) == parts[3];
                           });
      if (!belongs) return Text(404, "no such message on this case\n");
      const int64_t message = std::atoll(parts[3].c_str());
      Result<std::string> raw = d.store->MessageRaw(message);
      if (!raw) return Text(404, raw.error() + "\n");
      if (Status logged =
              LogRead(viewer.username, "workbench",
                      parts[4] == "original" ? "message" : "attachment", c->id, message, parts[4]);
          !logged) {
        return Text(503, NotLogged(logged) + "\n");
      }
      if (parts[4] == "original" && parts.size() == 5) {
        return Download(ref + "-message-" + parts[3] + ".eml", std::move(raw).value());
      }
      if (parts[4] == "attachments" && parts.size() == 6) {
        Result<ParsedMail> mail = ParseMail(*raw);
        const size_t i = static_cast<size_t>(std::atoll(parts[5].c_str()));
        if (mail && i < mail->attachments.size() && std::to_string(i) == parts[5]) {
          return Download(
              mail->attachments[i].filename.empty() ? "attachment" : mail->attachments[i].filename,
              mail->attachments[i].bytes);
        }
      }
    }
    return Text(404, "not found\n");
  }

  Reply NewCase(const Call& call, Desk& d, const Viewer& viewer) {
    ActionFields fields;
    for (const auto& [name, value] : *call.form) {
      if (name == "csrf") continue;
      if (name == "received") {
        Result<std::string> iso = LocalToIso(value);
        if (!iso) return Html(web::NewCasePage(viewer, iso.error()), 422);
        fields.Add(name, *iso);
        continue;
      }
      fields.Add(name, value);
    }
    Result<CaseRecord> opened = OpenStaffCase(*d.staff, fields, viewer.username);
    if (!opened) return Html(web::NewCasePage(viewer, opened.error()), 422);
    return Redirect("/cases/" + web::UrlEncode(opened->reference) + "?done=opened");
  }

  Reply Staff(const Call& call, const std::vector<std::string>& parts, const Viewer& viewer) {
    if (viewer.role != "admin") {
      return Html(web::MessagePage(&viewer, "Only an admin can do that",
                                   "Staff accounts are managed by an admin. Nothing was changed."),
                  403);
    }
    std::string notice, error;
    if (call.method == "POST" && parts.size() == 2) {
      const std::string user = call.Field("username");
      Status s = Status::Ok();
      if (parts[1] == "add") {
        Result<StaffRole> role = ParseStaffRole(call.Field("role"));
        s = role ? accounts->Add(user, call.Field("name"), *role, call.Field("password"))
                 : role.status();
        notice = "Added " + user + ".";
      } else if (parts[1] == "disable") {
        s = user == viewer.username ? Status::Error("you cannot disable your own account")
                                    : accounts->Disable(user);
        notice = "Disabled " + user + ".";
      } else if (parts[1] == "enable") {
        s = accounts->Enable(user);
        notice = "Enabled " + user + ".";
      } else {
        s = Status::Error("unknown staff action");
      }
      if (!s) {
        error = s.error();
        notice.clear();
      }
    } else if (parts.size() != 1 || call.method != "GET") {
      return Text(404, "not found\n");
    }
    Result<std::vector<StaffAccount>> all = accounts->List();
    if (!all) return Html(web::MessagePage(&viewer, "Accounts cannot be read", all.error()), 503);
    return Html(web::StaffPage(viewer, *all, notice, error), error.empty() ? 200 : 422);
  }

  // --- the JSON API ---------------------------------------------------------------------------

  Reply Api(const Call& call, const std::vector<std::string>& parts) {
    Reply unauthorised = Json(401, {{"error",
                                     "give Authorization: Bearer TOKEN "
                                     "(complaintsctl staff token USERNAME)"}});
    unauthorised.headers.push_back({"WWW-Authenticate", "Bearer realm=\"complaintsd\""});
    const std::string prefix = "Bearer ";
    if (call.authorization.rfind(prefix, 0) != 0) return unauthorised;
    Result<std::optional<StaffAccount>> who =
        accounts->FindToken(call.authorization.substr(prefix.size()));
    if (!who) return Json(503, {{"error", who.error()}});
    if (!who.value()) return unauthorised;
    if (call.method != "GET") return Json(405, {{"error", "the API is read-only: GET"}});
    if (parts.size() < 3 || parts[1] != "v1" || parts[2] != "cases") {
      return Json(404, {{"error", "try /api/v1/cases"}});
    }
    Result<Desk> opened = OpenDesk();
    if (!opened) return Json(503, {{"error", opened.error()}});
    Desk desk = std::move(opened).value();
    Desk* d = &desk;
    if (parts.size() == 3) {
      CaseQuery q;
      if (!call.Query("status").empty()) q.status = call.Query("status");
      q.include_closed = call.Query("all") == "1";
      q.limit = std::clamp(
          call.Query("limit").empty() ? 1000 : std::atoi(call.Query("limit").c_str()), 1, 10000);
      q.offset = std::max(0, std::atoi(call.Query("offset").c_str()));
      Result<std::vector<CaseRecord>> cases = d->store->ListCases(q);
      if (!cases) return Json(503, {{"error", cases.error()}});
      if (Status logged = LogRead((*who)->username, "api", "case-list", std::nullopt, std::nullopt,
                                  std::to_string(cases->size()) + " cases listed");
          !logged) {
        return Json(503, {{"error", NotLogged(logged)}});
      }
      nlohmann::json out = nlohmann::json::array();
      for (const CaseRecord& c : *cases) out.push_back(CaseToJson(c, false));
      return Json(200, out);
    }
    if (parts.size() == 4) {
      Result<CaseRecord> c = d->store->FindCase(parts[3]);
      if (!c) return Json(404, {{"error", c.error()}});
      if (Status logged = LogRead((*who)->username, "api", "case", c->id); !logged) {
        return Json(503, {{"error", NotLogged(logged)}});
      }
      nlohmann::json out = CaseToJson(*c, true);
      Result<std::optional<CaseHold>> hold = privacy->HoldOn(c->reference);
      if (!hold) return Json(500, {{"error", "the case's legal hold: " + hold.error()}});
      out["legal_hold"] = nullptr;
      if (*hold) {
        out["legal_hold"] = {{"since", FormatLondonIso((*hold)->at)},
                             {"by", (*hold)->actor},
                             {"reason", (*hold)->reason}};
      }
      nlohmann::json history = nlohmann::json::array();
      if (auto h = d->store->History(c->id)) {
        for (const HistoryEntry& e : *h) {
          history.push_back(
              {{"at", FormatLondonIso(e.at)},
               {"recorded_at", e.recorded_at ? nlohmann::json(FormatLondonIso(*e.recorded_at))
                                             : nlohmann::json(nullptr)},
               {"actor", e.actor},
               {"action", e.action},
               {"detail", e.detail}});
        }
      }
      out["history"] = history;
      return Json(200, out);
    }
    return Json(404, {{"error", "try /api/v1/cases or /api/v1/cases/REF"}});
  }
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(WebServer::Impl& impl) : impl_(impl) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    Call call;
    Reply reply;
    Poco::Net::HTMLForm form;
    try {
      Poco::URI uri(request.getURI());
      call.method = request.getMethod();
      call.path = uri.getPath();
      for (const auto& [k, v] : uri.getQueryParameters()) call.query[k] = v;
      Poco::Net::NameValueCollection cookies;
      request.getCookies(cookies);
      for (const auto& [k, v] : cookies) call.cookies[k] = v;
      call.authorization = request.get("Authorization", "");
      call.tls = impl_.FromTrustedProxy(request) && request.get("X-Forwarded-Proto", "") == "https";
      if (call.method == "POST") {
        if (request.getContentLength() > static_cast<std::streamsize>(kMaxBody)) {
          throw Poco::DataFormatException("the form is too big");
        }
        form.setFieldLimit(200);
        form.load(request, request.stream());
        call.form = &form;
      }
      if (Status s = impl_.Identify(call, request); !s) {
        reply = Text(503, "the staff accounts cannot be read: " + s.error() + "\n");
      } else {
        reply = impl_.Route(call);
      }
    } catch (const Poco::Exception& e) {
      reply = Text(400, "bad request: " + e.displayText() + "\n");
    } catch (const std::exception& e) {
      reply = Text(500, std::string("internal error: ") + e.what() + "\n");
    }
    Send(call, reply, response);
  }

 private:
  static void Send(const Call& call, const Reply& reply, Poco::Net::HTTPServerResponse& response) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.content_type);
    response.set("Content-Security-Policy",
                 !reply.csp.empty()
                     ? reply.csp
                     : "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                       "base-uri 'none'; frame-ancestors 'none'");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Cache-Control", reply.cacheable ? "public, max-age=3600" : "no-store");
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    for (const std::string& c : call.set_cookies) response.add("Set-Cookie", c);
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
  }

  WebServer::Impl& impl_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(WebServer::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(impl_);
  }

 private:
  WebServer::Impl& impl_;
};

}  // namespace

Result<std::unique_ptr<WebServer>> WebServer::Start(const WebSettings& settings, WebDeps deps) {
  using R = Result<std::unique_ptr<WebServer>>;
  auto impl = std::make_unique<Impl>();
  impl->settings = settings;
  impl->deps = std::move(deps);
  Result<std::unique_ptr<StaffAccounts>> accounts =
      StaffAccounts::Open(impl->deps.store_path, settings.login);
  if (!accounts) return R::Error("web: " + accounts.error());
  impl->accounts = std::move(accounts).value();
  Result<std::unique_ptr<SqlitePrivacyStore>> privacy =
      SqlitePrivacyStore::Open(impl->deps.store_path);
  if (!privacy) return R::Error("web: the store's privacy records: " + privacy.error());
  impl->privacy = std::move(privacy).value();
  impl->access_log = impl->deps.access_log ? impl->deps.access_log : impl->privacy.get();
  try {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(settings.listen), /*reuseAddress=*/true,
                /*reusePort=*/false);
    socket.listen(64);
    impl->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(settings.threads);
    params->setKeepAlive(true);
    impl->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl), socket, params);
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return R::Error("web.listen " + settings.listen + ": " + e.displayText());
  }
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebServer::~WebServer() {
  if (impl_ && impl_->server) impl_->server->stopAll(true);
}
int WebServer::port() const { return impl_->port; }

}  // namespace complaints
