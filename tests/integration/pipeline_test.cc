// The whole path with real servers: Dovecot holds the shared mailbox, aiosmtpd receives what
// complaintsd sends, and complaintsd runs as a process in between.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "daemon/sqlite_case_store.h"
#include "tests/integration/dovecot.h"
#include "tests/integration/processes.h"

namespace complaints {
namespace {

namespace fs = std::filesystem;
using integration::Child;
using integration::Dovecot;
using integration::ReadFile;
using integration::SmtpSink;
using integration::TempDir;
using integration::WaitFor;

const std::string kDaemon = COMPLAINTSD_BINARY_DIR "/daemon/complaintsd";

std::string Complaint(const std::string& from, const std::string& id) {
  return "From: Resident <" + from +
         ">\r\nTo: complaints@westway.example\r\n"
         "Subject: Repairs not done\r\nMessage-ID: <" +
         id +
         ">\r\n"
         "Date: Mon, 16 Nov 2026 08:42:10 +0000\r\n\r\n"
         "Nobody turned up again and the leak is still not fixed. I am fed up.\r\n";
}

size_t Files(const std::string& dir) { return integration::MaildirFiles(dir); }

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Short paths: Dovecot's sockets live under the folder and Unix socket paths are short.
    static int n = 0;
    dir_ = TempDir("p" + std::to_string(++n));
    dovecot_ = std::make_unique<Dovecot>(dir_ + "/d", Dovecot::Options{});
    sink_ = std::make_unique<SmtpSink>(dir_ + "/smtp");
    std::ofstream(dir_ + "/key") << "pipeline-key\n";
    std::ofstream(dir_ + "/imap-password") << "secret\n";
    chmod((dir_ + "/key").c_str(), 0600);
    chmod((dir_ + "/imap-password").c_str(), 0600);
    std::ofstream(dir_ + "/c.properties")
        << "store.path = c.db\nmailbox.kind = imap\nmailbox.url = " << dovecot_->url()
        << "\nmailbox.user = complaints\nmailbox.password-file = imap-password\n"
        << "mailbox.starttls = false\nmailbox.poll-seconds = 1\nmailbox.outage-alert-seconds = 4\n"
        << "outbox.kind = smtp\nsmtp.url = smtp://127.0.0.1:" << sink_->port()
        << "\nsmtp.starttls = false\noutbox.first-retry-seconds = 1\n"
        << "mail.from = complaints@westway.example\nmail.signing-key-file = key\n"
        << "mail.staff-domains = westway.example\nmail.admin = it@westway.example\n"
        << "policy.file = " << COMPLAINTSD_SOURCE_DIR << "/config/policies/westway.json\n"
        << "http.listen = 127.0.0.1:" << http_port_ << "\n";
  }
  void TearDown() override {
    daemon_.reset();
    sink_.reset();
    dovecot_.reset();
    fs::remove_all(dir_);
  }

  void StartDaemon() {
    daemon_ = std::make_unique<Child>(
        std::vector<std::string>{kDaemon, "--config", dir_ + "/c.properties"},
        dir_ + "/daemon.log");
  }
  size_t Cases() {
    auto store = SqliteCaseStore::Open(dir_ + "/c.db");
    if (!store) return 0;
    CaseQuery all;
    all.include_closed = true;
    all.limit = 100000;
    auto cases = (*store)->ListCases(all);
    return cases ? cases->size() : 0;
  }
  std::string Inbox() { return dovecot_->Maildir("complaints"); }

  int Health() { return integration::HealthStatus(http_port_); }

  int http_port_ = integration::FreeTcpPort();
  std::string dir_;
  std::unique_ptr<Dovecot> dovecot_;
  std::unique_ptr<SmtpSink> sink_;
  std::unique_ptr<Child> daemon_;
};

TEST_F(PipelineTest, MailBecomesACaseRepliesThreadAndAutoRepliesGetNothing) {
  dovecot_->Deliver("complaints", Complaint("jo@example.org", "m1@example.org"));
  dovecot_->Deliver("complaints", "this is not a message at all");
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return sink_->Messages().size() >= 2; }, std::chrono::seconds{30}))
      << ReadFile(dir_ + "/daemon.log");
  EXPECT_EQ(Cases(), 1u);
  EXPECT_TRUE(
      WaitFor([&] { return Files(Inbox() + "/.Processed") == 1; }, std::chrono::seconds{5}));
  EXPECT_EQ(Files(Inbox() + "/.Quarantine"), 1u);
  std::string ack;
  for (const std::string& m : sink_->Messages()) {
    if (m.find("We have received your complaint") != std::string::npos) ack = m;
  }
  ASSERT_FALSE(ack.empty());
  const size_t at = ack.find("Message-ID: <") + 13;
  const std::string ack_id = ack.substr(at, ack.find('>', at) - at);

  // The resident replies with a new subject: it joins the case, with no new acknowledgement.
  dovecot_->Deliver("complaints",
                    "From: Resident <jo@example.org>\r\nSubject: photos\r\nMessage-ID: "
                    "<m2@example.org>\r\nIn-Reply-To: <" +
                        ack_id + ">\r\n\r\nHere are the photos.\r\n");
  // An out-of-office reply to our acknowledgement: nothing is sent.
  dovecot_->Deliver(
      "complaints",
      "From: Resident <jo@example.org>\r\nSubject: Automatic reply\r\nAuto-Submitted: "
      "auto-replied\r\nMessage-ID: <m3@example.org>\r\nIn-Reply-To: <" +
          ack_id + ">\r\n\r\nI am away.\r\n");
  ASSERT_TRUE(
      WaitFor([&] { return Files(Inbox() + "/.Processed") == 3; }, std::chrono::seconds{30}))
      << ReadFile(dir_ + "/daemon.log");
  std::this_thread::sleep_for(std::chrono::seconds{2});
  EXPECT_EQ(Cases(), 1u);
  size_t to_resident = 0;
  for (const std::string& e : sink_->Envelopes())
    to_resident += e.find("jo@example.org") != std::string::npos;
  EXPECT_EQ(to_resident, 1u);
}

