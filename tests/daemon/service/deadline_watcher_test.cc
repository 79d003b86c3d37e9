#include "daemon/service/deadline_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "daemon/calendar/london_time.h"
#include "daemon/cases/case_engine.h"
#include "daemon/cases/sqlite_case_store.h"
#include "tests/daemon/fake_clock.h"
#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::FakeClock;
using testing::Instant;

class DeadlineWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("watcher_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(SqliteCaseStore::Open((dir_ / "c.db").string())).value();
    templates_ = std::make_unique<MailTemplates>(
        *MailTemplates::Load(std::string(COMPLAINTSD_SOURCE_DIR) + "/templates"));
    hours_ = std::make_unique<BusinessHours>(WorkingCalendar(), std::chrono::hours{17});
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Use(const std::string& policy_name, WatcherSettings settings = {}) {
    policy_ = *LoadPolicy(std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/" + policy_name +
                          ".json");
    hours_ = std::make_unique<BusinessHours>(WorkingCalendar(policy_.division),
                                             policy_.close_of_business);
    engine_ = std::make_unique<CaseEngine>(*store_, policy_, *hours_, clock_);
    MailSettings mail;
    mail.from = {"Complaints", "complaints@ha.example"};
    mail.message_id_domain = "ha.example";
    mail.signing_key = "k";
    mail.manager_address = "manager@ha.example";
    mailer_ = std::make_unique<CaseMailer>(*templates_, policy_, *hours_, mail, clock_);
    settings.board_member_address = "board@ha.example";
    watcher_ = std::make_unique<DeadlineWatcher>(*store_, *mailer_, *hours_, settings, clock_);
  }

  std::string Open() {
    OpenRequest r;
    r.contact.name = "Jo";
    r.contact.emails = {"jo@example.org"};
    return engine_->Open(r, "staff")->reference;
  }

  DeadlineWatcher::Pass RunAt(const std::string& iso) {
    clock_.Set(iso);
    Result<DeadlineWatcher::Pass> pass = watcher_->RunOnce();
    EXPECT_TRUE(pass.ok()) << (pass.ok() ? "" : pass.error());
    return pass.ok() ? *pass : DeadlineWatcher::Pass{-1, -1, -1};
  }

  std::vector<OutboxItem> Outbox() {
    return std::move(store_->DueOutgoing(Instant("2100-01-01T00:00:00Z"), 100)).value();
  }

  std::filesystem::path dir_;
  FakeClock clock_{Instant("2026-06-10T09:30:00+01:00")};
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<MailTemplates> templates_;
  std::unique_ptr<BusinessHours> hours_;
  Policy policy_;
  std::unique_ptr<CaseEngine> engine_;
  std::unique_ptr<CaseMailer> mailer_;
  std::unique_ptr<DeadlineWatcher> watcher_;
};

TEST_F(DeadlineWatcherTest, WarnsOnceAtTheStartOfTheLastWorkingDayThenBreachesOnce) {
  Use("hos-code-2024");
  Open();  // acknowledgement due Wed 17 June 17:00
  EXPECT_EQ(RunAt("2026-06-16T08:59:59+01:00").warned, 0);
  EXPECT_EQ(RunAt("2026-06-16T09:00:00+01:00").warned, 1);
  EXPECT_EQ(RunAt("2026-06-16T10:00:00+01:00").warned, 0);  // once
  EXPECT_EQ(RunAt("2026-06-17T16:59:59+01:00").breached, 0);
  const DeadlineWatcher::Pass at_close = RunAt("2026-06-17T17:00:00+01:00");
  EXPECT_EQ(at_close.breached, 1);
  EXPECT_EQ(RunAt("2026-06-18T09:00:00+01:00").breached, 0);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 3u);  // warning to the manager; breach to the manager and the board
  EXPECT_EQ(outbox[0].kind, "deadline-warning");
  EXPECT_NE(outbox[0].raw.find("Stage 1 acknowledgement"), std::string::npos);
  EXPECT_EQ(outbox[1].kind, "deadline-breach");
  EXPECT_EQ(outbox[2].recipients, std::vector<std::string>{"board@ha.example"});
  std::vector<std::string> actions;
  for (const HistoryEntry& h : *store_->History(store_->FindCase("CX-2026-00001")->id)) {
    actions.push_back(h.action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"opened", "deadline_warning", "deadline_breached"}));
}

