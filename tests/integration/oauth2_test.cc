// OAuth2 end to end: complaintsd's own token fetching (Microsoft client credentials with a secret
// or a certificate's signed assertion, Microsoft device-code login with a rotating refresh token,
// Google's service account) against a real token endpoint (oauth2_endpoint.py, which checks the
// grant, client, assertion signature and scope), and real XOAUTH2 logins: Dovecot's oauth2 passdb
// and aiosmtpd both ask that endpoint's introspection whether each token is good. Then
// complaintsctl's `oauth2 token` and `mailbox test` against the same servers.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "daemon/credentials/oauth2_tokens.h"
#include "daemon/intake/imap_source.h"
#include "daemon/outgoing/smtp_transport.h"
#include "tests/integration/dovecot.h"
#include "tests/integration/oauth2_provider.h"
#include "tests/integration/processes.h"

namespace complaints {
namespace {

namespace fs = std::filesystem;
using integration::Dovecot;
using integration::OAuth2Provider;
using integration::ReadFile;
using integration::SmtpSink;
using integration::TempDir;
using std::chrono::seconds;

const std::string kUser = "complaints@ha.example";
const std::string kClient = "8f1d2c3b-app";
const std::string kSecret = "cs~Q8x-S3cretValue.that-never-shows";
const std::string kRefresh = "rt-initial-S3cret-refresh";
const std::string kAppScope = "https://outlook.office365.com/.default";
const std::string kDelegatedScope =
    "offline_access https://outlook.office.com/IMAP.AccessAsUser.All "
    "https://outlook.office.com/SMTP.Send";
const std::string kServiceAccount = "complaintsd@ha-mail.iam.gserviceaccount.com";
const std::string kCtl = COMPLAINTSD_BINARY_DIR "/daemon/complaintsctl";

// The wall clock, or a time the test moves (the token cache's view; the endpoint keeps real time).
class TestClock : public Clock {
 public:
  std::chrono::sys_seconds Now() const override {
    return std::chrono::floor<seconds>(std::chrono::system_clock::now()) + offset;
  }
  seconds offset{0};
};

void Shell(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

// One provider, Dovecot and SMTP server for the whole binary; each test resets the provider.
struct Servers {
  std::string dir;
  std::unique_ptr<OAuth2Provider> provider;
  std::unique_ptr<Dovecot> dovecot;
  std::unique_ptr<SmtpSink> smtp;
};
Servers* servers = nullptr;

class OAuth2Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    servers = new Servers;
    Servers& s = *servers;
    s.dir = TempDir("oauth2");
    // The app's certificate (uploaded to the provider), and one the provider never saw that
    // expires in 10 days.
    for (const auto& [name, days] : {std::pair{"app", 365}, std::pair{"short", 10}}) {
      Shell("openssl req -x509 -newkey rsa:2048 -nodes -days " + std::to_string(days) +
            " -subj /CN=complaintsd-" + name + " -keyout " + s.dir + "/" + name + ".key -out " +
            s.dir + "/" + name + ".pem 2>/dev/null");
    }
    Shell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + s.dir +
          "/sa.key 2>/dev/null");
    const nlohmann::json key = {{"type", "service_account"},
                                {"client_email", kServiceAccount},
                                {"private_key_id", "kid-42"},
                                {"private_key", ReadFile(s.dir + "/sa.key")}};
    std::ofstream(s.dir + "/sa.json") << key.dump();
    chmod((s.dir + "/sa.json").c_str(), 0600);
    const nlohmann::json config = {{"client_id", kClient},
                                   {"client_secret", kSecret},
                                   {"certificate", s.dir + "/app.pem"},
                                   {"scope", kAppScope},
                                   {"delegated_scope", kDelegatedScope},
                                   {"user", kUser},
                                   {"google",
                                    {{"email", kServiceAccount},
                                     {"key_file", s.dir + "/sa.json"},
                                     {"scope", "https://mail.google.com/"},
                                     {"user", kUser}}},
                                   {"lifetime", 3600},
                                   {"refresh_token", kRefresh},
                                   {"rotate", true},
                                   {"pending_polls", 1}};
    s.provider = std::make_unique<OAuth2Provider>(s.dir + "/provider", config.dump());
    Dovecot::Options options;
    options.oauth2_introspection_url = s.provider->url("/introspect");
    s.dovecot = std::make_unique<Dovecot>(s.dir + "/dovecot", options);
    s.smtp = std::make_unique<SmtpSink>(
        s.dir + "/smtp", 0, std::vector<std::string>{"--xoauth2", s.provider->url("/introspect")});
  }
  static void TearDownTestSuite() {
    const std::string d = servers->dir;
    delete servers;
    servers = nullptr;
    fs::remove_all(d);
  }
  void SetUp() override {
    provider().Accept();
    provider().SetLifetime(0);
  }

