#include "daemon/service/daemon_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace complaints {
namespace {

class DaemonConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("daemon_config_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "key") << "a signing key\n";
    chmod((dir_ / "key").c_str(), 0600);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> Problems(const std::string& text) {
    const std::string path = (dir_ / "c.properties").string();
    std::ofstream(path) << text;
    return CheckDaemonConfig(*ConfigFile::Load(path));
  }

  std::filesystem::path dir_;
  const std::string good_ =
      "mailbox.maildir = mail\noutbox.pickup-dir = out\nmail.signing-key-file = key\n"
      "store.path = c.db\n";
};

TEST_F(DaemonConfigTest, AMinimalFileIsGoodAndPathsAreRelativeToIt) {
  EXPECT_TRUE(Problems(good_).empty());
  Result<DaemonConfig> c = LoadDaemonConfig((dir_ / "c.properties").string());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->mailbox.maildir, (dir_ / "mail").string());
  EXPECT_EQ(c->store_path, (dir_ / "c.db").string());
  EXPECT_EQ(c->mail.signing_key, "a signing key");
  EXPECT_EQ(c->mail.auto_reply_cap, 3);
  EXPECT_EQ(c->watcher.warn_working_days, 1);
  EXPECT_TRUE(c->mailbox.tls_verify);
  EXPECT_FALSE(c->classifier_complaint_floor.has_value());  // the shipped model's own floor
}

// A landlord that retrains on its own cases chooses its own complaint floor.
TEST_F(DaemonConfigTest, TheComplaintFloorIsAProbability) {
  EXPECT_TRUE(Problems(good_ + "classifier.complaint-floor = 0.08\n").empty());
  Result<DaemonConfig> c = LoadDaemonConfig((dir_ / "c.properties").string());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->classifier_complaint_floor, 0.08);
  const std::vector<std::string> above = Problems(good_ + "classifier.complaint-floor = 0.8\n");
  ASSERT_EQ(above.size(), 1u);
  EXPECT_NE(above[0].find("at most 0.5"), std::string::npos) << above[0];
  for (const char* bad : {"1.5", "-0.1", "often", "0.1.2", "1e-1", "nan"}) {
    const std::vector<std::string> problems =
        Problems(good_ + "classifier.complaint-floor = " + bad + "\n");
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_NE(problems[0].find("classifier.complaint-floor: invalid value '" + std::string(bad) +
                               "': expected a probability from 0 to 1"),
              std::string::npos)
        << problems[0];
  }
}

TEST_F(DaemonConfigTest, TriageAndSpamSettingsAreReadAndChecked) {
  EXPECT_TRUE(Problems(good_ + "classifier.complaint-floor = 0.1\nclassifier.complaint-sure = "
                               "0.6\ntriage.at-deadline = wait\ntriage.decide-minutes = 120\n"
                               "spam.spamd = 127.0.0.1:7830\nspam.own-domains = Westway.example\n")
                  .empty());
  Result<DaemonConfig> c = LoadDaemonConfig((dir_ / "c.properties").string());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->classifier_complaint_sure, 0.6);
  EXPECT_FALSE(c->triage.treat_as_complaint);
  EXPECT_EQ(c->triage.before, std::chrono::minutes{120});
  ASSERT_TRUE(c->spam.spamd.has_value());
  EXPECT_EQ(c->spam.spamd->host, "127.0.0.1");
  EXPECT_EQ(c->spam.spamd->port, 7830);
  EXPECT_EQ(c->spam.settings.own_domains, std::vector<std::string>{"westway.example"});
  EXPECT_EQ(c->mailbox.spam_folder, "Suspected spam");
  const std::pair<const char*, const char*> bad[] = {
      {"classifier.complaint-floor = 0.3\nclassifier.complaint-sure = 0.2\n",
       "classifier.complaint-sure: must not be below classifier.complaint-floor"},
      {"triage.at-deadline = never\n", "triage.at-deadline: 'never' is not one of complaint, wait"},
      {"spam.spamd = localhost\n", "spam.spamd: expected host:port"},
      {"spam.spamd = localhost:99999\n", "spam.spamd: "},
  };
  for (const auto& [line, message] : bad) {
    const std::vector<std::string> problems = Problems(good_ + line);
    ASSERT_EQ(problems.size(), 1u) << line;
    EXPECT_NE(problems[0].find(message), std::string::npos) << problems[0];
  }
}

TEST_F(DaemonConfigTest, EveryProblemNamesItsKey) {
  const std::vector<std::string> problems = Problems(
      "mailbox.kind = pop3\nmailbox.poll-seconds = often\nmail.from = not an address\n"
      "outbox.kind = smtp\nsmtp.url = http://x\nmail.manger = a@b.example\n"
      "deadlines.start-of-day = 9am\ncalendar.region = wales\n");
  const std::string all = [&] {
    std::string s;
    for (const std::string& p : problems) s += p + "\n";
    return s;
  }();
  for (const char* key :
       {"mailbox.kind", "mailbox.poll-seconds", "mail.from", "smtp.url", "mail.manger: unknown key",
        "deadlines.start-of-day", "calendar.region", "mail.signing-key-file: required"}) {
    EXPECT_NE(all.find(key), std::string::npos) << key << "\n" << all;
  }
}

