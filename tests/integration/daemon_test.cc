// complaintsd itself, as a process, with a Maildir and a real SMTP server: a resident's email gets
// exactly one acknowledgement quickly; an outage of the SMTP server loses and doubles nothing;
// SIGHUP with a broken configuration keeps the daemon running; SIGTERM ends it cleanly.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "tests/integration/dovecot.h"
#include "tests/integration/processes.h"

namespace complaints {
namespace {

namespace fs = std::filesystem;
using integration::Child;
using integration::SmtpSink;
using integration::TempDir;
using integration::WaitFor;

const std::string kDaemon = COMPLAINTSD_BINARY_DIR "/daemon/complaintsd";

// This year's references: the daemon numbers cases by the year (in London) they arrive.
std::string YearNow() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return std::to_string(static_cast<int>(std::chrono::year_month_day{today}.year()));
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ + "/Maildir/new");
    std::ofstream(dir_ + "/key") << "integration-test-key\n";
    chmod((dir_ + "/key").c_str(), 0600);
    http_port_ = integration::FreeTcpPort();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteConfig(int smtp_port, const std::string& extra = "") {
    std::ofstream(dir_ + "/c.properties")
        << "store.path = c.db\nmailbox.maildir = Maildir\nmailbox.poll-seconds = 1\n"
        << "outbox.kind = smtp\nsmtp.url = smtp://127.0.0.1:" << smtp_port << "\n"
        << "smtp.starttls = false\noutbox.first-retry-seconds = 1\n"
        << "mail.from = complaints@westway.example\nmail.signing-key-file = key\n"
        << "mail.staff-domains = westway.example\n"
        << "policy.file = " << COMPLAINTSD_SOURCE_DIR << "/config/policies/westway.json\n"
        << "http.listen = 127.0.0.1:" << http_port_ << "\n"
        << "web.listen = 127.0.0.1:0\n"  // the workbench on a free port
        << extra;
  }

  void Deliver(const std::string& name, const std::string& from, const std::string& id) {
    const std::string tmp = dir_ + "/Maildir/tmp-" + name;
    std::ofstream(tmp) << "From: Jo Bloggs <" << from << ">\r\nTo: complaints@westway.example\r\n"
                       << "Subject: Boiler still broken\r\nMessage-ID: <" << id << ">\r\n"
                       << "Date: Mon, 16 Nov 2026 08:42:10 +0000\r\n\r\n"
                       << "The contractor has been three times and it is still not fixed. "
                          "I am not happy.\r\n";
    fs::rename(tmp, dir_ + "/Maildir/new/" + name);
  }

  std::unique_ptr<Child> Start() {
    auto child = std::make_unique<Child>(
        std::vector<std::string>{kDaemon, "--config", dir_ + "/c.properties"},
        dir_ + "/daemon.log");
    return child;
  }

  int Health() { return integration::HealthStatus(http_port_); }

  std::string dir_;
  int http_port_ = 0;
};

TEST_F(DaemonTest, OneAcknowledgementWithinAMinuteThenCleanStop) {
  SmtpSink sink(dir_ + "/smtp");
  WriteConfig(sink.port());
  auto daemon = Start();
  ASSERT_TRUE(WaitFor([&] { return Health() == 200; }, std::chrono::seconds{20}))
      << integration::ReadFile(dir_ + "/daemon.log");
  const auto delivered = std::chrono::steady_clock::now();
  Deliver("1.a.host", "jo@example.org", "m1@example.org");
  ASSERT_TRUE(WaitFor([&] { return sink.Messages().size() == 1; }, std::chrono::seconds{60}));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - delivered).count();
  std::printf("acknowledgement arrived %.2f s after delivery\n", seconds);
  EXPECT_LT(seconds, 60.0);
  const std::string ack = sink.Messages()[0];
  EXPECT_NE(ack.find("Subject: [WW-" + YearNow() + "-00001] We have received your complaint"),
            std::string::npos);
  EXPECT_NE(ack.find("In-Reply-To: <m1@example.org>"), std::string::npos);
  EXPECT_NE(ack.find("Auto-Submitted: auto-replied"), std::string::npos);
  EXPECT_EQ(sink.Envelopes()[0], "complaints@westway.example\njo@example.org\n");
  std::this_thread::sleep_for(std::chrono::seconds{3});
  EXPECT_EQ(sink.Messages().size(), 1u);  // exactly one
  EXPECT_TRUE(fs::is_directory(dir_ + "/Maildir/.Processed/cur"));
  const auto stop_start = std::chrono::steady_clock::now();
  const int status = daemon->Stop(SIGTERM, std::chrono::seconds{10});
  ASSERT_NE(status, -1) << "did not stop within 10 s";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - stop_start, std::chrono::seconds{10});
}