  OAuth2Provider& provider() { return *servers->provider; }
  const std::string& dir() { return servers->dir; }

  OAuth2Settings Microsoft() {
    OAuth2Settings s;
    s.provider = "microsoft";
    s.flow = "client-credentials";
    s.tenant = "ha-example";
    s.client_id = kClient;
    s.client_secret = kSecret;
    s.user = kUser;
    s.token_url = provider().url("/token");
    return s;
  }
  std::shared_ptr<OAuth2Tokens> Tokens(OAuth2Settings s, OAuth2Tokens::Warn warn = {}) {
    return std::make_shared<OAuth2Tokens>(std::move(s), std::make_unique<CurlTokenEndpoint>(),
                                          clock_, std::move(warn));
  }
  ImapSettings Imap(const std::shared_ptr<OAuth2Tokens>& tokens) {
    ImapSettings s;
    s.url = servers->dovecot->url();
    s.user = kUser;
    s.require_tls = false;
    s.timeout = seconds{20};
    s.bearer_token_source = OAuth2Tokens::AsSource(tokens);
    s.bearer_token_refused = [tokens] { tokens->Forget(); };
    return s;
  }
  Result<uint32_t> Login(const std::shared_ptr<OAuth2Tokens>& tokens) {
    ImapSource source(Imap(tokens));  // a new connection each time
    return source.Open();
  }
  // How many of the provider's events hold `mark`.
  int Count(const std::string& mark) {
    int n = 0;
    for (const std::string& e : provider().Events()) n += e.find(mark) != std::string::npos;
    return n;
  }
  // The introspection answers Dovecot and aiosmtpd got: how many said the token was good.
  int Introspected(bool ok) {
    return Count(std::string("\"path\": \"/introspect\", \"ok\": ") + (ok ? "true" : "false"));
  }
  void ExpectNoSecret(const std::string& text) {
    for (const std::string& secret :
         {kSecret, kRefresh, provider().RefreshToken(), std::string("at-"),
          std::string("PRIVATE KEY"), std::string("eyJ")}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << "'" << secret << "' in: " << text;
    }
  }

  TestClock clock_;
};

TEST_F(OAuth2Test, ClientSecretTokenLogsInAndIsReusedUntilNearExpiry) {
  auto tokens = Tokens(Microsoft());
  const int issued = provider().Issued(), good = Introspected(true);
  ASSERT_TRUE(Login(tokens).ok()) << Login(tokens).error();
  EXPECT_EQ(provider().Issued(), issued + 1);
  EXPECT_EQ(Introspected(true), good + 1);  // Dovecot asked, and the token was good
  // Another connection a few minutes later: the same token, no new grant.
  clock_.offset = seconds{600};
  ASSERT_TRUE(Login(tokens).ok());
  EXPECT_EQ(provider().Issued(), issued + 1);
  // Within the refresh margin (300 s) of its hour: a fresh one, before the old one runs out.
  clock_.offset = seconds{3600 - 299};
  ASSERT_TRUE(Login(tokens).ok());
  EXPECT_EQ(provider().Issued(), issued + 2);
}