TEST_F(DeadlineWatcherTest, ARestartDoesNotRepeatAndAnExtensionIsWatchedAfresh) {
  Use("hos-code-2024");
  const std::string ref = Open();
  clock_.Set("2026-06-11T10:00:00+01:00");
  ASSERT_TRUE(engine_->Acknowledge(ref, "s").ok());  // response due Thu 25 June
  EXPECT_EQ(RunAt("2026-06-24T09:00:00+01:00").warned, 1);
  Use("hos-code-2024");  // a new watcher, as after a restart
  EXPECT_EQ(RunAt("2026-06-24T12:00:00+01:00").warned, 0);
  clock_.Set("2026-06-24T13:00:00+01:00");
  ASSERT_TRUE(engine_->Extend(ref, 5, "contractor report", "s").ok());  // now Thu 2 July
  EXPECT_EQ(RunAt("2026-06-25T17:00:00+01:00").breached, 0);            // the old deadline is gone
  EXPECT_EQ(RunAt("2026-07-01T09:00:00+01:00").warned, 1);
  EXPECT_EQ(RunAt("2026-07-02T17:00:00+01:00").breached, 1);
}

TEST_F(DeadlineWatcherTest, WarningSkipsChristmasAndTheClockChange) {
  Use("westway");
  clock_.Set("2026-12-24T10:00:00Z");
  Open();  // acknowledgement: 2 working days -> Wed 30 December
  EXPECT_EQ(FormatLondonIso(watcher_->WarnAt(Instant("2026-12-30T17:00:00Z"))),
            "2026-12-29T09:00:00+00:00");
  EXPECT_EQ(FormatLondonIso(watcher_->WarnAt(Instant("2026-12-29T17:00:00Z"))),
            "2026-12-24T09:00:00+00:00");
  EXPECT_EQ(FormatLondonIso(watcher_->WarnAt(Instant("2026-10-26T17:00:00Z"))),
            "2026-10-23T09:00:00+01:00");
  EXPECT_EQ(RunAt("2026-12-29T08:59:00Z").warned, 0);
  EXPECT_EQ(RunAt("2026-12-29T09:00:00Z").warned, 1);
}

TEST_F(DeadlineWatcherTest, ScottishFrontlineResponseOverStAndrewsDay) {
  Use("spso-model");
  clock_.Set("2026-11-27T10:00:00Z");
  Open();  // frontline response due Mon 7 December (Mon 30 November is St Andrew's Day)
  EXPECT_EQ(RunAt("2026-12-04T08:59:00Z").warned, 0);
  EXPECT_EQ(RunAt("2026-12-04T09:00:00Z").warned, 1);
  EXPECT_EQ(RunAt("2026-12-07T16:59:59Z").breached, 0);
  EXPECT_EQ(RunAt("2026-12-07T17:00:00Z").breached, 1);
}

TEST_F(DeadlineWatcherTest, WillowTreeInformalStageHasNoDeadlineToWarnAbout) {
  Use("willow-tree");
  OpenRequest informal;
  informal.pre_formal = true;
  informal.contact.name = "Jo";
  ASSERT_TRUE(engine_->Open(informal, "staff").ok());
  const DeadlineWatcher::Pass pass = RunAt("2027-06-10T09:00:00+01:00");
  EXPECT_EQ(pass.warned + pass.breached, 0);
}

TEST_F(DeadlineWatcherTest, MetDeadlinesAreNeitherWarnedNorBreached) {
  Use("hos-code-2024");
  const std::string ref = Open();
  clock_.Set("2026-06-12T10:00:00+01:00");
  ASSERT_TRUE(engine_->Acknowledge(ref, "s").ok());
  const DeadlineWatcher::Pass pass = RunAt("2026-06-18T09:00:00+01:00");
  EXPECT_EQ(pass.warned + pass.breached, 0);
}