TEST_F(PipelineTest, KilledMidBatchAndRestartedLosesAndDuplicatesNothing) {
  constexpr int kMessages = 150;
  for (int i = 0; i < kMessages; ++i) {
    dovecot_->Deliver("complaints", Complaint("r" + std::to_string(i) + "@example.org",
                                              "m" + std::to_string(i) + "@example.org"));
  }
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Cases() >= 10; }, std::chrono::seconds{30}))
      << ReadFile(dir_ + "/daemon.log");
  daemon_->Stop(SIGKILL, std::chrono::seconds{5});  // no chance to finish anything
  const size_t before = Cases();
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Files(Inbox() + "/.Processed") == kMessages; },
                      std::chrono::seconds{90}))
      << ReadFile(dir_ + "/daemon.log");
  ASSERT_TRUE(
      WaitFor([&] { return sink_->Messages().size() >= kMessages; }, std::chrono::seconds{60}));
  std::this_thread::sleep_for(std::chrono::seconds{2});
  EXPECT_EQ(Cases(), static_cast<size_t>(kMessages)) << "killed after " << before << " cases";
  std::map<std::string, int> per_recipient;
  for (const std::string& e : sink_->Envelopes()) ++per_recipient[e];
  EXPECT_EQ(per_recipient.size(), static_cast<size_t>(kMessages));  // nobody missed
  int repeats = 0;
  for (const auto& [who, n] : per_recipient) repeats += n - 1;
  std::printf("killed with SIGKILL after %zu cases; repeated acknowledgements: %d\n", before,
              repeats);
  EXPECT_LE(repeats, 1);  // only a crash between the server's acceptance and the commit repeats
  EXPECT_EQ(Files(Inbox()), 0u);
}

}  // namespace
}  // namespace complaints

namespace complaints {
namespace {

TEST_F(PipelineTest, SigtermMidBatchFinishesTheMessageInHandAndLosesNothing) {
  constexpr int kMessages = 120;
  for (int i = 0; i < kMessages; ++i) {
    dovecot_->Deliver("complaints", Complaint("t" + std::to_string(i) + "@example.org",
                                              "t" + std::to_string(i) + "@example.org"));
  }
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Cases() >= 5; }, std::chrono::seconds{30}))
      << ReadFile(dir_ + "/daemon.log");
  const auto asked = std::chrono::steady_clock::now();
  const int status = daemon_->Stop(SIGTERM, std::chrono::seconds{10});
  ASSERT_NE(status, -1) << "did not stop within 10 s";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds{10});
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Files(Inbox() + "/.Processed") == kMessages; },
                      std::chrono::seconds{90}));
  ASSERT_TRUE(
      WaitFor([&] { return sink_->Messages().size() >= kMessages; }, std::chrono::seconds{60}));
  std::this_thread::sleep_for(std::chrono::seconds{2});
  EXPECT_EQ(Cases(), static_cast<size_t>(kMessages));
  EXPECT_EQ(sink_->Messages().size(), static_cast<size_t>(kMessages));
}

TEST_F(PipelineTest, HealthTurnsUnavailableWhileDovecotIsDownAndBack) {
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Health() == 200; }, std::chrono::seconds{20}))
      << ReadFile(dir_ + "/daemon.log");
  dovecot_->Stop();
  EXPECT_TRUE(WaitFor([&] { return Health() == 503; }, std::chrono::seconds{40}))
      << ReadFile(dir_ + "/daemon.log");
  dovecot_->Start();
  EXPECT_TRUE(WaitFor([&] { return Health() == 200; }, std::chrono::seconds{90}))
      << ReadFile(dir_ + "/daemon.log");
  // Mail delivered after the outage is still handled.
  dovecot_->Deliver("complaints", Complaint("late@example.org", "late@example.org"));
  EXPECT_TRUE(WaitFor([&] { return Cases() == 1; }, std::chrono::seconds{30}));
}

TEST_F(PipelineTest, TheAdminHearsOfALongOutageAndOfItsEnd) {
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return Health() == 200; }, std::chrono::seconds{20}));
  dovecot_->Stop();
  auto to_admin = [&] {
    size_t n = 0;
    for (const std::string& e : sink_->Envelopes())
      n += e.find("it@westway.example") != std::string::npos;
    return n;
  };
  ASSERT_TRUE(WaitFor([&] { return to_admin() == 1; }, std::chrono::seconds{100}))
      << ReadFile(dir_ + "/daemon.log");
  EXPECT_NE(sink_->Messages().back().find("the mailbox is down"), std::string::npos);
  dovecot_->Start();
  ASSERT_TRUE(WaitFor([&] { return to_admin() == 2; }, std::chrono::seconds{90}))
      << ReadFile(dir_ + "/daemon.log");
  EXPECT_NE(sink_->Messages().back().find("the mailbox is recovered"), std::string::npos);
}

}  // namespace
}  // namespace complaints