// The server stops taking a token (it expired there first): the login is refused, the cached
// token is dropped, and the next connection gets a fresh one and works.
TEST_F(OAuth2Test, ATokenTheServerRefusesIsReplacedAtTheNextConnection) {
  provider().SetLifetime(2);
  OAuth2Settings s = Microsoft();
  s.refresh_margin = seconds{0};
  auto tokens = Tokens(s);
  ASSERT_TRUE(Login(tokens).ok());
  const int issued = provider().Issued();
  std::this_thread::sleep_for(std::chrono::milliseconds{2600});
  // This cache's clock stands still: it still believes in the token; Dovecot does not.
  clock_.offset = -seconds{10};
  Result<uint32_t> refused = Login(tokens);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("refused the XOAUTH2 token"), std::string::npos)
      << refused.error();
  EXPECT_EQ(provider().Issued(), issued);
  provider().SetLifetime(0);
  ASSERT_TRUE(Login(tokens).ok());
  EXPECT_EQ(provider().Issued(), issued + 1);
}

// Real time: a token that lives 3 s is renewed after it has (nearly) run out.
TEST_F(OAuth2Test, AnExpiredTokenIsRefreshed) {
  provider().SetLifetime(3);
  OAuth2Settings s = Microsoft();
  s.refresh_margin = seconds{1};
  auto tokens = Tokens(s);
  const int issued = provider().Issued(), refused = Introspected(false);
  ASSERT_TRUE(Login(tokens).ok());
  ASSERT_TRUE(Login(tokens).ok());
  EXPECT_EQ(provider().Issued(), issued + 1);
  std::this_thread::sleep_for(std::chrono::milliseconds{2500});
  Result<uint32_t> later = Login(tokens);
  ASSERT_TRUE(later.ok()) << later.error();
  EXPECT_EQ(provider().Issued(), issued + 2);
  EXPECT_EQ(Introspected(false), refused);  // renewed before the server saw it expire
}

TEST_F(OAuth2Test, ACertificatesSignedAssertionIsVerifiedByTheProvider) {
  OAuth2Settings s = Microsoft();
  s.client_secret.clear();
  s.certificate_pem = ReadFile(dir() + "/app.pem");
  s.private_key_pem = ReadFile(dir() + "/app.key");
  std::vector<std::string> warnings;
  auto tokens = Tokens(s, [&](const std::string& w) { warnings.push_back(w); });
  const int verified = Count("\"assertion\": \"verified\"");
  Result<uint32_t> opened = Login(tokens);
  ASSERT_TRUE(opened.ok()) << opened.error();
  EXPECT_EQ(Count("\"assertion\": \"verified\""), verified + 1);
  EXPECT_TRUE(warnings.empty());  // a year left
  EXPECT_FALSE(tokens->CertificateWarning());

  // A certificate the app does not know (and 10 days from expiry): refused, and warned about.
  s.certificate_pem = ReadFile(dir() + "/short.pem");
  s.private_key_pem = ReadFile(dir() + "/short.key");
  auto unknown = Tokens(s, [&](const std::string& w) { warnings.push_back(w); });
  Result<uint32_t> refused = Login(unknown);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("invalid_client"), std::string::npos) << refused.error();
  EXPECT_NE(refused.error().find("bad signature"), std::string::npos) << refused.error();
  EXPECT_NE(refused.error().find("upload it under Certificates & secrets"), std::string::npos);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("expires on"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("in 10 days"), std::string::npos) << warnings[0];
  ExpectNoSecret(refused.error() + warnings[0]);
}

