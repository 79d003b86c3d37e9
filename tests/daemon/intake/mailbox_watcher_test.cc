#include "daemon/intake/mailbox_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "daemon/cases/sqlite_case_store.h"
#include "tests/daemon/fake_clock.h"
#include "tests/daemon/fake_mail.h"
#include "tests/daemon/intake_stack.h"
#include "tests/daemon/wal_log_vfs.h"

namespace complaints {
namespace {

using testing::FakeClassifier;
using testing::FakeClock;
using testing::FakeReader;
using testing::FakeSource;
using testing::Instant;

class MailboxWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MailSettings settings;
    settings.admin_address = "it@ha.example";  // told of quarantined mail
    stack_ = std::make_unique<testing::IntakeStack>("watcher_mb_test", "westway", settings, clock_);
    store_ = stack_->store.get();
    engine_ = stack_->engine.get();
    mailer_ = stack_->mailer.get();
    intake_ = stack_->intake.get();
    reader_ = &stack_->reader;
  }

  void Deliver(const std::string& raw, const std::string& label) {
    MailFacts f;
    f.message_id = raw + "@example.org";
    f.from = {"Resident", raw + "@example.org"};
    f.subject = raw;
    f.new_text = label + " text";
    reader_->table[raw] = f;
    source_.Deliver(raw);
  }

  MailboxWatcher::Pass Run() {
    MailboxWatcher watcher(source_, *store_, *intake_, {});  // new each time: as after a restart
    Result<MailboxWatcher::Pass> pass = watcher.RunOnce();
    EXPECT_TRUE(pass.ok()) << (pass.ok() ? "" : pass.error());
    return pass.ok() ? *pass : MailboxWatcher::Pass{};
  }

  size_t Cases() {
    CaseQuery all;
    all.include_closed = true;
    return store_->ListCases(all)->size();
  }

  FakeClock clock_{Instant("2026-06-10T09:30:00+01:00")};
  std::unique_ptr<testing::IntakeStack> stack_;
  SqliteCaseStore* store_ = nullptr;
  CaseEngine* engine_ = nullptr;
  CaseMailer* mailer_ = nullptr;
  Intake* intake_ = nullptr;
  FakeReader* reader_ = nullptr;
  FakeSource source_;
};

// A message the mailbox lists but does not return (unreadable for now) stays in the inbox and
// the cursor stays below it, in its batch and in later ones, so the next pass tries it again.
TEST_F(MailboxWatcherTest, AMessageThatCannotBeFetchedIsTriedAgainNotSkipped) {
  for (const char* raw : {"a", "b", "c", "d"}) Deliver(raw, "complaint");
  source_.unreadable = {2};
  MailboxWatcher watcher(source_, *store_, *intake_, {"Processed", "Quarantine", 1});
  Result<MailboxWatcher::Pass> first = watcher.RunOnce();
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->outcomes.size(), 3u);
  EXPECT_EQ(first->not_fetched, std::vector<uint32_t>{2});
  EXPECT_EQ(source_.folders["INBOX"].count(2), 1u);  // still there
  EXPECT_EQ(Cases(), 3u);

  source_.unreadable.clear();  // readable again (a permission put right, say)
  const MailboxWatcher::Pass second = Run();
  ASSERT_EQ(second.outcomes.size(), 1u);
  EXPECT_EQ(second.outcomes[0].kind, IntakeOutcome::Kind::kOpened);
  EXPECT_TRUE(second.not_fetched.empty());
  EXPECT_TRUE(source_.folders["INBOX"].empty());
  EXPECT_EQ(Cases(), 4u);
}

// When the batch's commits cannot be flushed to disk, nothing leaves the inbox and the cursor
// stays: after a power cut the messages are all still there to be taken in again.
TEST_F(MailboxWatcherTest, NothingMovesWhenTheBatchCannotBeFlushed) {
  testing::wal_log::Installed recording;  // before the store opens
  auto stack = std::make_unique<testing::IntakeStack>("watcher_flush_test", "westway",
                                                      MailSettings{}, clock_);
  for (const char* name : {"a", "b"}) {
    MailFacts f;
    f.message_id = std::string(name) + "@example.org";
    f.from = {"Resident", std::string(name) + "@example.org"};
    f.subject = name;
    f.new_text = "complaint text";
    stack->reader.table[name] = f;
    source_.Deliver(name);
  }
  testing::wal_log::fail_syncs = true;
  for (int pass = 0; pass < 2; ++pass) {  // and the next pass refuses too
    MailboxWatcher watcher(source_, *stack->store, *stack->intake, {});
    Result<MailboxWatcher::Pass> result = watcher.RunOnce();
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().find("flush"), std::string::npos) << result.error();
    EXPECT_EQ(source_.folders["INBOX"].size(), 2u);
    EXPECT_TRUE(source_.folders["Processed"].empty());
    EXPECT_TRUE(source_.folders["Quarantine"].empty());
  }
  testing::wal_log::fail_syncs = false;
  Result<std::optional<FolderCursor>> cursor = Result<std::optional<FolderCursor>>::Error("unread");
  ASSERT_TRUE(stack->store
                  ->InTransaction([&](StoreTransaction& txn) {
                    cursor = txn.GetCursor(source_.Name(), "INBOX");
                    return cursor.status();
                  })
                  .ok());
  EXPECT_FALSE(cursor->has_value()) << "the cursor moved past messages still in the inbox";
}

