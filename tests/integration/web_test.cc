// The workbench's security rules over real HTTP, against the real complaintsd serving it: no
// session, wrong role, missing or wrong CSRF token, an expired session, a locked account, the API
// without or with a wrong token; two officers acting on one case from stale pages; the daemon and
// the workbench writing the same case in the same second; every read of a case logged, and a read
// that cannot be logged refused.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "daemon/ctl/commands.h"
#include "daemon/staff/staff_accounts.h"
#include "tests/integration/dovecot.h"
#include "tests/integration/processes.h"

namespace complaints {
namespace {

namespace fs = std::filesystem;
using integration::Child;
using integration::TempDir;
using integration::WaitFor;

const std::string kDaemon = COMPLAINTSD_BINARY_DIR "/daemon/complaintsd";
constexpr const char* kPassword = "a long enough passphrase";

struct Response {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // names in lower case
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    std::string ek, ev;
    Poco::URI::encode(k, "&=+?#/ ", ek);
    Poco::URI::encode(v, "&=+?#/ ", ev);
    out += (out.empty() ? "" : "&") + ek + "=" + ev;
  }
  return out;
}

// A client with a cookie jar, as a browser would keep one.
class Client {
 public:
  explicit Client(int port) : port_(port) {}

  Response Get(const std::string& path, const std::map<std::string, std::string>& headers = {}) {
    return Send("GET", path, "", headers);
  }
  Response Post(const std::string& path,
                const std::vector<std::pair<std::string, std::string>>& fields) {
    return Send("POST", path, FormEncode(fields), {});
  }
  // Signs in through the form: GET /login for its token, then POST it.
  Response LogIn(const std::string& user, const std::string& password) {
    const Response form = Get("/login");
    return Post("/login", {{"username", user}, {"password", password}, {"csrf", Csrf(form)}});
  }
  static std::string Csrf(const Response& page) {
    std::smatch m;
    if (!std::regex_search(page.body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\""))) {
      return "";
    }
    return m[1];
  }
  std::map<std::string, std::string>& cookies() { return cookies_; }

