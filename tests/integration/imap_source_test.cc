// ImapSource against a real Dovecot on 127.0.0.1.
#include "daemon/intake/imap_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "tests/integration/dovecot.h"

namespace complaints {
namespace {

namespace fs = std::filesystem;
using integration::Dovecot;
using integration::TempDir;

std::string Message(int n) {
  return "From: Resident " + std::to_string(n) + " <r" + std::to_string(n) +
         "@example.org>\r\nSubject: message " + std::to_string(n) + "\r\nMessage-ID: <m" +
         std::to_string(n) + "@example.org>\r\n\r\nBody " + std::to_string(n) + "\r\n";
}

ImapSettings Settings(const Dovecot& d) {
  ImapSettings s;
  s.url = d.url();
  s.user = "complaints";
  s.password = "secret";
  s.require_tls = false;  // plain IMAP on loopback in these tests; TLS has its own test
  s.timeout = std::chrono::seconds{20};
  s.poll_interval = std::chrono::seconds{1};
  return s;
}

// Files in a Maildir folder, and whether any carries the Seen flag.
size_t Count(const std::string& dir) {
  size_t n = 0;
  for (const char* sub : {"/new", "/cur"}) {
    if (!fs::exists(dir + sub)) continue;
    for (const auto& e : fs::directory_iterator(dir + sub)) n += e.is_regular_file();
  }
  return n;
}
bool AnySeen(const std::string& dir) {
  if (!fs::exists(dir + "/cur")) return false;
  for (const auto& e : fs::directory_iterator(dir + "/cur")) {
    const std::string name = e.path().filename().string();
    const size_t flags = name.find(":2,");
    if (flags != std::string::npos && name.find('S', flags) != std::string::npos) return true;
  }
  return false;
}

TEST(ImapSourceTest, FetchesWithoutSeenAndMovesToProcessed) {
  Dovecot dovecot(TempDir("imap_fetch"), {});
  for (int i = 1; i <= 3; ++i) dovecot.Deliver("complaints", Message(i));
  ImapSource imap(Settings(dovecot));
  Result<uint32_t> validity = imap.Open();
  ASSERT_TRUE(validity.ok()) << validity.error();
  const std::vector<uint32_t> uids = *imap.UidsAfter(0);
  ASSERT_EQ(uids, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_TRUE(imap.UidsAfter(3)->empty());  // "4:*" must not return UID 3
  const auto fetched = *imap.Fetch(uids);
  ASSERT_EQ(fetched.size(), 3u);
  EXPECT_EQ(fetched[1].raw, Message(2));
  EXPECT_GT(fetched[0].internal_date.time_since_epoch().count(), 0);
  const std::string inbox = dovecot.Maildir("complaints");
  EXPECT_FALSE(AnySeen(inbox));
  ASSERT_TRUE(imap.Move({1, 2}, "Processed").ok());
  ASSERT_TRUE(imap.Open().ok());
  EXPECT_EQ(*imap.UidsAfter(0), std::vector<uint32_t>{3});
  EXPECT_EQ(Count(inbox + "/.Processed"), 2u);
  EXPECT_EQ(imap.Name(),
            "imap://complaints@127.0.0.1:" + std::to_string(dovecot.port()) + "/INBOX");
}

TEST(ImapSourceTest, AMessageAlreadyReadInOutlookIsStillListed) {
  Dovecot dovecot(TempDir("imap_seen"), {});
  dovecot.Deliver("complaints", Message(1));
  const std::string inbox = dovecot.Maildir("complaints");
  for (const auto& e : fs::directory_iterator(inbox + "/new")) {
    fs::rename(e.path(), inbox + "/cur/" + e.path().filename().string() + ":2,FS");
  }
  ImapSource imap(Settings(dovecot));
  ASSERT_TRUE(imap.Open().ok());
  EXPECT_EQ(imap.UidsAfter(0)->size(), 1u);
}

TEST(ImapSourceTest, ThousandMessagesInBatches) {
  Dovecot dovecot(TempDir("imap_1000"), {});
  for (int i = 1; i <= 1000; ++i) dovecot.Deliver("complaints", Message(i));
  ImapSource imap(Settings(dovecot));
  ASSERT_TRUE(imap.Open().ok());
  const auto start = std::chrono::steady_clock::now();
  const std::vector<uint32_t> uids = *imap.UidsAfter(0);
  ASSERT_EQ(uids.size(), 1000u);
  size_t fetched = 0;
  for (size_t i = 0; i < uids.size(); i += 100) {
    const std::vector<uint32_t> batch(uids.begin() + static_cast<long>(i),
                                      uids.begin() + static_cast<long>(i + 100));
    const auto got = *imap.Fetch(batch);
    fetched += got.size();
    ASSERT_TRUE(imap.Move(batch, "Processed").ok());
  }
  std::printf("1,000 messages fetched and moved in %.2f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  EXPECT_EQ(fetched, 1000u);
  ASSERT_TRUE(imap.Open().ok());
  EXPECT_TRUE(imap.UidsAfter(0)->empty());
}

TEST(ImapSourceTest, IdleWakesSoonAfterDelivery) {
  Dovecot dovecot(TempDir("imap_idle"), {});
  ImapSource imap(Settings(dovecot));
  ASSERT_TRUE(imap.Open().ok());
  std::thread later([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    dovecot.Deliver("complaints", Message(1));
  });
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(imap.WaitForMail(std::chrono::milliseconds{15000}).ok());
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  later.join();
  std::printf("IDLE reported new mail %.2f s after the wait began (delivery at 0.3 s)\n", waited);
  EXPECT_LT(waited, 5.0);
  ASSERT_TRUE(imap.Open().ok());
  EXPECT_EQ(imap.UidsAfter(0)->size(), 1u);
}

// Mail that arrives during a pass is announced once, in the answer to whatever command comes
// next (here the MOVE): the wait that follows must not sit in IDLE for news already given. (The
// ingest benchmark's deliveries waited the whole 5-second wait one time in three before.)
TEST(ImapSourceTest, MailAnnouncedDuringThePassIsNotWaitedFor) {
  Dovecot dovecot(TempDir("imap_news"), {});
  dovecot.Deliver("complaints", Message(1));
  ImapSource imap(Settings(dovecot));
  ASSERT_TRUE(imap.Open().ok());
  const auto first = imap.UidsAfter(0);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  dovecot.Deliver("complaints", Message(2));  // after the search, before the move
  ASSERT_TRUE(imap.Move(*first, "Processed").ok());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(imap.WaitForMail(std::chrono::milliseconds{10000}).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{2});
  const auto second = imap.UidsAfter(first->back());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->size(), 1u);
}

TEST(ImapSourceTest, WithoutMoveOrIdleItCopiesExpungesAndPolls) {
  Dovecot dovecot(TempDir("imap_nomove"), {false, false, ""});
  dovecot.Deliver("complaints", Message(1));
  dovecot.Deliver("complaints", Message(2));
  ImapSource imap(Settings(dovecot));
  ASSERT_TRUE(imap.Open().ok());
  ASSERT_TRUE(imap.Move({1}, "Processed").ok());
  ASSERT_TRUE(imap.WaitForMail(std::chrono::milliseconds{1500}).ok());  // polls, returns
  ASSERT_TRUE(imap.Open().ok());
  EXPECT_EQ(*imap.UidsAfter(0), std::vector<uint32_t>{2});
  EXPECT_EQ(Count(dovecot.Maildir("complaints") + "/.Processed"), 1u);
}

TEST(ImapSourceTest, ServerRestartAndWrongPassword) {
  Dovecot dovecot(TempDir("imap_restart"), {});
  dovecot.Deliver("complaints", Message(1));
  ImapSource imap(Settings(dovecot));
  const uint32_t validity = *imap.Open();
  dovecot.Stop();
  // The connection is gone once Dovecot has closed it: Open() then fails (nothing to connect to).
  EXPECT_TRUE(integration::WaitFor([&] { return !imap.Open().ok(); }, std::chrono::seconds{10}));
  dovecot.Start();
  Result<uint32_t> again = imap.Open();  // reconnects
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(*again, validity);
  EXPECT_EQ(imap.UidsAfter(0)->size(), 1u);
  ImapSettings wrong = Settings(dovecot);
  wrong.password = "not-the-password";
  Result<uint32_t> refused = ImapSource(wrong).Open();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().find("not-the-password"), std::string::npos);
}

TEST(ImapSourceTest, UidValidityChangeIsSeen) {
  Dovecot dovecot(TempDir("imap_validity"), {});
  dovecot.Deliver("complaints", Message(1));
  uint32_t first = 0;
  {
    ImapSource imap(Settings(dovecot));
    first = *imap.Open();
  }
  dovecot.Stop();
  // Dovecot's own record of UIDs (list, validity and indexes) lost, as after a restore.
  for (const auto& e : fs::directory_iterator(dovecot.Maildir("complaints"))) {
    if (e.path().filename().string().rfind("dovecot", 0) == 0) fs::remove(e.path());
  }
  std::this_thread::sleep_for(std::chrono::seconds{1});  // UIDVALIDITY is a time in seconds
  dovecot.Start();
  ImapSource imap(Settings(dovecot));
  Result<uint32_t> second = imap.Open();
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, first);
}

TEST(ImapSourceTest, SelfSignedCertificateIsRefusedUnlessTrusted) {
  Dovecot dovecot(TempDir("imap_tls"), {true, true, ""});
  ImapSettings s = Settings(dovecot);
  s.require_tls = true;
  Result<uint32_t> refused = ImapSource(s).Open();
  ASSERT_FALSE(refused.ok());
  s.ca_file = dovecot.ca_file();
  Result<uint32_t> trusted = ImapSource(s).Open();
  EXPECT_TRUE(trusted.ok()) << trusted.error();
}

TEST(ImapHelpersTest, InternalDateAndUidSets) {
  EXPECT_EQ(ParseInternalDate("17-Jul-1996 02:44:25 -0700")->time_since_epoch().count(), 837596665);
  EXPECT_EQ(ParseInternalDate(" 2-Nov-2026 09:00:00 +0000")->time_since_epoch().count(),
            1793610000);
  EXPECT_FALSE(ParseInternalDate("yesterday").has_value());
  EXPECT_EQ(UidSet({7, 1, 2, 3, 9, 10}), "1:3,7,9:10");
  EXPECT_EQ(UidSet({5}), "5");
}

}  // namespace
}  // namespace complaints

namespace complaints {
namespace {

// XOAUTH2 tokens last about an hour: one is asked for at each connection, and a failure to get
// one is a clear error (the daemon's outage alert then tells the admin).
TEST(ImapSourceTest, AFreshTokenIsAskedForAtEachConnection) {
  Dovecot dovecot(TempDir("imap_token"), {});
  ImapSettings s = Settings(dovecot);
  int asked = 0;
  s.bearer_token_source = [&]() -> Result<std::string> {
    ++asked;
    return Result<std::string>::Error("the token command failed (exit 2)");
  };
  ImapSource imap(s);
  Result<uint32_t> opened = imap.Open();
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().find("XOAUTH2 token: the token command failed (exit 2)"),
            std::string::npos)
      << opened.error();
  EXPECT_FALSE(imap.Open().ok());
  EXPECT_EQ(asked, 2);
}

}  // namespace
}  // namespace complaints