TEST_F(DaemonConfigTest, TheLetterPathHasSafeDefaultsAndChecksItsReader) {
  Result<DaemonConfig> c = [&] {
    Problems(good_ +
             "letters.return-address = Westway Housing | 81 Westway || London W12 7PP\n"
             "mail.staff-addresses = post.room@contractor.example\n");
    return LoadDaemonConfig((dir_ / "c.properties").string());
  }();
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_TRUE(c->letters.enabled);
  EXPECT_EQ(c->letters.reader.helper, DefaultLetterHelper());
  EXPECT_EQ(c->letters.reader.timeout, std::chrono::seconds{180});
  EXPECT_EQ(c->letters.reader.max_pages, 20);
  EXPECT_EQ(c->letters.return_address,
            (std::vector<std::string>{"Westway Housing", "81 Westway", "London W12 7PP"}));
  EXPECT_EQ(c->mail.staff_addresses, std::vector<std::string>{"post.room@contractor.example"});

  std::vector<std::string> p =
      Problems(good_ +
               "letters.reader = /nonexistent/complaintsd-letter\nletters.max-pages = 0\n"
               "mail.staff-addresses = not an address\n");
  std::string all;
  for (const std::string& line : p) all += line + "\n";
  for (const char* key : {"letters.reader: /nonexistent/complaintsd-letter: not an executable",
                          "letters.max-pages", "mail.staff-addresses"}) {
    EXPECT_NE(all.find(key), std::string::npos) << key << "\n" << all;
  }
  // Switched off, the reader is not needed (mail from staff then goes to a person).
  EXPECT_TRUE(
      Problems(good_ + "letters.enabled = false\nletters.reader = /nonexistent/x\n").empty());
}