 private:
  Response Send(const std::string& method, const std::string& path, const std::string& body,
                const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::NameValueCollection jar;
    for (const auto& [k, v] : cookies_) jar.add(k, v);
    if (!cookies_.empty()) request.setCookies(jar);
    for (const auto& [k, v] : headers) request.set(k, v);
    if (method == "POST") {
      request.setContentType("application/x-www-form-urlencoded");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Response r;
    r.status = response.getStatus();
    Poco::StreamCopier::copyToString(in, r.body);
    for (const auto& [k, v] : response) r.headers.emplace(Lower(k), v);
    for (auto [it, end] = r.headers.equal_range("set-cookie"); it != end; ++it) {
      const std::string& c = it->second;
      const size_t eq = c.find('='), semi = c.find(';');
      const std::string name = c.substr(0, eq);
      const std::string value = c.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
      if (value.empty() || c.find("Max-Age=0") != std::string::npos) {
        cookies_.erase(name);
      } else {
        cookies_[name] = value;
      }
    }
    return r;
  }

  int port_;
  std::map<std::string, std::string> cookies_;
};

class WebTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ + "/Maildir/new");
    fs::create_directories(dir_ + "/outbox");
    std::ofstream(dir_ + "/key") << "integration-test-key\n";
    fs::permissions(dir_ + "/key", fs::perms::owner_read | fs::perms::owner_write);
    web_port_ = integration::FreeTcpPort();
    auto accounts = StaffAccounts::Open(dir_ + "/c.db", LoginPolicy{});
    ASSERT_TRUE(accounts.ok()) << accounts.error();
    ASSERT_TRUE((*accounts)->Add("pat", "Pat Officer", StaffRole::kOfficer, kPassword).ok());
    ASSERT_TRUE((*accounts)->Add("sam", "Sam Officer", StaffRole::kOfficer, kPassword).ok());
    ASSERT_TRUE((*accounts)->Add("mo", "Mo Manager", StaffRole::kManager, kPassword).ok());
    ASSERT_TRUE((*accounts)->Add("ada", "Ada Admin", StaffRole::kAdmin, kPassword).ok());
    auto token = (*accounts)->IssueToken(
        "mo", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    ASSERT_TRUE(token.ok());
    token_ = *token;
  }
  void TearDown() override {
    daemon_.reset();
    fs::remove_all(dir_);
  }

  void Start(const std::string& extra = "") {
    std::ofstream(dir_ + "/c.properties")
        << "store.path = c.db\nmailbox.maildir = Maildir\nmailbox.poll-seconds = 1\n"
        << "outbox.kind = pickup\noutbox.pickup-dir = outbox\n"
        << "mail.from = complaints@westway.example\nmail.signing-key-file = key\n"
        << "mail.staff-domains = westway.example\n"
        << "policy.file = " << COMPLAINTSD_SOURCE_DIR << "/config/policies/westway.json\n"
        << "http.listen = 127.0.0.1:" << integration::FreeTcpPort() << "\n"
        << "web.listen = 127.0.0.1:" << web_port_ << "\n"
        << "web.assets-dir = " << COMPLAINTSD_SOURCE_DIR << "/web\n"
        << extra;
    daemon_ = std::make_unique<Child>(
        std::vector<std::string>{kDaemon, "--config", dir_ + "/c.properties"},
        dir_ + "/daemon.log");
    ASSERT_TRUE(WaitFor(
        [&] {
          try {
            return Client(web_port_).Get("/healthz").status == 200;
          } catch (const Poco::Exception&) {
            return false;  // not listening yet
          }
        },
        std::chrono::seconds{20}))
        << integration::ReadFile(dir_ + "/daemon.log");
  }

  // Opens a phone complaint through the workbench as `client`; returns its reference.
  std::string LogPhoneComplaint(Client& client) {
    const Response form = client.Get("/new");
    EXPECT_EQ(form.status, 200);
    const Response r = client.Post("/new", {{"csrf", Client::Csrf(form)},
                                            {"type", "complaint"},
                                            {"channel", "phone"},
                                            {"name", "Jo Bloggs"},
                                            {"email", "jo@example.org"},
                                            {"summary", "Missed repair appointments"}});
    EXPECT_EQ(r.status, 303) << r.body;
    std::smatch m;
    const std::string location = r.Header("location");
    EXPECT_TRUE(std::regex_search(location, m, std::regex("/cases/(WW-[0-9]+-[0-9]+)")))
        << location;
    return m.size() > 1 ? m[1].str() : "";
  }

  // The history of `ref` as the API gives it: "actor action detail" lines.
  std::vector<std::string> History(const std::string& ref) {
    Client api(web_port_);
    const Response r = api.Get("/api/v1/cases/" + ref, {{"Authorization", "Bearer " + token_}});
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    const nlohmann::json c = nlohmann::json::parse(r.body);
    for (const auto& e : c["history"]) {
      out.push_back(e["actor"].get<std::string>() + " " + e["action"].get<std::string>() + " " +
                    e["detail"].get<std::string>());
    }
    return out;
  }
  static ::testing::AssertionResult Mentions(const std::vector<std::string>& lines,
                                             const std::string& text) {
    for (const std::string& l : lines) {
      if (l.find(text) != std::string::npos) return ::testing::AssertionSuccess() << l;
    }
    ::testing::AssertionResult no = ::testing::AssertionFailure();
    no << "'" << text << "' is not in the history:";
    for (const std::string& l : lines) no << "\n  " << l;
    return no;
  }

  std::string dir_;
  int web_port_ = 0;
  std::string token_;
  std::unique_ptr<Child> daemon_;
};

TEST_F(WebTest, WithoutASessionPagesRedirectToLoginAndChangesAreRefused) {
  Start();
  Client anon(web_port_);
  for (const std::string path : {"/", "/cases", "/triage", "/new", "/staff", "/search?q=jo"}) {
    const Response r = anon.Get(path);
    EXPECT_EQ(r.status, 303) << path;
    EXPECT_EQ(r.Header("location"), "/login") << path;
  }
  EXPECT_EQ(anon.Post("/cases/WW-2026-00001/note", {{"text", "x"}}).status, 403);
  EXPECT_EQ(anon.Post("/logout", {}).status, 403);
  EXPECT_EQ(anon.Get("/healthz").status, 200);
  EXPECT_EQ(anon.Get("/assets/complaints.css").status, 200);
  const Response login = anon.Get("/login");
  EXPECT_EQ(login.status, 200);
  EXPECT_NE(login.body.find("name=\"username\""), std::string::npos);
  EXPECT_NE(login.body.find("name=\"password\""), std::string::npos);
  EXPECT_FALSE(Client::Csrf(login).empty());
}