TEST_F(DaemonTest, AnSmtpOutageLosesAndDoublesNothing) {
  int port = 0;
  {
    SmtpSink probe(dir_ + "/probe");
    port = probe.port();
  }  // stopped: the SMTP server is down
  WriteConfig(port);
  auto daemon = Start();
  ASSERT_TRUE(WaitFor([&] { return Health() != 0; }, std::chrono::seconds{20}));
  for (int i = 1; i <= 3; ++i) {
    Deliver(std::to_string(i) + ".x.host", "resident" + std::to_string(i) + "@example.org",
            "m" + std::to_string(i) + "@example.org");
  }
  std::this_thread::sleep_for(std::chrono::seconds{4});  // cases opened, mail waiting
  SmtpSink sink(dir_ + "/smtp", port);                   // the server returns
  ASSERT_TRUE(WaitFor([&] { return sink.Messages().size() >= 3; }, std::chrono::seconds{40}))
      << integration::ReadFile(dir_ + "/daemon.log");
  std::this_thread::sleep_for(std::chrono::seconds{3});
  EXPECT_EQ(sink.Messages().size(), 3u);
  std::set<std::string> recipients;
  for (const std::string& e : sink.Envelopes()) recipients.insert(e);
  EXPECT_EQ(recipients.size(), 3u);
}

TEST_F(DaemonTest, ReloadWithABrokenConfigurationKeepsRunning) {
  SmtpSink sink(dir_ + "/smtp");
  WriteConfig(sink.port());
  auto daemon = Start();
  ASSERT_TRUE(WaitFor([&] { return Health() == 200; }, std::chrono::seconds{20}));
  WriteConfig(sink.port(), "mailbox.kind = pop3\n");
  kill(daemon->pid(), SIGHUP);
  std::this_thread::sleep_for(std::chrono::seconds{2});
  EXPECT_TRUE(daemon->Running());
  Deliver("1.a.host", "jo@example.org", "m1@example.org");
  EXPECT_TRUE(WaitFor([&] { return sink.Messages().size() == 1; }, std::chrono::seconds{30}));
  EXPECT_NE(integration::ReadFile(dir_ + "/daemon.log").find("reload refused"), std::string::npos);
}

