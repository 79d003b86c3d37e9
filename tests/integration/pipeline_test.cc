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

#include "daemon/calendar/london_time.h"
#include "daemon/cases/sqlite_case_store.h"
#include "parsers/mail_parser.h"
#include "tests/daemon/letters/letter_scans.h"
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
        << "http.listen = 127.0.0.1:" << http_port_ << "\n"
        << "web.listen = 127.0.0.1:0\n";  // the workbench on a free port
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

std::string Base64Lines(const std::string& bytes) {
  static const char k[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size())
      v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += k[v >> 18 & 63];
    out += k[v >> 12 & 63];
    out += i + 1 < bytes.size() ? k[v >> 6 & 63] : '=';
    out += i + 2 < bytes.size() ? k[v & 63] : '=';
    if (out.size() % 78 == 76) out += "\r\n";
  }
  return out + "\r\n";
}

// Reception scans a resident's posted letter and forwards it to the shared mailbox: the real
// daemon reads it in its OCR child process, opens a letter case with the resident's details, and
// the print-ready acknowledgement reaches the member of staff to post.
TEST_F(PipelineTest, AScannedLetterForwardedByStaffBecomesACaseAndAnAcknowledgementToPost) {
  const std::string letter =
      "14 Acacia Avenue\nLeeds\nLS6 2QT\n\n16 November 2026\n\nWestway Housing Association\n"
      "Customer Services\n1 High Street\nLondon W1A 1AA\n\nDear Sir or Madam,\n\n"
      "I am writing to complain about the damp and mould in my bedroom. I have reported it three "
      "times since August and nobody has come to look at it. I am very unhappy with the "
      "service.\n\n"
      "Yours faithfully,\n\nMargaret Hughes";
  testing::ScanOptions scan;
  scan.skew_degrees = 1.5;
  const std::string png = testing::ScanPng(letter, scan);
  ASSERT_FALSE(png.empty());
  dovecot_->Deliver("complaints",
                    "From: Reception <reception@westway.example>\r\n"
                    "To: complaints@westway.example\r\nSubject: FW: letter from Mrs Hughes\r\n"
                    "Message-ID: <scan1@westway.example>\r\n"
                    "Date: Wed, 18 Nov 2026 10:02:00 +0000\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                    "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                    "Scanned letter, date received 17 November 2026.\r\n\r\n"
                    "--b1\r\nContent-Type: image/png\r\n"
                    "Content-Disposition: attachment; filename=\"scan0001.png\"\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n" +
                        Base64Lines(png) + "--b1--\r\n");
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return sink_->Messages().size() >= 1; }, std::chrono::seconds{90}))
      << ReadFile(dir_ + "/daemon.log");
  EXPECT_TRUE(
      WaitFor([&] { return Files(Inbox() + "/.Processed") == 1; }, std::chrono::seconds{10}));

  auto store = std::move(SqliteCaseStore::Open(dir_ + "/c.db")).value();
  CaseQuery all;
  const std::vector<CaseRecord> cases = *store->ListCases(all);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].channel, Channel::kLetter);
  EXPECT_EQ(cases[0].type, CaseType::kComplaint);
  EXPECT_EQ(FormatLondonIso(cases[0].received_at), "2026-11-17T12:00:00+00:00");
  const Contact resident = *store->GetContact(cases[0].contact_id);
  EXPECT_EQ(resident.name, "Margaret Hughes");
  // OCR may read the Q of the postcode as a zero: the case then says the postcode needs checking.
  const size_t postcode = resident.address.find("LS6 2");
  ASSERT_NE(postcode, std::string::npos) << resident.address;
  const bool read_right = resident.address.substr(postcode) == "LS6 2QT";
  EXPECT_EQ(cases[0].HasFlag("postcode-unsure"), !read_right) << resident.address;
  EXPECT_NE(resident.address.find("14 Acacia Avenue, Leeds"), std::string::npos)
      << resident.address;
  const auto docs = *store->Documents(cases[0].id);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].bytes, png);
  EXPECT_EQ(docs[0].method, "ocr");
  EXPECT_NE(docs[0].text.find("damp and mould"), std::string::npos) << docs[0].text;

  ASSERT_EQ(sink_->Envelopes().size(), 1u);  // nothing to the resident: no email address
  EXPECT_NE(sink_->Envelopes()[0].find("reception@westway.example"), std::string::npos);
  Result<ParsedMail> to_staff = ParseMail(sink_->Messages()[0]);
  ASSERT_TRUE(to_staff.ok());
  EXPECT_NE(to_staff->subject.find("Please post this acknowledgement to Margaret Hughes"),
            std::string::npos);
  ASSERT_EQ(to_staff->attachments.size(), 1u);
  EXPECT_EQ(to_staff->attachments[0].sniffed_type, "application/pdf");
  EXPECT_EQ(to_staff->attachments[0].filename, "acknowledgement-" + cases[0].reference + ".pdf");
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