TEST_F(WebTest, LoginGivesAStrictHttpOnlySessionAndLogoutEndsItOnTheServer) {
  Start();
  Client pat(web_port_);
  const Response in = pat.LogIn("pat", kPassword);
  ASSERT_EQ(in.status, 303) << in.body;
  EXPECT_EQ(in.Header("location"), "/");
  std::string session_cookie;
  for (auto [it, end] = in.headers.equal_range("set-cookie"); it != end; ++it) {
    if (it->second.rfind("complaints_session=", 0) == 0) session_cookie = it->second;
  }
  EXPECT_NE(session_cookie.find("HttpOnly"), std::string::npos) << session_cookie;
  EXPECT_NE(session_cookie.find("SameSite=Strict"), std::string::npos) << session_cookie;
  EXPECT_EQ(session_cookie.find("Secure"), std::string::npos) << "plain HTTP: " << session_cookie;

  const Response home = pat.Get("/");
  ASSERT_EQ(home.status, 200);
  const std::string csp = home.Header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("script-src"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(home.Header("x-content-type-options"), "nosniff");
  EXPECT_NE(home.Header("cache-control").find("no-store"), std::string::npos);
  EXPECT_EQ(home.body.find("<script"), std::string::npos);

  const std::string stolen = pat.cookies()["complaints_session"];
  EXPECT_EQ(pat.Post("/logout", {}).status, 403);  // without the CSRF token: still signed in
  EXPECT_EQ(pat.Get("/").status, 200);
  const Response out = pat.Post("/logout", {{"csrf", Client::Csrf(home)}});
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.Header("location"), "/login");
  EXPECT_EQ(pat.Get("/").status, 303);
  // The old cookie, replayed, is dead on the server too.
  Client replay(web_port_);
  replay.cookies()["complaints_session"] = stolen;
  EXPECT_EQ(replay.Get("/cases").status, 303);
}

TEST_F(WebTest, AMissingOrWrongCsrfTokenChangesNothing) {
  Start();
  Client pat(web_port_);
  ASSERT_EQ(pat.LogIn("pat", kPassword).status, 303);
  const std::string ref = LogPhoneComplaint(pat);
  ASSERT_FALSE(ref.empty());
  const Response page = pat.Get("/cases/" + ref);
  ASSERT_EQ(page.status, 200);
  const std::string csrf = Client::Csrf(page);
  EXPECT_EQ(pat.Post("/cases/" + ref + "/note", {{"text", "forged one"}}).status, 403);
  EXPECT_EQ(
      pat.Post("/cases/" + ref + "/note", {{"text", "forged two"}, {"csrf", std::string(64, 'a')}})
          .status,
      403);
  // Another session's token is no good either.
  Client sam(web_port_);
  ASSERT_EQ(sam.LogIn("sam", kPassword).status, 303);
  const std::string sams = Client::Csrf(sam.Get("/cases/" + ref));
  EXPECT_EQ(pat.Post("/cases/" + ref + "/note", {{"text", "forged three"}, {"csrf", sams}}).status,
            403);
  EXPECT_FALSE(Mentions(History(ref), "forged"));
  const Response ok = pat.Post("/cases/" + ref + "/note", {{"text", "genuine"}, {"csrf", csrf}});
  EXPECT_EQ(ok.status, 303) << ok.body;
  EXPECT_TRUE(Mentions(History(ref), "pat note genuine"));
  // The login form's own token: a post without the login cookie's match is refused.
  Client stranger(web_port_);
  EXPECT_EQ(
      stranger
          .Post("/login",
                {{"username", "pat"}, {"password", kPassword}, {"csrf", std::string(64, 'b')}})
          .status,
      403);
}