TEST_F(DaemonTest, DeadlineWarningsAndBreachesReachStaffOnce) {
  SmtpSink sink(dir_ + "/smtp");
  WriteConfig(sink.port(),
              "mail.manager = manager@westway.example\n"
              "deadlines.board-member = board@westway.example\n"
              "deadlines.warn-hours = 240\n");
  auto ctl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {COMPLAINTSD_BINARY_DIR "/daemon/complaintsctl", "--config",
                               dir_ + "/c.properties"});
    Child child(args, dir_ + "/ctl.log");
    return child.Stop(0, std::chrono::seconds{10});
  };
  // One complaint long overdue (logged from a letter received in January), one just opened.
  ASSERT_EQ(ctl({"cases", "open", "--type=complaint", "--channel=letter", "--name=A",
                 "--received=2026-01-05T10:00:00Z"}),
            0)
      << integration::ReadFile(dir_ + "/ctl.log");
  ASSERT_EQ(ctl({"cases", "open", "--type=complaint", "--channel=phone", "--name=B"}), 0);
  auto once = [&] {
    Child daemon({kDaemon, "--config", dir_ + "/c.properties", "--once"}, dir_ + "/daemon.log");
    return daemon.Stop(0, std::chrono::seconds{30});
  };
  ASSERT_NE(once(), -1);
  ASSERT_TRUE(WaitFor([&] { return sink.Messages().size() >= 4; }, std::chrono::seconds{10}))
      << integration::ReadFile(dir_ + "/daemon.log");
  std::string subjects;
  for (const std::string& m : sink.Messages()) {
    const size_t at = m.find("Subject: ");
    subjects += m.substr(at, m.find("\r\n", at) - at) + "\n";
  }
  // Case 1: both its deadlines (acknowledge, respond) breached: manager and board, each.
  EXPECT_NE(subjects.find("[WW-2026-00001] MISSED: Stage one acknowledgement"), std::string::npos)
      << subjects;
  EXPECT_NE(subjects.find("[WW-2026-00001] MISSED: Stage one response"), std::string::npos);
  // Case 2: warned ahead of its acknowledgement deadline.
  const std::string second = YearNow() == "2026" ? "WW-2026-00002" : "WW-" + YearNow() + "-00001";
  EXPECT_NE(subjects.find("[" + second + "] Due"), std::string::npos) << subjects;
  const size_t first = sink.Messages().size();
  ASSERT_NE(once(), -1);
  std::this_thread::sleep_for(std::chrono::seconds{1});
  EXPECT_EQ(sink.Messages().size(), first);  // each notice once
}

TEST_F(DaemonTest, CheckConfigReportsEveryProblem) {
  WriteConfig(1, "mailbox.kind = pop3\nmail.manger = x@y.example\n");
  Child check({kDaemon, "--config", dir_ + "/c.properties", "--check-config"}, dir_ + "/check.log");
  const int status = check.Stop(0, std::chrono::seconds{10});
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 78);
  const std::string log = integration::ReadFile(dir_ + "/check.log");
  EXPECT_NE(log.find("mailbox.kind"), std::string::npos) << log;
  EXPECT_NE(log.find("mail.manger: unknown key"), std::string::npos) << log;
}

// Outside systemd: --daemon detaches and writes --pidfile; a broken configuration fails the
// launcher on the terminal instead of vanishing with the detached process.
TEST_F(DaemonTest, DaemonModeDetachesWritesItsPidAndRefusesABrokenConfigFirst) {
  WriteConfig(1, "mailbox.kind = pop3\n");
  Child broken({kDaemon, "--config", dir_ + "/c.properties", "--daemon", "--pidfile",
                dir_ + "/complaintsd.pid"},
               dir_ + "/broken.log");
  int status = broken.Stop(0, std::chrono::seconds{10});
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 78);
  EXPECT_NE(integration::ReadFile(dir_ + "/broken.log").find("mailbox.kind"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ + "/complaintsd.pid"));

  SmtpSink sink(dir_ + "/smtp");
  WriteConfig(sink.port());
  Child launcher({kDaemon, "--config", dir_ + "/c.properties", "--daemon", "--pidfile",
                  dir_ + "/complaintsd.pid"},
                 dir_ + "/launcher.log");
  status = launcher.Stop(0, std::chrono::seconds{10});
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);  // the launcher returns; the daemon lives on
  ASSERT_TRUE(
      WaitFor([&] { return fs::exists(dir_ + "/complaintsd.pid"); }, std::chrono::seconds{10}));
  ASSERT_TRUE(WaitFor([&] { return Health() == 200; }, std::chrono::seconds{20}));
  const pid_t pid = std::stoi(integration::ReadFile(dir_ + "/complaintsd.pid"));
  ASSERT_GT(pid, 1);
  EXPECT_EQ(kill(pid, 0), 0);
  Deliver("1.a.host", "jo@example.org", "m1@example.org");
  EXPECT_TRUE(WaitFor([&] { return sink.Messages().size() == 1; }, std::chrono::seconds{30}));
  kill(pid, SIGTERM);
  EXPECT_TRUE(WaitFor([&] { return kill(pid, 0) != 0; }, std::chrono::seconds{10}));
  EXPECT_TRUE(
      WaitFor([&] { return !fs::exists(dir_ + "/complaintsd.pid"); }, std::chrono::seconds{5}));
}

}  // namespace
}  // namespace complaints
