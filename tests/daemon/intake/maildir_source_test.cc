#include "daemon/intake/maildir_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon/outgoing/pickup_transport.h"
#include "tests/daemon/fake_clock.h"

namespace complaints {
namespace {

namespace fs = std::filesystem;
using testing::FakeClock;
using testing::Instant;

class MaildirSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("maildir_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "new");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Deliver(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / "new" / name) << text;
  }

  fs::path dir_;
  FakeClock clock_{Instant("2026-06-10T09:30:00Z")};
};

TEST_F(MaildirSourceTest, NumbersFetchesAndMovesWithoutCopying) {
  Deliver("1000.a.host", "first");
  Deliver("1001.b.host", "second");
  MaildirSource source(dir_.string(), clock_);
  const uint32_t validity = *source.Open();
  EXPECT_EQ(*source.UidsAfter(0), (std::vector<uint32_t>{1, 2}));
  const auto fetched = *source.Fetch({1, 2, 99});
  ASSERT_EQ(fetched.size(), 2u);
  EXPECT_EQ(fetched[0].raw, "first");
  EXPECT_EQ(fetched[1].uid, 2u);
  ASSERT_TRUE(source.Move({1}, "Processed").ok());
  EXPECT_TRUE(fs::exists(dir_ / ".Processed" / "cur" / "1000.a.host:2,"));
  EXPECT_FALSE(fs::exists(dir_ / "new" / "1000.a.host"));
  EXPECT_EQ(*source.UidsAfter(0), std::vector<uint32_t>{2});

  // Another process later, after an Outlook user marked the message read (new/ -> cur/ with
  // flags): the same UIDVALIDITY and UIDs, and new mail continues the numbering.
  fs::rename(dir_ / "new" / "1001.b.host", dir_ / "cur" / "1001.b.host:2,S");
  Deliver("1002.c.host", "third");
  MaildirSource again(dir_.string(), clock_);
  EXPECT_EQ(*again.Open(), validity);
  EXPECT_EQ(*again.UidsAfter(0), (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ((*again.Fetch({2}))[0].raw, "second");
}

TEST_F(MaildirSourceTest, LosingTheUidListStartsANewUidValidity) {
  Deliver("1000.a.host", "first");
  MaildirSource source(dir_.string(), clock_);
  const uint32_t first = *source.Open();
  fs::remove(dir_ / "complaintsd-uidlist");
  clock_.Advance(std::chrono::seconds{10});
  MaildirSource again(dir_.string(), clock_);
  EXPECT_NE(*again.Open(), first);
  EXPECT_EQ(*again.UidsAfter(0), std::vector<uint32_t>{1});
}

TEST_F(MaildirSourceTest, WaitWakesSoonAfterDelivery) {
  MaildirSource source(dir_.string(), clock_);
  ASSERT_TRUE(source.Open().ok());
  ASSERT_TRUE(source.WaitForMail(std::chrono::milliseconds{1}).ok());  // sets up the watch
  std::thread later([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
    Deliver("2000.x.host", "hello");
  });
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(source.WaitForMail(std::chrono::milliseconds{5000}).ok());
  const auto waited = std::chrono::steady_clock::now() - start;
  later.join();
  EXPECT_LT(waited, std::chrono::milliseconds{2000});
  ASSERT_TRUE(source.Open().ok());
  EXPECT_EQ(source.UidsAfter(0)->size(), 1u);
}

TEST_F(MaildirSourceTest, BadFolderNamesAreRefused) {
  Deliver("1000.a.host", "first");
  MaildirSource source(dir_.string(), clock_);
  ASSERT_TRUE(source.Open().ok());
  EXPECT_FALSE(source.Move({1}, "../escape").ok());
  EXPECT_FALSE(source.Move({1}, ".hidden").ok());
  EXPECT_TRUE(fs::exists(dir_ / "new" / "1000.a.host"));
}

TEST(PickupTransportTest, WritesEachItemOnceUnderItsOwnName) {
  const fs::path dir = fs::temp_directory_path() / ("pickup_test_" + std::to_string(getpid()));
  fs::remove_all(dir);
  PickupTransport pickup(dir.string());
  OutboxItem item;
  item.id = 7;
  item.kind = "ack-stage";
  item.raw = "Subject: x\r\n\r\nbody\r\n";
  EXPECT_EQ(pickup.Send(item).kind, SendOutcome::Kind::kSent);
  EXPECT_EQ(pickup.Send(item).kind, SendOutcome::Kind::kSent);  // a retry after a crash
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++files;
    std::ifstream in(e.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, item.raw);
    EXPECT_EQ(e.path().filename(), "7-ack-stage.eml");
  }
  EXPECT_EQ(files, 1u);
  fs::remove_all(dir);
  EXPECT_EQ(PickupTransport("/proc/no-such-dir").Send(item).kind, SendOutcome::Kind::kTemporary);
}

}  // namespace
}  // namespace complaints