TEST_F(WebTest, RolesAreEnforcedOnTheServer) {
  Start();
  Client pat(web_port_), mo(web_port_), ada(web_port_);
  ASSERT_EQ(pat.LogIn("pat", kPassword).status, 303);
  ASSERT_EQ(mo.LogIn("mo", kPassword).status, 303);
  ASSERT_EQ(ada.LogIn("ada", kPassword).status, 303);
  const std::string ref = LogPhoneComplaint(pat);
  const std::string csrf = Client::Csrf(pat.Get("/"));

  EXPECT_EQ(pat.Get("/staff").status, 403);
  EXPECT_EQ(pat.Post("/staff/add", {{"csrf", csrf},
                                    {"username", "eve"},
                                    {"name", "Eve"},
                                    {"role", "admin"},
                                    {"password", kPassword}})
                .status,
            403);
  EXPECT_EQ(mo.Get("/staff").status, 403);
  const Response staff = ada.Get("/staff");
  EXPECT_EQ(staff.status, 200);
  EXPECT_EQ(staff.body.find("eve"), std::string::npos);  // nobody was added

  // An officer may take an unassigned case, not give it to someone else or take it back.
  EXPECT_EQ(pat.Post("/cases/" + ref + "/assign", {{"csrf", csrf}, {"handler", "sam"}}).status,
            403);
  EXPECT_FALSE(Mentions(History(ref), "sam"));
  EXPECT_EQ(pat.Post("/cases/" + ref + "/assign", {{"csrf", csrf}, {"handler", "pat"}}).status,
            303);
  const std::string mo_csrf = Client::Csrf(mo.Get("/"));
  EXPECT_EQ(mo.Post("/cases/" + ref + "/assign", {{"csrf", mo_csrf}, {"handler", "sam"}}).status,
            303);
  EXPECT_TRUE(Mentions(History(ref), "mo assign"));
  Client sam(web_port_);
  ASSERT_EQ(sam.LogIn("sam", kPassword).status, 303);
  EXPECT_EQ(pat.Post("/cases/" + ref + "/assign", {{"csrf", csrf}, {"handler", "pat"}}).status,
            403);

  // An admin disables an officer: the officer's session ends at once.
  const std::string ada_csrf = Client::Csrf(staff);
  EXPECT_EQ(ada.Post("/staff/disable", {{"csrf", ada_csrf}, {"username", "sam"}}).status, 200);
  EXPECT_EQ(sam.Get("/cases").status, 303);
}

TEST_F(WebTest, AnExpiredSessionIsRefusedAndALockedAccountCannotSignIn) {
  Start();
  Client pat(web_port_);
  ASSERT_EQ(pat.LogIn("pat", kPassword).status, 303);
  ASSERT_EQ(pat.Get("/").status, 200);
  const std::string csrf = Client::Csrf(pat.Get("/"));
  {  // Forty minutes pass without a click (the idle limit is thirty).
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ + "/c.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ASSERT_EQ(sqlite3_exec(db,
                           "UPDATE staff_sessions SET last_seen_at = last_seen_at - 2400, "
                           "started_at = started_at - 2400",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  EXPECT_EQ(pat.Get("/").status, 303);
  EXPECT_EQ(pat.Post("/new", {{"csrf", csrf}, {"type", "complaint"}}).status, 403);

  Client mallory(web_port_);
  const auto started = std::chrono::steady_clock::now();
  for (int i = 1; i <= 5; ++i) {
    const Response r = mallory.LogIn("sam", "guess number " + std::to_string(i));
    EXPECT_EQ(r.status, 401);
    // The fifth failure locks the account (web.lock-after = 5).
    EXPECT_NE(r.body.find(i < 5 ? "not right" : "locked"), std::string::npos) << i;
  }
  // Each failure costs more: 0.2 + 0.4 + 0.6 + 0.8 + 1.0 seconds at least.
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds{2900});
  Client sam(web_port_);
  const Response locked = sam.LogIn("sam", kPassword);
  EXPECT_EQ(locked.status, 401);
  EXPECT_NE(locked.body.find("locked"), std::string::npos);
  EXPECT_EQ(sam.Get("/").status, 303);
  // Others are not locked out by it.
  EXPECT_EQ(Client(web_port_).LogIn("pat", kPassword).status, 303);
}

