#include "daemon/service/service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "daemon/cases/sqlite_case_store.h"
#include "tests/daemon/fake_clock.h"
#include "tests/daemon/fake_mail.h"
#include "tests/daemon/intake_stack.h"

namespace complaints {
namespace {

using testing::FakeClassifier;
using testing::FakeClock;
using testing::FakeReader;
using testing::FakeSource;
using testing::FakeTransport;
using testing::Instant;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MailSettings settings;
    settings.admin_address = "it@ha.example";
    stack_ = std::make_unique<testing::IntakeStack>("service_test", "westway", settings, clock_);
    store_ = stack_->store.get();
    engine_ = stack_->engine.get();
    mailer_ = stack_->mailer.get();
    intake_ = stack_->intake.get();
    reader_ = &stack_->reader;
    mailbox_ = std::make_unique<MailboxWatcher>(source_, *store_, *intake_, WatcherFolders{});
    outbox_ = std::make_unique<OutboxSender>(*store_, transport_, clock_, OutboxSettings{});
    deadlines_ = std::make_unique<DeadlineWatcher>(*store_, *mailer_, *stack_->hours,
                                                   WatcherSettings{}, clock_);
    service_ = std::make_unique<Service>(
        Service::Parts{mailbox_.get(), &source_, outbox_.get(), deadlines_.get(), nullptr, store_,
                       mailer_, &clock_, [this] { ++alive_; }},
        Service::Timing{}, [this](const std::string& line) { log_.push_back(line); });
  }

  // `count` messages due in the outbox now (after an outage, say).
  void QueueBacklog(int count) {
    ASSERT_TRUE(store_
                    ->InTransaction([&](StoreTransaction& txn) -> Status {
                      for (int i = 0; i < count; ++i) {
                        OutboxItem item;
                        item.kind = "ack-stage";
                        item.envelope_from = "c@ha.example";
                        item.recipients = {"r" + std::to_string(i) + "@example.org"};
                        item.message_id = "m" + std::to_string(i) + "@ha.example";
                        item.raw = "raw";
                        item.next_attempt_at = clock_.Now();
                        if (Status s = txn.QueueOutgoing(item); !s) return s;
                      }
                      return Status::Ok();
                    })
                    .ok());
  }

  FakeClock clock_{Instant("2026-06-10T09:30:00+01:00")};
  std::unique_ptr<testing::IntakeStack> stack_;
  SqliteCaseStore* store_ = nullptr;
  CaseEngine* engine_ = nullptr;
  CaseMailer* mailer_ = nullptr;
  Intake* intake_ = nullptr;
  FakeReader* reader_ = nullptr;
  FakeSource source_;
  FakeTransport transport_;
  std::unique_ptr<MailboxWatcher> mailbox_;
  std::unique_ptr<OutboxSender> outbox_;
  std::unique_ptr<DeadlineWatcher> deadlines_;
  std::unique_ptr<Service> service_;
  std::vector<std::string> log_;
  int alive_ = 0;
};

TEST_F(ServiceTest, OnePassIngestsSendsAndCounts) {
  MailFacts f;
  f.message_id = "a@example.org";
  f.from = {"Jo", "jo@example.org"};
  f.subject = "boiler";
  f.new_text = "complaint boiler";
  reader_->table["raw"] = f;
  source_.Deliver("raw");
  service_->RunOnce();
  const ServiceStatus status = service_->status();
  EXPECT_TRUE(status.mailbox_ok);
  EXPECT_EQ(status.counters.at("messages_ingested"), 1);
  EXPECT_EQ(status.counters.at("cases_opened_complaint"), 1);
  EXPECT_EQ(status.counters.at("mail_sent"), 1);
  EXPECT_EQ(transport_.delivered.size(), 1u);
  ASSERT_FALSE(log_.empty());
  EXPECT_NE(log_[0].find("opened WW-2026-00001 (complaint)"), std::string::npos) << log_[0];
  EXPECT_EQ(log_[0].find("jo@example.org"), std::string::npos);  // no personal data
}