TEST_F(OAuth2Test, ARefusedGrantIsAnErrorAPersonCanActOn) {
  auto tokens = Tokens(Microsoft());
  provider().Refuse("invalid_client");
  const size_t asked = provider().Events().size();
  Result<uint32_t> refused = Login(tokens);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("XOAUTH2 token: the provider refused the grant: invalid_client"),
            std::string::npos)
      << refused.error();
  EXPECT_NE(refused.error().find("the client secret is wrong or has expired"), std::string::npos);
  ExpectNoSecret(refused.error());
  // The same answer for a minute without asking the provider again (no hammering).
  EXPECT_FALSE(Login(tokens).ok());
  EXPECT_EQ(provider().Events().size(), asked + 1);
  // Put right: after the pause, it works.
  provider().Accept();
  clock_.offset = seconds{61};
  ASSERT_TRUE(Login(tokens).ok());
}

TEST_F(OAuth2Test, DeviceCodeLoginKeepsTheRefreshTokenAndKeepsItRotated) {
  OAuth2Settings s = Microsoft();
  s.flow = "device-code";
  s.client_secret.clear();
  s.refresh_token_file = dir() + "/state/oauth2-refresh-token";
  fs::create_directories(dir() + "/state");
  CurlTokenEndpoint endpoint;
  DeviceLoginPrompt shown;
  int slept = 0;
  Status login = DeviceLogin(
      s, endpoint, [&](const DeviceLoginPrompt& p) { shown = p; }, [&](seconds) { ++slept; });
  ASSERT_TRUE(login.ok()) << login.error();
  EXPECT_EQ(shown.user_code, "HA7-TEST");
  EXPECT_NE(shown.message.find(provider().url("/device")), std::string::npos);
  EXPECT_EQ(slept, 2);  // once pending, then signed in
  struct stat st {};
  ASSERT_EQ(stat(s.refresh_token_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadFile(s.refresh_token_file), kRefresh + "\n");

  // The daemon's side: a refresh grant, and the new refresh token the provider returns is kept.
  auto tokens = Tokens(s);
  ASSERT_TRUE(Login(tokens).ok());
  const std::string rotated = provider().RefreshToken();
  EXPECT_NE(rotated, kRefresh);
  EXPECT_EQ(ReadFile(s.refresh_token_file), rotated + "\n");
  ASSERT_EQ(stat(s.refresh_token_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Later, the old one is useless and the kept one works.
  clock_.offset = seconds{3600};
  ASSERT_TRUE(Login(tokens).ok());
  EXPECT_NE(provider().RefreshToken(), rotated);

  // Consent withdrawn: the admin is told to sign in again.
  provider().Refuse("invalid_grant");
  clock_.offset = seconds{7200};
  Result<uint32_t> refused = Login(tokens);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("run 'complaintsctl mailbox login --config FILE' again"),
            std::string::npos)
      << refused.error();
  ExpectNoSecret(refused.error());
}

TEST_F(OAuth2Test, GoogleServiceAccountGrantNamesTheMailboxUser) {
  OAuth2Settings s;
  s.provider = "google";
  s.flow = "service-account";
  s.service_account_json = ReadFile(dir() + "/sa.json");
  s.user = kUser;
  s.token_url = provider().url("/token");
  EXPECT_EQ(OAuth2Scope(s), "https://mail.google.com/");
  const int verified = Count("\"grant\": \"jwt-bearer\", \"ok\": true, \"assertion\"");
  Result<uint32_t> opened = Login(Tokens(s));
  ASSERT_TRUE(opened.ok()) << opened.error();
  EXPECT_EQ(Count("\"grant\": \"jwt-bearer\", \"ok\": true, \"assertion\""), verified + 1);
  // Delegation covers this user only.
  s.user = "someone.else@ha.example";
  Result<uint32_t> other = Login(Tokens(s));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().find("unauthorized_client"), std::string::npos) << other.error();
  EXPECT_NE(other.error().find("domain-wide delegation"), std::string::npos) << other.error();
  ExpectNoSecret(other.error());
}

TEST_F(OAuth2Test, SmtpAuthenticatesWithXoauth2) {
  auto tokens = Tokens(Microsoft());
  SmtpSettings s;
  s.url = "smtp://127.0.0.1:" + std::to_string(servers->smtp->port());
  s.require_tls = false;
  s.helo_name = "ha.example";
  s.user = kUser;
  s.bearer_token_source = OAuth2Tokens::AsSource(tokens);
  bool forgot = false;
  s.bearer_token_refused = [&] { forgot = true; };
  OutboxItem item;
  item.envelope_from = kUser;
  item.recipients = {"jo@example.org"};
  item.raw = "From: " + kUser + "\r\nTo: jo@example.org\r\nSubject: t\r\n\r\nhello\r\n";
  const size_t before = servers->smtp->Messages().size();
  const SendOutcome sent = SmtpTransport(s).Send(item);
  ASSERT_EQ(sent.kind, SendOutcome::Kind::kSent) << sent.detail;
  EXPECT_EQ(servers->smtp->Messages().size(), before + 1);
  EXPECT_TRUE(SmtpTransport(s).CheckLogin().ok());
  EXPECT_NE(ReadFile(dir() + "/smtp/auth.log").find(kUser + " ok"), std::string::npos);
  // A token the server does not take: retried later, the cache told, nothing sent.
  s.bearer_token_source = [] { return Result<std::string>("at-not-a-real-token"); };
  const SendOutcome refused = SmtpTransport(s).Send(item);
  EXPECT_EQ(refused.kind, SendOutcome::Kind::kTemporary) << refused.detail;
  EXPECT_TRUE(forgot);
  EXPECT_EQ(servers->smtp->Messages().size(), before + 1);
}

// complaintsctl as a landlord's IT person runs it, with the daemon's configuration file.
class OAuth2CtlTest : public OAuth2Test {
 protected:
  std::string WriteConfig(const std::string& name, const std::string& extra) {
    const std::string d = dir() + "/" + name;
    fs::create_directories(d);
    std::ofstream(d + "/key") << "signing-key\n";
    std::ofstream(d + "/client-secret") << kSecret << "\n";
    chmod((d + "/key").c_str(), 0600);
    chmod((d + "/client-secret").c_str(), 0600);
    std::ofstream(d + "/model.bin") << "unused by these commands";
    std::ofstream(d + "/c.properties")
        << "store.path = c.db\nclassifier.model = model.bin\nletters.enabled = false\n"
        << "mail.signing-key-file = key\nmail.from = " << kUser << "\n"
        << "mailbox.kind = imap\nmailbox.url = " << servers->dovecot->url() << "\n"
        << "mailbox.user = " << kUser << "\nmailbox.starttls = false\nmailbox.auth = oauth2\n"
        << "outbox.kind = smtp\nsmtp.url = smtp://127.0.0.1:" << servers->smtp->port() << "\n"
        << "smtp.starttls = false\nsmtp.auth = oauth2\n"
        << "oauth2.provider = microsoft\noauth2.tenant = ha-example\noauth2.client-id = " << kClient
        << "\noauth2.client-secret-file = client-secret\n"
        << "oauth2.token-url = " << provider().url("/token") << "\n"
        << extra;
    return d + "/c.properties";
  }
  struct Ran {
    int code;
    std::string out, err;
  };
  Ran Ctl(const std::string& args) {
    const std::string base = dir() + "/ctl";
    const int status =
        std::system((kCtl + " " + args + " >" + base + ".out 2>" + base + ".err").c_str());
    return {WEXITSTATUS(status), ReadFile(base + ".out"), ReadFile(base + ".err")};
  }
};

TEST_F(OAuth2CtlTest, Oauth2TokenSaysOkAndTheExpiryButNeverTheToken) {
  const std::string config = WriteConfig("ctl_token", "");
  Ran ok = Ctl("oauth2 token --config " + config);
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_TRUE(std::regex_match(ok.out, std::regex("ok expires_in=(3599|3600)\n"))) << ok.out;
  ExpectNoSecret(ok.out + ok.err);

  provider().Refuse("invalid_client");
  Ran refused = Ctl("--config " + config + " oauth2 token");
  EXPECT_EQ(refused.code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_NE(refused.err.find("invalid_client (refused on demand)"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("oauth2.client-secret-file"), std::string::npos) << refused.err;
  ExpectNoSecret(refused.out + refused.err);

  Ran usage = Ctl("oauth2 token");
  EXPECT_EQ(usage.code, 2);
}

TEST_F(OAuth2CtlTest, MailboxTestSaysWhatWorked) {
  const std::string config = WriteConfig("ctl_mailbox", "");
  servers->dovecot->Deliver(kUser, "From: a@example.org\r\nSubject: one\r\n\r\nx\r\n");
  servers->dovecot->Deliver(kUser, "From: b@example.org\r\nSubject: two\r\n\r\ny\r\n");
  const std::string quarantine = servers->dovecot->Maildir(kUser) + "/.Quarantine";
  for (const char* sub : {"/cur", "/new", "/tmp"}) fs::create_directories(quarantine + sub);
  if (geteuid() == 0) Shell("chown -R dovecot: " + quarantine);
  Ran ok = Ctl("mailbox test --config " + config);
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("imap: logged in to imap://" + kUser + "@127.0.0.1:"), std::string::npos)
      << ok.out;
  EXPECT_NE(ok.out.find("(XOAUTH2); it holds 2 messages"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("folder 'Processed': missing"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("folder 'Quarantine': present"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("smtp: authenticated to smtp://127.0.0.1:" +
                        std::to_string(servers->smtp->port()) + " as " + kUser + " (XOAUTH2)"),
            std::string::npos)
      << ok.out;
  ExpectNoSecret(ok.out + ok.err);

  provider().Refuse("invalid_client");
  Ran refused = Ctl("mailbox test --config " + config);
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.out.find("imap: FAILED: "), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("smtp: FAILED: XOAUTH2 token: the provider refused the grant: "
                             "invalid_client"),
            std::string::npos)
      << refused.out;
  ExpectNoSecret(refused.out + refused.err);
}

TEST_F(OAuth2CtlTest, MailboxLoginKeepsTheRefreshTokenInTheStateDirectory) {
  const std::string config = WriteConfig("ctl_login", "oauth2.flow = device-code\n");
  Ran login = Ctl("mailbox login --config " + config);
  EXPECT_EQ(login.code, 0) << login.err;
  EXPECT_NE(login.out.find("enter the code HA7-TEST"), std::string::npos) << login.out;
  const std::string kept = dir() + "/ctl_login/oauth2-refresh-token";
  EXPECT_NE(login.out.find("kept in " + kept + " (mode 0600)"), std::string::npos) << login.out;
  EXPECT_EQ(ReadFile(kept), provider().RefreshToken() + "\n");
  ExpectNoSecret(login.out + login.err);
  Ran token = Ctl("oauth2 token --config " + config);
  EXPECT_EQ(token.code, 0) << token.err;
  EXPECT_EQ(ReadFile(kept), provider().RefreshToken() + "\n");  // rotated and kept
  Ran test = Ctl("mailbox test --config " + config);
  EXPECT_EQ(test.code, 0) << test.out << test.err;
}

// complaintsd itself on the OAuth2 mailbox: it reads and answers mail over XOAUTH2 (IMAP and
// SMTP), and a refused grant is a mailbox outage that /healthz and the admin's email explain. Its
// log never holds a secret.
class OAuth2DaemonTest : public OAuth2CtlTest {
 protected:
  std::string Start(const std::string& name, const std::string& extra) {
    http_port_ = integration::FreeTcpPort();
    const std::string config =
        WriteConfig(name,
                    "mailbox.poll-seconds = 1\nmail.admin = it@ha.example\n"
                    "mailbox.outage-alert-seconds = 1\nhttp.listen = 127.0.0.1:" +
                        std::to_string(http_port_) +
                        "\nweb.listen = 127.0.0.1:0\n"  // the workbench on a free port
                        "policy.file = " +
                        COMPLAINTSD_SOURCE_DIR + "/config/policies/westway.json\n" + extra);
    // WriteConfig's stand-in model is for complaintsctl: the daemon loads the real one.
    std::string text = ReadFile(config);
    text.replace(text.find("classifier.model = model.bin\n"), 29, "");
    std::ofstream(config) << text;
    log_ = dir() + "/" + name + "/daemon.log";
    daemon_ = std::make_unique<integration::Child>(
        std::vector<std::string>{COMPLAINTSD_BINARY_DIR "/daemon/complaintsd", "--config", config},
        log_);
    return dir() + "/" + name;
  }
  std::string Health() {
    const std::string out = dir() + "/health.txt";
    std::system(
        ("curl -s http://127.0.0.1:" + std::to_string(http_port_) + "/healthz >" + out).c_str());
    return ReadFile(out);
  }
  void TearDown() override {
    if (daemon_) daemon_->Stop(SIGTERM, std::chrono::seconds{10});
    ExpectNoSecret(ReadFile(log_));
  }

  int http_port_ = 0;
  std::string log_;
  std::unique_ptr<integration::Child> daemon_;
};

TEST_F(OAuth2DaemonTest, ReadsAndAnswersOverXoauth2) {
  const size_t sent = servers->smtp->Messages().size();
  servers->dovecot->Deliver(
      kUser, "From: Jo Bloggs <jo@example.org>\r\nTo: " + kUser +
                 "\r\nSubject: Boiler still broken\r\nMessage-ID: <oauth-1@example.org>"
                 "\r\nDate: Mon, 16 Nov 2026 08:42:10 +0000\r\n\r\nThe contractor "
                 "has been three times and it is still not fixed. I want to "
                 "complain.\r\n");
  Start("daemon_ok", "");
  ASSERT_TRUE(integration::WaitFor([&] { return servers->smtp->Messages().size() > sent; },
                                   std::chrono::seconds{60}))
      << ReadFile(log_);
  EXPECT_NE(servers->smtp->Messages().back().find("oauth-1@example.org"), std::string::npos);
  EXPECT_EQ(Health(), "ok\n");
}

TEST_F(OAuth2DaemonTest, ARefusedGrantIsAMailboxOutageThatSaysWhatToDo) {
  provider().Refuse("invalid_client");
  const std::string d = Start("daemon_refused", "outbox.kind = pickup\noutbox.pickup-dir = out\n");
  std::string health;
  ASSERT_TRUE(integration::WaitFor(
      [&] { return (health = Health()).find("invalid_client") != std::string::npos; },
      std::chrono::seconds{30}))
      << health << ReadFile(log_);
  EXPECT_NE(health.find("unhealthy: mailbox: "), std::string::npos) << health;
  EXPECT_NE(health.find("the client secret is wrong or has expired"), std::string::npos) << health;
  ExpectNoSecret(health);
  // The admin's email, in the pickup folder since SMTP would need the same token.
  std::string outage;
  ASSERT_TRUE(integration::WaitFor(
      [&] {
        if (!fs::is_directory(d + "/out")) return false;
        for (const auto& e : fs::directory_iterator(d + "/out")) {
          if (e.path().string().find("outage") != std::string::npos ||
              ReadFile(e.path()).find("the mailbox is down") != std::string::npos) {
            outage = ReadFile(e.path());
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds{30}))
      << ReadFile(log_);
  EXPECT_NE(outage.find("it@ha.example"), std::string::npos) << outage;
  EXPECT_NE(outage.find("invalid_client"), std::string::npos) << outage;
  ExpectNoSecret(outage);
  EXPECT_NE(ReadFile(log_).find("invalid_client"), std::string::npos);
}

}  // namespace
}  // namespace complaints