TEST_F(WebTest, TheApiNeedsAValidBearerTokenAndIsReadOnly) {
  Start();
  Client pat(web_port_);
  ASSERT_EQ(pat.LogIn("pat", kPassword).status, 303);
  const std::string ref = LogPhoneComplaint(pat);
  Client api(web_port_);
  const Response none = api.Get("/api/v1/cases?status=open");
  EXPECT_EQ(none.status, 401);
  EXPECT_NE(none.Header("www-authenticate").find("Bearer"), std::string::npos);
  EXPECT_EQ(none.body.find(ref), std::string::npos);
  const Response wrong =
      api.Get("/api/v1/cases?status=open", {{"Authorization", "Bearer " + std::string(64, 'f')}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(api.Get("/api/v1/cases", {{"Authorization", "Basic " + token_}}).status, 401);
  // A session cookie is not a token.
  EXPECT_EQ(pat.Get("/api/v1/cases").status, 401);

  const Response list =
      api.Get("/api/v1/cases?status=open", {{"Authorization", "Bearer " + token_}});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.Header("content-type").find("application/json"), std::string::npos);
  const nlohmann::json cases = nlohmann::json::parse(list.body);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0]["reference"], ref);
  EXPECT_EQ(cases[0]["status"], "open");
  EXPECT_EQ(cases[0]["type"], "complaint");
  const Response one = api.Get("/api/v1/cases/" + ref, {{"Authorization", "Bearer " + token_}});
  ASSERT_EQ(one.status, 200);
  const nlohmann::json c = nlohmann::json::parse(one.body);
  EXPECT_FALSE(c["deadlines"].empty());
  EXPECT_FALSE(c["history"].empty());
  EXPECT_EQ(api.Get("/api/v1/cases/WW-1999-99999", {{"Authorization", "Bearer " + token_}}).status,
            404);
}

TEST_F(WebTest, TwoOfficersOnOneCaseSeeEachOtherAndAStalePageIsRefused) {
  Start();
  Client pat(web_port_), sam(web_port_);
  ASSERT_EQ(pat.LogIn("pat", kPassword).status, 303);
  ASSERT_EQ(sam.LogIn("sam", kPassword).status, 303);
  const std::string ref = LogPhoneComplaint(pat);
  const Response pats = pat.Get("/cases/" + ref);
  const Response sams = sam.Get("/cases/" + ref);
  EXPECT_NE(sams.body.find("id=\"presence\""), std::string::npos);
  EXPECT_NE(sams.body.find("Pat Officer"), std::string::npos);
  auto hidden = [](const Response& page, const std::string& name) {
    std::smatch m;
    std::regex_search(page.body, m, std::regex("name=\"" + name + "\" value=\"([0-9]+)\""));
    return m.size() > 1 ? m[1].str() : "";
  };
  ASSERT_FALSE(hidden(pats, "version").empty());
  const Response first =
      pat.Post("/cases/" + ref + "/define", {{"csrf", Client::Csrf(pats)},
                                             {"version", hidden(pats, "version")},
                                             {"seen", hidden(pats, "seen")},
                                             {"definition", "Two missed repair appointments"}});
  EXPECT_EQ(first.status, 303) << first.body;
  const Response second =
      sam.Post("/cases/" + ref + "/define", {{"csrf", Client::Csrf(sams)},
                                             {"version", hidden(sams, "version")},
                                             {"seen", hidden(sams, "seen")},
                                             {"definition", "Something else"}});
  EXPECT_EQ(second.status, 409);
  EXPECT_NE(second.body.find("changed since you loaded it"), std::string::npos);
  EXPECT_NE(second.body.find("pat"), std::string::npos);  // who, and what they did
  const std::vector<std::string> history = History(ref);
  EXPECT_TRUE(Mentions(history, "Two missed repair appointments"));
  EXPECT_FALSE(Mentions(history, "Something else"));
}