TEST_F(DeadlineWatcherTest, HoursBeforeMode) {
  WatcherSettings settings;
  settings.warn_hours = std::chrono::hours{4};
  Use("hos-code-2024", settings);
  Open();
  EXPECT_EQ(RunAt("2026-06-17T12:59:00+01:00").warned, 0);
  EXPECT_EQ(RunAt("2026-06-17T13:00:00+01:00").warned, 1);
}

// A message on the triage list (intake/triage.h): staff are warned that it waits for them, and if
// nobody settles it, it is treated as a complaint and acknowledged before the deadline.
class DeadlineWatcherTriageTest : public DeadlineWatcherTest {
 protected:
  std::string OpenTriage() {
    OpenRequest r;
    r.contact.name = "Jo";
    r.contact.emails = {"jo@example.org"};
    r.needs_review = true;
    r.flags = {"triage", "triage-alternative:compliment"};
    return engine_->Open(r, "complaintsd")->reference;  // acknowledgement due Wed 17 June 17:00
  }
  std::vector<std::string> Kinds() {
    std::vector<std::string> kinds;
    for (const OutboxItem& item : Outbox()) kinds.push_back(item.kind);
    return kinds;
  }
};

TEST_F(DeadlineWatcherTriageTest, UnsettledTriageIsWarnedAboutThenTreatedAsAComplaint) {
  Use("hos-code-2024");
  watcher_->EnableTriageDecision(*engine_, TriageDecision{});  // the default: complaint, 1 h
  const std::string ref = OpenTriage();
  const DeadlineWatcher::Pass warned = RunAt("2026-06-16T09:00:00+01:00");
  EXPECT_EQ(warned.warned, 1);
  EXPECT_EQ(warned.triage_settled, 0);
  ASSERT_EQ(Outbox().size(), 1u);
  const std::string warning = testing::JoinSoftBreaks(Outbox()[0].raw);
  EXPECT_NE(warning.find("triage list"), std::string::npos);
  EXPECT_NE(warning.find("complaint or a compliment"), std::string::npos);
  EXPECT_NE(warning.find("it will be treated as a complaint"), std::string::npos);
  EXPECT_TRUE(store_->FindCase(ref)->HasFlag("triage"));
  EXPECT_EQ(RunAt("2026-06-17T15:59:59+01:00").triage_settled, 0);
  EXPECT_EQ(RunAt("2026-06-17T16:00:00+01:00").triage_settled, 1);
  const CaseRecord c = *store_->FindCase(ref);
  EXPECT_FALSE(c.HasFlag("triage"));
  EXPECT_EQ(c.type, CaseType::kComplaint);
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"deadline-warning", "ack-stage"}));
  EXPECT_EQ(Outbox()[1].recipients, std::vector<std::string>{"jo@example.org"});
  EXPECT_EQ(RunAt("2026-06-17T16:30:00+01:00").triage_settled, 0);  // once
}

TEST_F(DeadlineWatcherTriageTest, WaitLeavesItForAPersonAndTheDeadlineBreaches) {
  Use("hos-code-2024");
  TriageDecision wait;
  wait.treat_as_complaint = false;
  watcher_->EnableTriageDecision(*engine_, wait);
  const std::string ref = OpenTriage();
  RunAt("2026-06-16T09:00:00+01:00");
  EXPECT_NE(testing::JoinSoftBreaks(Outbox()[0].raw).find("it breaches if it is left"),
            std::string::npos);
  EXPECT_EQ(RunAt("2026-06-17T16:00:00+01:00").triage_settled, 0);
  EXPECT_EQ(RunAt("2026-06-17T17:00:00+01:00").breached, 1);
  EXPECT_TRUE(store_->FindCase(ref)->HasFlag("triage"));
}

}  // namespace
}  // namespace complaints