TEST_F(DaemonConfigTest, TheStaffDirectoryIsReadAndItsBadLinesNamed) {
  std::ofstream(dir_ / "staff.txt") << "Steve Jones = steve.jones@westway.example\n";
  Problems(good_ + "mail.staff-directory = staff.txt\n");
  Result<DaemonConfig> c = LoadDaemonConfig((dir_ / "c.properties").string());
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_EQ(c->mail.staff_directory.entries().size(), 1u);
  EXPECT_EQ(c->mail.staff_directory.entries()[0].address, "steve.jones@westway.example");

  std::ofstream(dir_ / "staff.txt") << "Steve Jones = steve.jones@westway.example\nAmy Lee\n";
  std::vector<std::string> p = Problems(good_ + "mail.staff-directory = staff.txt\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("mail.staff-directory: "), std::string::npos) << p[0];
  EXPECT_NE(p[0].find("staff.txt:2: expected"), std::string::npos) << p[0];
  p = Problems(good_ + "mail.staff-directory = missing.txt\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("missing.txt: cannot be read"), std::string::npos) << p[0];
}

TEST_F(DaemonConfigTest, ImapNeedsExactlyOneCredential) {
  std::vector<std::string> p = Problems(good_ +
                                        "mailbox.kind = imap\nmailbox.url = "
                                        "imaps://mail.example/INBOX\nmailbox.user = u\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("set exactly one of"), std::string::npos);
  const std::string imap =
      good_ + "mailbox.kind = imap\nmailbox.url = imaps://mail.example/INBOX\nmailbox.user = u\n";
  EXPECT_TRUE(Problems(imap + "mailbox.oauth-token-command = get-token --for imap\n").empty());
  std::ofstream(dir_ / "pw") << "secret\n";
  chmod((dir_ / "pw").c_str(), 0600);
  p = Problems(imap + "mailbox.oauth-token-command = get-token\nmailbox.password-file = pw\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("mailbox.oauth-token-command"), std::string::npos) << p[0];
}

TEST_F(DaemonConfigTest, AReadableSecretIsRefused) {
  chmod((dir_ / "key").c_str(), 0644);
  const std::vector<std::string> p = Problems(good_);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("mail.signing-key-file"), std::string::npos);
  EXPECT_NE(p[0].find("chmod 600"), std::string::npos);
}

TEST_F(DaemonConfigTest, EveryKeyHasAMeaning) {
  for (const ConfigKey& k : ConfigKeys()) EXPECT_GT(std::string(k.meaning).size(), 5u) << k.key;
}

}  // namespace
}  // namespace complaints

namespace complaints {
namespace {

class OAuth2ConfigTest : public DaemonConfigTest {
 protected:
  std::string Imap(const std::string& auth) {
    std::ofstream(dir_ / "secret") << "client-secret-value\n";
    chmod((dir_ / "secret").c_str(), 0600);
    return "mailbox.kind = imap\nmailbox.url = imaps://outlook.office365.com/INBOX\n"
           "mailbox.user = complaints@ha.example\noutbox.pickup-dir = out\n"
           "mail.signing-key-file = key\nstore.path = state/c.db\nmailbox.auth = " +
           auth + "\n";
  }
};

TEST_F(OAuth2ConfigTest, MicrosoftClientCredentialsIsReadWithItsDefaults) {
  const std::string text = Imap("oauth2") +
                           "oauth2.tenant = 0b1c-tenant\noauth2.client-id = app-1\n"
                           "oauth2.client-secret-file = secret\n";
  ASSERT_TRUE(Problems(text).empty()) << Problems(text)[0];
  Result<DaemonConfig> c = LoadDaemonConfig((dir_ / "c.properties").string());
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_TRUE(c->oauth2.has_value());
  EXPECT_EQ(c->oauth2->flow, "client-credentials");
  EXPECT_EQ(c->oauth2->client_secret, "client-secret-value");
  EXPECT_EQ(c->oauth2->user, "complaints@ha.example");  // mailbox.user
  EXPECT_EQ(OAuth2TokenUrl(*c->oauth2),
            "https://login.microsoftonline.com/0b1c-tenant/oauth2/v2.0/token");
  EXPECT_EQ(OAuth2Scope(*c->oauth2), "https://outlook.office365.com/.default");
  EXPECT_EQ(c->oauth2->refresh_token_file, (dir_ / "state/oauth2-refresh-token").string());
  // Password auth (the default) needs no oauth2 settings, and has none.
  ASSERT_TRUE(Problems(good_).empty());
  EXPECT_FALSE(LoadDaemonConfig((dir_ / "c.properties").string())->oauth2.has_value());
}

TEST_F(OAuth2ConfigTest, ProblemsNameTheKeyAtFault) {
  auto has = [](const std::vector<std::string>& problems, const std::string& what) {
    for (const std::string& p : problems) {
      if (p.find(what) != std::string::npos) return true;
    }
    return false;
  };
  std::vector<std::string> p = Problems(Imap("oauth2"));
  EXPECT_TRUE(has(p, "oauth2.tenant: required")) << p[0];
  EXPECT_TRUE(has(p, "oauth2.client-id: required"));
  EXPECT_TRUE(has(p, "oauth2.client-secret-file: set exactly one of"));
  p = Problems(Imap("oauth2") +
               "mailbox.password-file = secret\noauth2.tenant = t\n"
               "oauth2.client-id = a\noauth2.client-secret-file = secret\n");
  EXPECT_TRUE(has(p, "mailbox.auth: with oauth2, set none of"));
  p = Problems(Imap("oauth2") +
               "oauth2.tenant = t\noauth2.client-id = a\n"
               "oauth2.certificate-file = secret\noauth2.private-key-file = secret\n");
  EXPECT_TRUE(has(p, "oauth2.certificate-file: not a PEM certificate"));
  EXPECT_TRUE(has(p, "oauth2.private-key-file: not a PEM private key"));
  p = Problems(Imap("oauth2") + "oauth2.provider = google\n");
  EXPECT_TRUE(has(p, "oauth2.service-account-file: required"));
  p = Problems(Imap("oauth2") +
               "oauth2.provider = google\noauth2.flow = device-code\n"
               "oauth2.service-account-file = secret\n");
  EXPECT_TRUE(has(p, "oauth2.flow: 'device-code' is not one of service-account"));
  p = Problems(Imap("oauth2") +
               "oauth2.tenant = t\noauth2.client-id = a\n"
               "oauth2.client-secret-file = secret\noauth2.token-url = http://login.example\n");
  EXPECT_TRUE(has(p, "oauth2.token-url: expected https://"));
  p = Problems(Imap("kerberos"));
  EXPECT_TRUE(has(p, "mailbox.auth: 'kerberos' is not one of password, oauth2"));
}

TEST_F(OAuth2ConfigTest, SmtpAloneMayUseOAuth2AndTakesTheMailboxUser) {
  std::ofstream(dir_ / "sa.json") << R"({"client_email": "x@y.iam.gserviceaccount.com"})";
  chmod((dir_ / "sa.json").c_str(), 0600);
  const std::string text = good_ +
                           "outbox.kind = smtp\nsmtp.url = smtps://smtp.gmail.com\n"
                           "smtp.auth = oauth2\noauth2.provider = google\n"
                           "oauth2.service-account-file = sa.json\n"
                           "oauth2.user = complaints@ha.example\n";
  const std::vector<std::string> p = Problems(text);
  EXPECT_TRUE(p.empty()) << p[0];
  Result<DaemonConfig> c = LoadDaemonConfig((dir_ / "c.properties").string());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->oauth2->flow, "service-account");
  EXPECT_EQ(c->sender.user, "complaints@ha.example");
  EXPECT_EQ(OAuth2Scope(*c->oauth2), "https://mail.google.com/");
}

}  // namespace
}  // namespace complaints