TEST_F(WebTest, AStaffActionAndAnIncomingReplyInTheSameSecondAreBothRecorded) {
  Start();
  Client pat(web_port_);
  ASSERT_EQ(pat.LogIn("pat", kPassword).status, 303);
  const std::string ref = LogPhoneComplaint(pat);
  const std::string csrf = Client::Csrf(pat.Get("/"));
  // The resident's reply lands while the officer adds notes as fast as the app takes them.
  const std::string tmp = dir_ + "/Maildir/reply.tmp";
  std::ofstream(tmp) << "From: Jo Bloggs <jo@example.org>\r\nTo: complaints@westway.example\r\n"
                     << "Subject: Re: [" << ref << "] your complaint\r\n"
                     << "Message-ID: <reply-1@example.org>\r\n"
                     << "Date: Mon, 16 Nov 2026 08:42:10 +0000\r\n\r\n"
                     << "Here are the photos you asked for. Jo\r\n";
  fs::rename(tmp, dir_ + "/Maildir/new/1.reply.host");
  int notes = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{4};
  while (std::chrono::steady_clock::now() < until) {
    const Response r = pat.Post("/cases/" + ref + "/note",
                                {{"csrf", csrf}, {"text", "note " + std::to_string(notes)}});
    ASSERT_EQ(r.status, 303) << r.body;
    ++notes;
  }
  ASSERT_TRUE(WaitFor([&] { return integration::MaildirFiles(dir_ + "/Maildir/.Processed") == 1; },
                      std::chrono::seconds{20}))
      << integration::ReadFile(dir_ + "/daemon.log");
  const std::vector<std::string> history = History(ref);
  for (int i = 0; i < notes; ++i) {
    EXPECT_TRUE(Mentions(history, "pat note note " + std::to_string(i))) << i;
  }
  EXPECT_TRUE(Mentions(history, "complaintsd message_received from the resident"));
  const Response page = pat.Get("/cases/" + ref);
  EXPECT_NE(page.body.find("Here are the photos you asked for"), std::string::npos);
  std::printf("%d notes recorded beside the reply\n", notes);
}

TEST_F(WebTest, AProxysUserHeaderIsBelievedOnlyFromAConfiguredProxy) {
  Start("web.proxy-user-header = X-Forwarded-User\nweb.trusted-proxies = 192.0.2.10\n");
  Client direct(web_port_);
  EXPECT_EQ(direct.Get("/", {{"X-Forwarded-User", "ada"}}).status, 303);
  EXPECT_EQ(direct.Get("/staff", {{"X-Forwarded-User", "ada"}}).status, 303);
}

TEST_F(WebTest, AConfiguredProxysUserIsSignedInAndItsHttpsMakesTheCookieSecure) {
  Start("web.proxy-user-header = X-Forwarded-User\nweb.trusted-proxies = 127.0.0.1\n");
  Client proxied(web_port_);
  const Response r = proxied.Get("/", {{"X-Forwarded-User", "mo"}, {"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Mo Manager"), std::string::npos);
  EXPECT_NE(r.Header("set-cookie").find("Secure"), std::string::npos) << r.Header("set-cookie");
  Client unknown(web_port_);
  EXPECT_EQ(unknown.Get("/", {{"X-Forwarded-User", "nobody"}}).status, 303);
}

TEST_F(WebTest, TheReportsPageShowsTheTsmMeasuresFromTheStore) {
  Start("landlord.homes = 2020-04-01:4000\n");
  Client pat(web_port_);
  ASSERT_EQ(pat.LogIn("pat", kPassword).status, 303);
  LogPhoneComplaint(pat);
  LogPhoneComplaint(pat);
  const Response r = pat.Get("/reports");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("CH01(1)"), std::string::npos);
  EXPECT_NE(r.body.find("2 received"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(">0.5<"), std::string::npos);  // 2 per 4,000 homes, per 1,000
  EXPECT_NE(r.body.find("For 4000 homes"), std::string::npos);
  EXPECT_EQ(pat.Get("/reports?year=abc").status, 422);
}

TEST_F(WebTest, EveryReadOfACaseIsLoggedAndAReadThatCannotBeLoggedIsRefused) {
  Start();
  Client pat(web_port_);
  ASSERT_EQ(pat.LogIn("pat", kPassword).status, 303);
  const std::string ref = LogPhoneComplaint(pat);
  const Response page = pat.Get("/cases/" + ref);
  ASSERT_EQ(page.status, 200);
  ASSERT_NE(page.body.find("Missed repair appointments"), std::string::npos);
  Client api(web_port_);
  ASSERT_EQ(api.Get("/api/v1/cases/" + ref, {{"Authorization", "Bearer " + token_}}).status, 200);

  // complaintsctl person access-log: who read Jo's case, how and when.
  std::ostringstream out, err;
  ASSERT_EQ(
      RunCtl({"--db", dir_ + "/c.db", "person", "access-log", "--email=jo@example.org", "--json"},
             out, err),
      0)
      << err.str();
  std::vector<std::string> reads;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json r = nlohmann::json::parse(line);
    EXPECT_EQ(r["case"], ref);
    reads.push_back(r["actor"].get<std::string>() + " " + r["channel"].get<std::string>() + " " +
                    r["what"].get<std::string>());
  }
  EXPECT_EQ(reads, (std::vector<std::string>{"pat workbench case", "mo api case"})) << out.str();

  // The log cannot be written (a full disk, say): the case is not shown, on the page or the API.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/c.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER access_log_full BEFORE INSERT ON access_log "
                         "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const Response refused = pat.Get("/cases/" + ref);
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.body.find("Missed repair appointments"), std::string::npos);
  EXPECT_NE(refused.body.find("access log"), std::string::npos);
  const Response api_refused =
      api.Get("/api/v1/cases/" + ref, {{"Authorization", "Bearer " + token_}});
  EXPECT_EQ(api_refused.status, 503);
  EXPECT_EQ(api_refused.body.find("Missed repair appointments"), std::string::npos);
}