TEST_F(MailboxWatcherTest, NewMailBecomesCasesAndMovesOnlyAfterwards) {
  Deliver("a", "complaint");
  Deliver("b", "compliment");
  Deliver("broken", "complaint");
  reader_->table.erase("broken");  // unreadable
  const MailboxWatcher::Pass pass = Run();
  EXPECT_EQ(pass.fetched, 3);
  EXPECT_EQ(Cases(), 2u);
  EXPECT_TRUE(source_.folders["INBOX"].empty());
  EXPECT_EQ(source_.folders["Processed"].size(), 2u);
  EXPECT_EQ(source_.folders["Quarantine"].size(), 1u);
  EXPECT_EQ(Run().fetched, 0);
}

// A quarantined message whose move failed goes to the quarantine folder when it comes back,
// not to Processed, and staff are not told twice.
TEST_F(MailboxWatcherTest, AQuarantinedMessageStaysQuarantinedAfterAFailedMove) {
  source_.Deliver("garbage");  // the reader knows nothing of it: quarantined
  source_.failing_moves = 1;
  MailboxWatcher watcher(source_, *store_, *intake_, {});
  EXPECT_FALSE(watcher.RunOnce().ok());
  const size_t told = store_->DueOutgoing(Instant("2100-01-01T00:00:00Z"), 100)->size();
  EXPECT_EQ(told, 1u);
  const MailboxWatcher::Pass again = Run();
  ASSERT_EQ(again.outcomes.size(), 1u);
  EXPECT_EQ(again.outcomes[0].detail, "already quarantined");
  EXPECT_EQ(source_.folders["Quarantine"].size(), 1u);
  EXPECT_TRUE(source_.folders["Processed"].empty());
  EXPECT_EQ(store_->DueOutgoing(Instant("2100-01-01T00:00:00Z"), 100)->size(), told);
}

TEST_F(MailboxWatcherTest, AFailedMoveLosesNothingAndDuplicatesNothing) {
  Deliver("a", "complaint");
  Deliver("b", "complaint");
  source_.failing_moves = 1;  // as if the process died after intake committed
  MailboxWatcher watcher(source_, *store_, *intake_, {});
  EXPECT_FALSE(watcher.RunOnce().ok());
  EXPECT_EQ(Cases(), 2u);
  EXPECT_EQ(source_.folders["INBOX"].size(), 2u);  // still there, nothing lost
  const MailboxWatcher::Pass again = Run();
  EXPECT_EQ(again.fetched, 2);
  for (const IntakeOutcome& o : again.outcomes) {
    EXPECT_EQ(o.kind, IntakeOutcome::Kind::kDuplicate);
  }
  EXPECT_EQ(Cases(), 2u);
  EXPECT_EQ(source_.folders["Processed"].size(), 2u);
}

TEST_F(MailboxWatcherTest, UidValidityChangeResynchronisesWithoutDuplicates) {
  Deliver("a", "complaint");
  source_.failing_moves = 100;  // messages stay in INBOX
  MailboxWatcher(source_, *store_, *intake_, {}).RunOnce();
  source_.Renumber();
  Deliver("b", "comment");
  source_.failing_moves = 0;
  const MailboxWatcher::Pass pass = Run();
  EXPECT_EQ(pass.fetched, 2);
  EXPECT_EQ(Cases(), 2u);  // "a" once, "b" once
  EXPECT_EQ(source_.folders["Processed"].size(), 2u);
}

TEST_F(MailboxWatcherTest, AStopRequestEndsThePassAfterTheMessageInHand) {
  for (int i = 0; i < 5; ++i) Deliver("s" + std::to_string(i), "complaint");
  std::atomic<bool> stop{true};
  MailboxWatcher watcher(source_, *store_, *intake_, {});
  Result<MailboxWatcher::Pass> pass = watcher.RunOnce(&stop);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->outcomes.size(), 0u);
  EXPECT_EQ(source_.folders["INBOX"].size(), 5u);  // untouched, for the next start
  stop = false;
  EXPECT_EQ(watcher.RunOnce(&stop)->outcomes.size(), 5u);
}

TEST_F(MailboxWatcherTest, ManyMessagesInBatches) {
  for (int i = 0; i < 250; ++i) Deliver("m" + std::to_string(i), "service_request");
  const MailboxWatcher::Pass pass = Run();
  EXPECT_EQ(pass.fetched, 250);
  EXPECT_EQ(Cases(), 250u);
  EXPECT_TRUE(source_.folders["INBOX"].empty());
}

}  // namespace
}  // namespace complaints
