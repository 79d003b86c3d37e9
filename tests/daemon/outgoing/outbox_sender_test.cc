#include "daemon/outgoing/outbox_sender.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>
#include <filesystem>

#include "daemon/cases/sqlite_case_store.h"
#include "tests/daemon/fake_clock.h"
#include "tests/daemon/fake_mail.h"

namespace complaints {
namespace {

using testing::FakeClock;
using testing::FakeTransport;
using testing::Instant;

class OutboxSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("outbox_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(SqliteCaseStore::Open((dir_ / "c.db").string())).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Queue(const std::string& id) {
    OutboxItem item;
    item.kind = "ack-stage";
    item.envelope_from = "c@ha.example";
    item.recipients = {"jo@example.org"};
    item.message_id = id;
    item.raw = "raw " + id;
    item.next_attempt_at = clock_.Now();
    ASSERT_TRUE(
        store_->InTransaction([&](StoreTransaction& t) { return t.QueueOutgoing(item); }).ok());
  }

  OutboxSender::Pass Run(OutboxSender& sender) {
    Result<OutboxSender::Pass> p = sender.RunOnce();
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : OutboxSender::Pass{};
  }

  std::filesystem::path dir_;
  FakeClock clock_{Instant("2026-06-10T09:30:00Z")};
  std::unique_ptr<SqliteCaseStore> store_;
  FakeTransport transport_;
};

TEST_F(OutboxSenderTest, SendsEachMessageOnce) {
  Queue("a@x");
  Queue("b@x");
  std::vector<std::string> seen;
  OutboxSender sender(
      *store_, transport_, clock_, {},
      [&](const OutboxItem& item, const std::string&) { seen.push_back(item.message_id); });
  EXPECT_EQ(Run(sender).sent, 2);
  EXPECT_EQ(Run(sender).sent, 0);
  EXPECT_EQ(transport_.delivered, (std::vector<std::string>{"a@x", "b@x"}));
  EXPECT_EQ(seen, transport_.delivered);
}

// A backlog is sent a batch at a time, and each pass says whether another should follow at once.
TEST_F(OutboxSenderTest, AFullBatchSaysMoreMayBeWaiting) {
  for (int i = 0; i < 5; ++i) Queue("m" + std::to_string(i) + "@x");
  OutboxSettings settings;
  settings.batch = 2;
  OutboxSender sender(*store_, transport_, clock_, settings);
  OutboxSender::Pass pass = Run(sender);
  EXPECT_EQ(pass.sent, 2);
  EXPECT_TRUE(pass.more);
  EXPECT_TRUE(Run(sender).more);
  pass = Run(sender);
  EXPECT_EQ(pass.sent, 1);
  EXPECT_FALSE(pass.more);
  EXPECT_EQ(transport_.delivered.size(), 5u);
}

TEST_F(OutboxSenderTest, TemporaryFailuresBackOffAndSurviveARestart) {
  Queue("a@x");
  transport_.script = {{SendOutcome::Kind::kTemporary, "421 try later"},
                       {SendOutcome::Kind::kTemporary, "connection refused"}};
  {
    OutboxSender sender(*store_, transport_, clock_, {});
    EXPECT_EQ(Run(sender).retried, 1);
    clock_.Advance(std::chrono::seconds{59});
    EXPECT_EQ(Run(sender).retried, 0);  // not yet: first retry after 60 s
    clock_.Advance(std::chrono::seconds{1});
    EXPECT_EQ(Run(sender).retried, 1);
  }
  OutboxSender restarted(*store_, transport_, clock_, {});  // a new process, same store
  clock_.Advance(std::chrono::seconds{119});
  EXPECT_EQ(Run(restarted).sent, 0);  // second retry after 120 s
  clock_.Advance(std::chrono::seconds{1});
  EXPECT_EQ(Run(restarted).sent, 1);
  EXPECT_EQ(transport_.attempts, 3);
  EXPECT_EQ(transport_.delivered.size(), 1u);
}

TEST_F(OutboxSenderTest, PermanentFailureIsRecordedAndReported) {
  Queue("a@x");
  transport_.script = {{SendOutcome::Kind::kPermanent, "550 no such user"}};
  std::string reported;
  OutboxSender sender(*store_, transport_, clock_, {}, nullptr,
                      [&](const OutboxItem&, const std::string& detail) { reported = detail; });
  EXPECT_EQ(Run(sender).failed, 1);
  EXPECT_EQ(reported, "550 no such user");
  clock_.Advance(std::chrono::hours{48});
  EXPECT_EQ(Run(sender).sent, 0);
  EXPECT_TRUE(transport_.delivered.empty());
}

TEST_F(OutboxSenderTest, GivesUpAfterMaxAttempts) {
  Queue("a@x");
  OutboxSettings settings;
  settings.max_attempts = 3;
  for (int i = 0; i < 5; ++i) transport_.script.push_back({SendOutcome::Kind::kTemporary, "421"});
  OutboxSender sender(*store_, transport_, clock_, settings);
  EXPECT_EQ(Run(sender).retried, 1);
  clock_.Advance(std::chrono::hours{1});
  EXPECT_EQ(Run(sender).retried, 1);
  clock_.Advance(std::chrono::hours{1});
  EXPECT_EQ(Run(sender).failed, 1);
  clock_.Advance(std::chrono::hours{1});
  const OutboxSender::Pass after = Run(sender);
  EXPECT_EQ(after.sent + after.retried + after.failed, 0);
}

TEST_F(OutboxSenderTest, BackoffDoublesUpToTheCap) {
  OutboxSender sender(*store_, transport_, clock_, {});
  EXPECT_EQ(sender.Backoff(1), std::chrono::seconds{60});
  EXPECT_EQ(sender.Backoff(2), std::chrono::seconds{120});
  EXPECT_EQ(sender.Backoff(6), std::chrono::seconds{1920});
  EXPECT_EQ(sender.Backoff(7), std::chrono::seconds{3600});
  EXPECT_EQ(sender.Backoff(50), std::chrono::seconds{3600});
}

}  // namespace
}  // namespace complaints