// A legal hold shows on the case page, in the API and in complaintsctl cases show, and goes when
// it is released.
TEST_F(WebTest, ALegalHoldIsShownWhereverTheCaseIsReadUntilReleased) {
  Start();
  Client pat(web_port_);
  ASSERT_EQ(pat.LogIn("pat", kPassword).status, 303);
  const std::string ref = LogPhoneComplaint(pat);
  const auto ctl = [&](std::vector<std::string> args) {
    std::ostringstream out, err;
    args.insert(args.begin(), {"--db", dir_ + "/c.db"});
    EXPECT_EQ(RunCtl(args, out, err), 0) << err.str();
    return out.str();
  };
  const auto api = [&] {
    Client client(web_port_);
    const Response r = client.Get("/api/v1/cases/" + ref, {{"Authorization", "Bearer " + token_}});
    EXPECT_EQ(r.status, 200) << r.body;
    return nlohmann::json::parse(r.body);
  };
  EXPECT_EQ(pat.Get("/cases/" + ref).body.find("id=\"legal-hold\""), std::string::npos);
  EXPECT_TRUE(api()["legal_hold"].is_null());
  EXPECT_EQ(ctl({"cases", "show", ref}).find("LEGAL HOLD"), std::string::npos);

  ctl({"cases", "hold", ref, "--reason=Disrepair claim <N0123>", "--as=mo"});
  const Response page = pat.Get("/cases/" + ref);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"legal-hold\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Disrepair claim &lt;N0123&gt;"), std::string::npos);  // escaped
  const nlohmann::json held = api()["legal_hold"];
  ASSERT_TRUE(held.is_object()) << held;
  EXPECT_EQ(held["reason"], "Disrepair claim <N0123>");
  EXPECT_EQ(held["by"], "mo");
  const std::string shown = ctl({"cases", "show", ref});
  EXPECT_NE(shown.find("LEGAL HOLD since "), std::string::npos) << shown;
  EXPECT_NE(shown.find("by mo: Disrepair claim <N0123>"), std::string::npos) << shown;
  const nlohmann::json json = nlohmann::json::parse(ctl({"cases", "show", ref, "--json"}));
  EXPECT_EQ(json["legal_hold"]["reason"], "Disrepair claim <N0123>");

  ctl({"cases", "unhold", ref, "--reason=claim settled", "--as=mo"});
  EXPECT_EQ(pat.Get("/cases/" + ref).body.find("id=\"legal-hold\""), std::string::npos);
  EXPECT_TRUE(api()["legal_hold"].is_null());
  EXPECT_TRUE(nlohmann::json::parse(ctl({"cases", "show", ref, "--json"}))["legal_hold"].is_null());
}

}  // namespace
}  // namespace complaints