// systemd's watchdog hears from the loop at every turn and before every message, so neither an
// idle mailbox nor a long batch reads as a hung daemon.
TEST_F(ServiceTest, SignsOfLifeWhileIdleAndBeforeEveryMessage) {
  service_->RunOnce();
  const int idle = alive_;
  EXPECT_GE(idle, 2);
  for (int i = 0; i < 5; ++i) {
    MailFacts f;
    f.message_id = "m" + std::to_string(i) + "@example.org";
    f.from = {"Jo", "jo@example.org"};
    f.subject = "boiler";
    f.new_text = "complaint boiler " + std::to_string(i);
    reader_->table["raw" + std::to_string(i)] = f;
    source_.Deliver("raw" + std::to_string(i));
  }
  service_->RunOnce();
  // One per message in, one per acknowledgement out (three: the cap on automatic mail to one
  // address), and the pass's own.
  EXPECT_GE(alive_ - idle, 5 + 3 + 2);
  std::atomic<bool> stop{false};
  source_.stop_on_wait = &stop;
  const int before = alive_;
  service_->Run(stop);  // one turn, then the wait for mail ends it
  EXPECT_GE(alive_ - before, 3);
}

// A message the mailbox lists but cannot give is logged once, not at every pass.
TEST_F(ServiceTest, AMessageThatCannotBeFetchedIsLoggedOnce) {
  source_.Deliver("unreadable");
  source_.unreadable = {1};
  service_->RunOnce();
  service_->RunOnce();
  const auto told = std::count_if(log_.begin(), log_.end(), [](const std::string& l) {
    return l.find("UID 1 is listed but could not be read") != std::string::npos;
  });
  EXPECT_EQ(told, 1);
  EXPECT_EQ(service_->status().counters.at("messages_not_fetched"), 1);
}

// 120 messages waiting in the outbox (after an outage, say) go out batch after batch, with a look
// at the mailbox between batches but no wait for new mail until the backlog is gone.
TEST_F(ServiceTest, AnOutboxBacklogIsSentWithoutWaitingBetweenBatches) {
  QueueBacklog(120);
  std::atomic<bool> stop{false};
  source_.stop_on_wait = &stop;
  service_->Run(stop);
  EXPECT_EQ(transport_.delivered.size(), 120u);
  EXPECT_EQ(source_.waits, 1);
}

// complaintsd --once: everything due is sent before it returns, not only the first batch.
TEST_F(ServiceTest, OncePassDrainsTheOutbox) {
  QueueBacklog(120);
  service_->RunOnce();
  EXPECT_EQ(transport_.delivered.size(), 50u);  // one pass: one batch
  service_->RunOnceAndDrain();
  EXPECT_EQ(transport_.delivered.size(), 120u);
  EXPECT_EQ(source_.waits, 0);
}

TEST_F(ServiceTest, TellsTheAdminAfterALongOutageAndWhenItEnds) {
  source_.unreachable = true;
  service_->RunOnce();
  EXPECT_FALSE(service_->status().mailbox_ok);
  EXPECT_NE(service_->status().problem.find("connection refused"), std::string::npos);
  clock_.Advance(std::chrono::minutes{14});
  service_->RunOnce();
  EXPECT_TRUE(transport_.delivered.empty());
  clock_.Advance(std::chrono::minutes{1});
  service_->RunOnce();
  ASSERT_EQ(transport_.delivered.size(), 1u);
  clock_.Advance(std::chrono::minutes{5});
  service_->RunOnce();
  EXPECT_EQ(transport_.delivered.size(), 1u);  // once per outage
  source_.unreachable = false;
  service_->RunOnce();
  EXPECT_TRUE(service_->status().mailbox_ok);
  EXPECT_EQ(transport_.delivered.size(), 2u);  // and the recovery
}

}  // namespace
}  // namespace complaints
