#include "daemon/mailbox_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "daemon/sqlite_case_store.h"
#include "tests/daemon/fake_clock.h"
#include "tests/daemon/fake_mail.h"

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
    dir_ = std::filesystem::temp_directory_path() /
           ("watcher_mb_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(SqliteCaseStore::Open((dir_ / "c.db").string())).value();
    policy_ = *LoadPolicy(std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/westway.json");
    templates_ = std::make_unique<MailTemplates>(
        *MailTemplates::Load(std::string(COMPLAINTSD_SOURCE_DIR) + "/templates"));
    hours_ = std::make_unique<BusinessHours>(WorkingCalendar(), std::chrono::hours{17});
    engine_ = std::make_unique<CaseEngine>(*store_, policy_, *hours_, clock_);
    MailSettings settings;
    settings.signing_key = "k";
    mailer_ = std::make_unique<CaseMailer>(*templates_, policy_, *hours_, settings, clock_);
    intake_ = std::make_unique<Intake>(*store_, *engine_, *mailer_, reader_, classifier_, clock_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Deliver(const std::string& raw, const std::string& label) {
    MailFacts f;
    f.message_id = raw + "@example.org";
    f.from = {"Resident", raw + "@example.org"};
    f.subject = raw;
    f.new_text = label + " text";
    reader_.table[raw] = f;
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

  std::filesystem::path dir_;
  FakeClock clock_{Instant("2026-06-10T09:30:00+01:00")};
  std::unique_ptr<SqliteCaseStore> store_;
  Policy policy_;
  std::unique_ptr<MailTemplates> templates_;
  std::unique_ptr<BusinessHours> hours_;
  std::unique_ptr<CaseEngine> engine_;
  std::unique_ptr<CaseMailer> mailer_;
  std::unique_ptr<Intake> intake_;
  FakeReader reader_;
  FakeClassifier classifier_;
  FakeSource source_;
};

TEST_F(MailboxWatcherTest, NewMailBecomesCasesAndMovesOnlyAfterwards) {
  Deliver("a", "complaint");
  Deliver("b", "compliment");
  Deliver("broken", "complaint");
  reader_.table.erase("broken");  // unreadable
  const MailboxWatcher::Pass pass = Run();
  EXPECT_EQ(pass.fetched, 3);
  EXPECT_EQ(Cases(), 2u);
  EXPECT_TRUE(source_.folders["INBOX"].empty());
  EXPECT_EQ(source_.folders["Processed"].size(), 2u);
  EXPECT_EQ(source_.folders["Quarantine"].size(), 1u);
  EXPECT_EQ(Run().fetched, 0);
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

TEST_F(MailboxWatcherTest, ManyMessagesInBatches) {
  for (int i = 0; i < 250; ++i) Deliver("m" + std::to_string(i), "service_request");
  const MailboxWatcher::Pass pass = Run();
  EXPECT_EQ(pass.fetched, 250);
  EXPECT_EQ(Cases(), 250u);
  EXPECT_TRUE(source_.folders["INBOX"].empty());
}

}  // namespace
}  // namespace complaints
