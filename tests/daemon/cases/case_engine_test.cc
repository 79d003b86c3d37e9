#include "daemon/cases/case_engine.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "daemon/calendar/london_time.h"
#include "daemon/cases/sqlite_case_store.h"
#include "tests/daemon/fake_clock.h"

namespace complaints {
namespace {

using testing::FakeClock;
using testing::Instant;

Policy LoadShipped(const std::string& name) {
  Result<Policy> p =
      LoadPolicy(std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/" + name + ".json");
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error());
  return p.ok() ? *p : Policy{};
}

class CaseEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("case_engine_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Result<std::unique_ptr<SqliteCaseStore>> store = SqliteCaseStore::Open(db_path());
    ASSERT_TRUE(store.ok()) << store.error();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string db_path() const { return (dir_ / "cases.db").string(); }

  CaseEngine& Engine(const std::string& policy_name) {
    Policy policy = LoadShipped(policy_name);
    BusinessHours hours(WorkingCalendar(policy.division), policy.close_of_business);
    engine_ = std::make_unique<CaseEngine>(*store_, policy, hours, clock_);
    return *engine_;
  }

  CaseRecord Open(CaseEngine& engine, OpenRequest request = {}) {
    if (request.contact.emails.empty()) {
      request.contact.name = "Jo Bloggs";
      request.contact.emails = {"jo@example.org"};
    }
    request.summary = "The boiler is still broken after three visits";
    Result<CaseRecord> c = engine.Open(request, "staff");
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error());
    return c.ok() ? *c : CaseRecord{};
  }

  static std::string Due(const CaseRecord& c, std::string_view kind) {
    const Deadline* d = c.OpenDeadline(kind);
    return d ? FormatLondonIso(d->due_at) : "none";
  }

  template <typename T>
  static T Ok(Result<T> r) {
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
    return r.ok() ? std::move(r).value() : T{};
  }

  std::vector<std::string> Actions(const CaseRecord& c) {
    std::vector<std::string> out;
    for (const HistoryEntry& h : Ok(store_->History(c.id))) out.push_back(h.action);
    return out;
  }

  std::filesystem::path dir_;
  FakeClock clock_{Instant("2026-06-10T09:30:00+01:00")};
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<CaseEngine> engine_;
};

TEST_F(CaseEngineTest, CodePolicyWholeProcess) {
  CaseEngine& engine = Engine("hos-code-2024");
  CaseRecord c = Open(engine);
  const std::string ref = c.reference;
  EXPECT_EQ(ref, "CX-2026-00001");
  EXPECT_EQ(c.status, "open");
  EXPECT_EQ(Due(c, "acknowledge"), "2026-06-17T17:00:00+01:00");
  EXPECT_EQ(Due(c, "respond"), "2026-07-01T17:00:00+01:00");  // provisional: 5 + 10

  clock_.Set("2026-06-12T10:00:00+01:00");
  c = Ok(engine.Acknowledge(ref, "staff"));
  EXPECT_EQ(Due(c, "respond"), "2026-06-26T17:00:00+01:00");  // 10 from the real ack
  EXPECT_EQ(c.OpenDeadline("acknowledge"), nullptr);
  Ok(engine.Assign(ref, {"Ann Handler"}, "manager"));
  Ok(engine.Define(ref, "Boiler repair delayed three times", "A working boiler", "Ann Handler"));

  c = Ok(engine.Extend(ref, 6, "waiting for the contractor's report", "Ann Handler"));
  EXPECT_EQ(Due(c, "respond"), "2026-07-06T17:00:00+01:00");
  Result<CaseRecord> over = engine.Extend(ref, 5, "more time", "Ann Handler");
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().find("at most 10 working days in all; 6 working days already granted"),
            std::string::npos)
      << over.error();
  c = Ok(engine.Extend(ref, 4, "contractor on leave", "Ann Handler"));  // exactly at the cap
  EXPECT_EQ(Due(c, "respond"), "2026-07-10T17:00:00+01:00");

  clock_.Set("2026-07-08T12:00:00+01:00");
  StageResponse response;
  response.outcome = "partly_upheld";
  response.apology = true;
  response.financial = {{5000, "inconvenience"}};
  response.actions = {{0, 0, "Replace the boiler", std::nullopt, std::nullopt}};
  c = Ok(engine.Respond(ref, response, "Ann Handler"));
  EXPECT_EQ(c.status, "responded");
  EXPECT_EQ(Due(c, "escalation_window"), "2026-08-05T17:00:00+01:00");

  clock_.Set("2026-07-20T09:00:00+01:00");
  c = Ok(engine.Escalate(ref, "staff"));
  EXPECT_EQ(c.stage, 2);
  EXPECT_EQ(Due(c, "acknowledge"), "2026-07-27T17:00:00+01:00");
  Result<CaseRecord> same = engine.Assign(ref, {"ann handler"}, "manager");
  ASSERT_FALSE(same.ok());
  EXPECT_NE(same.error().find("not involved before"), std::string::npos);
  Ok(engine.Assign(ref, {"Bob Senior"}, "manager"));
  clock_.Set("2026-07-21T09:00:00+01:00");
  c = Ok(engine.Acknowledge(ref, "Bob Senior"));
  EXPECT_EQ(Due(c, "respond"), "2026-08-18T17:00:00+01:00");

  clock_.Set("2026-08-10T15:00:00+01:00");
  response = {};
  response.outcome = "not_upheld";
  c = Ok(engine.Respond(ref, response, "Bob Senior"));
  EXPECT_EQ(c.OpenDeadline("escalation_window"), nullptr);  // final stage: no window
  Result<CaseRecord> third = engine.Escalate(ref, "staff");
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.error().find("Housing Ombudsman Service"), std::string::npos);

  Result<CaseRecord> early_close = engine.Close(ref, "done", "manager");
  ASSERT_FALSE(early_close.ok());
  EXPECT_NE(early_close.error().find("1 outstanding actions"), std::string::npos);
  ASSERT_EQ(c.actions.size(), 1u);
  Ok(engine.CompleteAction(ref, c.actions[0].id, "Ann Handler"));
  c = Ok(engine.Close(ref, "all done", "manager"));
  EXPECT_EQ(c.status, "closed");

  EXPECT_EQ(Actions(c),
            (std::vector<std::string>{"opened", "acknowledged", "assigned", "defined", "extended",
                                      "extended", "responded", "escalated", "assigned",
                                      "acknowledged", "responded", "action_done", "closed"}));
  // Nothing is overwritten: the three stage 1 response deadlines are all still there.
  int stage1_respond = 0;
  for (const Deadline& d : c.deadlines) stage1_respond += d.stage == 1 && d.kind == "respond";
  EXPECT_EQ(stage1_respond, 4);  // provisional, from the ack, and two extensions
}

TEST_F(CaseEngineTest, WestwayQuickFixLateEscalationAndThreeStages) {
  CaseEngine& engine = Engine("westway");
  clock_.Set("2026-06-15T10:00:00+01:00");
  OpenRequest quick;
  quick.pre_formal = true;
  CaseRecord c = Open(engine, quick);
  const std::string ref = c.reference;
  EXPECT_EQ(ref, "WW-2026-00001");
  EXPECT_EQ(c.status, "pre_formal");
  EXPECT_EQ(Due(c, "pre_formal_resolve"), "2026-06-16T17:00:00+01:00");  // one working day

  clock_.Set("2026-06-16T12:00:00+01:00");
  c = Ok(engine.Resolve(ref, "New appointment made for tomorrow", "Call Centre"));
  EXPECT_EQ(c.status, "resolved");
  EXPECT_EQ(Due(c, "pre_formal_window"), "2026-06-23T17:00:00+01:00");  // five working days

  clock_.Set("2026-06-24T10:00:00+01:00");  // a day after the window
  c = Ok(engine.Escalate(ref, "staff"));
  EXPECT_EQ(c.status, "escalation_review");
  EXPECT_TRUE(c.needs_review);
  EXPECT_TRUE(c.HasFlag("late-escalation-request"));
  EXPECT_EQ(c.stage, 0);

  clock_.Set("2026-06-24T11:00:00+01:00");
  c = Ok(engine.Escalate(ref, "manager", std::nullopt, /*accept_late=*/true));
  EXPECT_EQ(c.stage, 1);
  EXPECT_FALSE(c.HasFlag("late-escalation-request"));
  EXPECT_EQ(Due(c, "acknowledge"), "2026-06-26T17:00:00+01:00");  // 2 of the request
  EXPECT_EQ(Due(c, "respond"), "2026-07-08T17:00:00+01:00");      // 10 of the request

  Ok(engine.Assign(ref, {"Housing Officer"}, "manager"));
  clock_.Set("2026-07-01T10:00:00+01:00");
  StageResponse r;
  r.outcome = "upheld";
  c = Ok(engine.Respond(ref, r, "Housing Officer"));
  EXPECT_EQ(Due(c, "escalation_window"), "2026-07-29T17:00:00+01:00");
  clock_.Set("2026-07-10T10:00:00+01:00");
  c = Ok(engine.Escalate(ref, "staff"));
  EXPECT_EQ(c.CurrentStage()->name, "Stage two");
  Ok(engine.Assign(ref, {"Head of Service"}, "manager"));
  c = Ok(engine.Respond(ref, r, "Head of Service"));
  c = Ok(engine.Escalate(ref, "staff"));
  EXPECT_EQ(c.CurrentStage()->name, "Final stage");
  EXPECT_EQ(c.OpenDeadline("acknowledge"), nullptr);  // the leaflet sets none for the panel
  EXPECT_EQ(Due(c, "respond"), "2026-07-24T17:00:00+01:00");

  Result<CaseRecord> two = engine.Assign(ref, {"Chief Executive", "Board One"}, "manager");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().find("panel of 3"), std::string::npos);
  Result<CaseRecord> involved =
      engine.Assign(ref, {"Chief Executive", "Head of Service", "Tenant Board"}, "manager");
  ASSERT_FALSE(involved.ok());
  EXPECT_NE(involved.error().find("Head of Service handled Stage two"), std::string::npos);
  c = Ok(engine.Assign(ref, {"Chief Executive", "Board One", "Tenant Board"}, "manager"));
  EXPECT_EQ(c.CurrentStage()->panel.size(), 3u);
}

TEST_F(CaseEngineTest, WillowTreeInformalThenReviewPanel) {
  CaseEngine& engine = Engine("willow-tree");
  OpenRequest informal;
  informal.pre_formal = true;
  CaseRecord c = Open(engine, informal);
  const std::string ref = c.reference;
  EXPECT_EQ(ref, "WT-2026-00001");
  EXPECT_TRUE(c.deadlines.empty());       // the leaflet gives the informal stage no timescale
  c = Ok(engine.Escalate(ref, "staff"));  // still unhappy: straight to a formal complaint
  EXPECT_EQ(c.stage, 1);
  EXPECT_EQ(Due(c, "acknowledge"), "2026-06-17T17:00:00+01:00");
  Ok(engine.Assign(ref, {"Mandy Manager"}, "staff"));
  Ok(engine.Acknowledge(ref, "Mandy Manager"));
  StageResponse r;
  r.outcome = "not_upheld";
  Ok(engine.Respond(ref, r, "Mandy Manager"));
  c = Ok(engine.Escalate(ref, "staff"));
  EXPECT_EQ(c.CurrentStage()->name, "Stage 2");
  Result<CaseRecord> bad =
      engine.Assign(ref, {"Board Member", "Mandy Manager", "Resident Rep"}, "staff");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("Mandy Manager handled Stage 1"), std::string::npos);
  c = Ok(engine.Assign(ref, {"Senior Sam", "Board Member", "Resident Rep"}, "staff"));
  EXPECT_EQ(c.CurrentStage()->handler, "panel");
}

TEST_F(CaseEngineTest, SpsoFrontlineOverStAndrewsDayAndDirectEntry) {
  CaseEngine& engine = Engine("spso-model");
  clock_.Set("2026-11-27T10:00:00Z");
  CaseRecord c = Open(engine);
  EXPECT_EQ(c.OpenDeadline("acknowledge"), nullptr);
  EXPECT_EQ(Due(c, "respond"), "2026-12-07T17:00:00+00:00");  // Mon 30 Nov is a holiday
  OpenRequest complex;
  complex.start_stage = 2;
  c = Open(engine, complex);
  EXPECT_EQ(c.stage, 2);
  EXPECT_EQ(Due(c, "acknowledge"), "2026-12-03T17:00:00+00:00");
  CaseEngine& code = Engine("hos-code-2024");
  Result<CaseRecord> refused = code.Open(complex, "staff");
  EXPECT_FALSE(refused.ok());
}

TEST_F(CaseEngineTest, DeadlinesAcrossTheAutumnClockChange) {
  CaseEngine& engine = Engine("hos-code-2024");
  clock_.Set("2026-10-23T16:00:00+01:00");
  EXPECT_EQ(Due(Open(engine), "acknowledge"), "2026-10-30T17:00:00+00:00");
  clock_.Set("2026-10-23T17:30:00+01:00");  // after close: counts from Monday
  EXPECT_EQ(Due(Open(engine), "acknowledge"), "2026-11-02T17:00:00+00:00");
}

TEST_F(CaseEngineTest, RefusedChangeChangesNothing) {
  CaseEngine& engine = Engine("hos-code-2024");
  const CaseRecord opened = Open(engine);
  StageResponse r;
  r.outcome = "maybe";
  EXPECT_FALSE(engine.Respond(opened.reference, r, "x").ok());
  EXPECT_FALSE(engine.Close(opened.reference, "", "x").ok());
  EXPECT_FALSE(engine.Resolve(opened.reference, "", "x").ok());
  EXPECT_FALSE(engine.Extend(opened.reference, 0, "why", "x").ok());
  EXPECT_FALSE(engine.Extend(opened.reference, 2, "", "x").ok());
  const CaseRecord after = Ok(store_->FindCase(opened.reference));
  EXPECT_EQ(after.version, opened.version);
  EXPECT_EQ(after.deadlines.size(), opened.deadlines.size());
  EXPECT_EQ(Actions(after), std::vector<std::string>{"opened"});
}

TEST_F(CaseEngineTest, RefuseWithAPolicyReasonThenReopen) {
  CaseEngine& engine = Engine("hos-code-2024");
  const std::string ref = Open(engine).reference;
  Result<CaseRecord> bad = engine.Refuse(ref, "too-busy", "", "manager");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("older-than-limit, legal-proceedings"), std::string::npos);
  CaseRecord c = Ok(engine.Refuse(ref, "older-than-limit", "repair was in 2024", "manager"));
  EXPECT_EQ(c.status, "refused");
  for (const Deadline& d : c.deadlines) EXPECT_FALSE(d.open());
  clock_.Set("2026-06-11T10:00:00+01:00");
  c = Ok(engine.Reopen(ref, "the resident only learnt of it in May", "manager"));
  EXPECT_EQ(c.status, "open");
  EXPECT_EQ(Due(c, "respond"), "2026-06-25T17:00:00+01:00");
}

TEST_F(CaseEngineTest, CommentHasASimpleFlow) {
  CaseEngine& engine = Engine("westway");
  OpenRequest comment;
  comment.type = CaseType::kComment;
  const CaseRecord c = Open(engine, comment);
  EXPECT_TRUE(c.deadlines.empty());
  EXPECT_FALSE(engine.Escalate(c.reference, "x").ok());
  EXPECT_FALSE(engine.Refuse(c.reference, "neighbour", "", "x").ok());
  EXPECT_EQ(Ok(engine.Resolve(c.reference, "Thanked and passed to the team", "x")).status,
            "closed");
}

TEST_F(CaseEngineTest, ServiceAreaLearningAndOmbudsmanAreKept) {
  CaseEngine& engine = Engine("westway");
  const CaseRecord c = Open(engine);  // "The boiler is still broken after three visits"
  EXPECT_EQ(c.service_area, "repairs");
  ASSERT_TRUE(c.service_area_confidence.has_value());
  EXPECT_GT(*c.service_area_confidence, 0.0);
  EXPECT_LE(*c.service_area_confidence, 1.0);
  EXPECT_TRUE(c.service_area_by.empty());

  EXPECT_FALSE(engine.SetServiceArea(c.reference, "gardening", "amy").ok());
  const CaseRecord confirmed = Ok(engine.SetServiceArea(c.reference, "communication", "amy"));
  EXPECT_EQ(confirmed.service_area, "communication");
  EXPECT_EQ(confirmed.service_area_by, "amy");

  LearningAction action;
  action.what = "Text residents the day before a repair visit";
  action.owner = "Repairs manager";
  action.due_on = std::chrono::sys_days(std::chrono::year{2026} / 9 / 30);
  EXPECT_FALSE(engine.AddLearning(c.reference, LearningAction{}, "amy").ok());  // nothing said
  const CaseRecord learned = Ok(engine.AddLearning(c.reference, action, "amy"));
  ASSERT_EQ(learned.learning.size(), 1u);
  EXPECT_FALSE(learned.learning[0].done_at.has_value());
  const CaseRecord done = Ok(engine.CompleteLearning(c.reference, learned.learning[0].id, "amy"));
  EXPECT_TRUE(done.learning[0].done_at.has_value());
  EXPECT_FALSE(engine.CompleteLearning(c.reference, learned.learning[0].id, "amy").ok());

  EXPECT_FALSE(engine.RecordOmbudsman(c.reference, "guilty", "amy").ok());
  EXPECT_TRUE(Ok(engine.RecordOmbudsman(c.reference, "", "amy")).ombudsman_at.has_value());
  EXPECT_FALSE(engine.RecordOmbudsman(c.reference, "", "amy").ok());  // already there
  EXPECT_EQ(Ok(engine.RecordOmbudsman(c.reference, "service_failure", "amy")).ombudsman_outcome,
            "service_failure");

  // All of it read back from the store, as another process would.
  const CaseRecord stored = Ok(store_->FindCase(c.reference));
  EXPECT_EQ(stored.service_area, "communication");
  EXPECT_EQ(stored.service_area_by, "amy");
  ASSERT_EQ(stored.learning.size(), 1u);
  EXPECT_EQ(stored.learning[0].what, action.what);
  EXPECT_EQ(stored.learning[0].owner, "Repairs manager");
  EXPECT_EQ(stored.learning[0].due_on, action.due_on);
  EXPECT_TRUE(stored.learning[0].done_at.has_value());
  EXPECT_EQ(stored.ombudsman_outcome, "service_failure");
  const std::vector<std::string> actions = Actions(c);
  for (const char* expected : {"service_area", "learning_action", "learning_done", "ombudsman",
                               "ombudsman_determination"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), expected), actions.end()) << expected;
  }
}

TEST_F(CaseEngineTest, SameEmailIsTheSameContact) {
  CaseEngine& engine = Engine("hos-code-2024");
  const CaseRecord a = Open(engine);
  OpenRequest other;
  other.contact.name = "J. Bloggs";
  other.contact.emails = {"JO@example.org"};
  const CaseRecord b = Open(engine, other);
  EXPECT_EQ(a.contact_id, b.contact_id);
  EXPECT_NE(a.reference, b.reference);
}

TEST_F(CaseEngineTest, PolicyMismatchIsRefused) {
  const std::string ref = Open(Engine("westway")).reference;
  Result<CaseRecord> r = Engine("hos-code-2024").Acknowledge(ref, "x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("follows policy 'westway'"), std::string::npos);
}

TEST_F(CaseEngineTest, TwoProcessesNeverShareAReference) {
  constexpr int kPerProcess = 30;
  store_.reset();  // each process opens its own connection, as the daemon and complaintsctl do
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      Result<std::unique_ptr<SqliteCaseStore>> store = SqliteCaseStore::Open(db_path());
      if (!store) _exit(3);
      Policy policy = LoadShipped("hos-code-2024");
      CaseEngine engine(**store, policy, BusinessHours(WorkingCalendar(), std::chrono::hours{17}),
                        clock_);
      for (int i = 0; i < kPerProcess; ++i) {
        OpenRequest request;
        request.contact.name = "Process " + std::to_string(p);
        if (!engine.Open(request, "p").ok()) _exit(4);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
  }
  Result<std::unique_ptr<SqliteCaseStore>> store = SqliteCaseStore::Open(db_path());
  ASSERT_TRUE(store.ok());
  CaseQuery all;
  all.include_closed = true;
  const std::vector<CaseRecord> cases = Ok((*store)->ListCases(all));
  std::set<std::string> refs;
  for (const CaseRecord& c : cases) refs.insert(c.reference);
  EXPECT_EQ(cases.size(), 2u * kPerProcess);
  EXPECT_EQ(refs.size(), 2u * kPerProcess);
  EXPECT_EQ(*refs.begin(), "CX-2026-00001");
  EXPECT_EQ(*refs.rbegin(), "CX-2026-00060");
}

}  // namespace
}  // namespace complaints

namespace complaints {
namespace {

TEST_F(CaseEngineTest, RelabelIntoAComplaintStartsTheClockAtReceipt) {
  CaseEngine& engine = Engine("hos-code-2024");
  OpenRequest request;
  request.type = CaseType::kServiceRequest;
  request.needs_review = true;
  CaseRecord c = Open(engine, request);
  EXPECT_EQ(c.stage, 0);
  EXPECT_EQ(Due(c, "acknowledge"), "none");
  clock_.Set("2026-06-15T11:00:00+01:00");  // staff notice three working days later
  EXPECT_FALSE(engine.Relabel(c.reference, CaseType::kComplaint, "", "Sam").ok());  // why?
  c = Ok(
      engine.Relabel(c.reference, CaseType::kComplaint, "resident is unhappy with delays", "Sam"));
  EXPECT_EQ(c.type, CaseType::kComplaint);
  EXPECT_EQ(c.stage, 1);
  EXPECT_FALSE(c.needs_review);
  // The Code's clock started when the message arrived, not when a person read it.
  EXPECT_EQ(Due(c, "acknowledge"), "2026-06-17T17:00:00+01:00");
  const std::vector<HistoryEntry> history = Ok(store_->History(c.id));
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().action, "relabelled");
  EXPECT_EQ(history.back().actor, "Sam");
  EXPECT_EQ(history.back().detail, "service_request -> complaint: resident is unhappy with delays");
  EXPECT_FALSE(engine.Relabel(c.reference, CaseType::kComplaint, "again", "Sam").ok());

  // The correction is training data: the case's label now, with the message that opened it.
  ASSERT_TRUE(store_
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    IncomingMessage m;
                    m.raw = "Subject: tap\r\n\r\nThe tap still drips after two visits.\r\n";
                    m.sha256 = "feed";
                    Result<StoredMessage> stored = txn.StoreIncoming(m);
                    if (!stored) return stored.status();
                    return txn.SetMessageState(stored->id, "processed", "service_request", c.id);
                  })
                  .ok());
  const auto corrections = Ok(store_->RelabelledCases());
  ASSERT_EQ(corrections.size(), 1u);
  EXPECT_EQ(corrections[0].first, "complaint");
  EXPECT_NE(corrections[0].second.find("still drips"), std::string::npos);
}

TEST_F(CaseEngineTest, RelabelOutOfAComplaintOnlyBeforeAResponse) {
  CaseEngine& engine = Engine("hos-code-2024");
  CaseRecord c = Open(engine);
  c = Ok(engine.Relabel(c.reference, CaseType::kAsb, "a report about a neighbour", "Sam"));
  EXPECT_EQ(c.type, CaseType::kAsb);
  EXPECT_EQ(c.stage, 0);
  EXPECT_EQ(Due(c, "acknowledge"), "none");  // superseded, kept in the record
  EXPECT_EQ(Due(c, "respond"), "none");
  for (const Deadline& d : c.deadlines) EXPECT_TRUE(d.superseded_at.has_value()) << d.kind;

  CaseRecord answered = Open(engine);
  Ok(engine.Acknowledge(answered.reference, "staff"));
  StageResponse response;
  response.outcome = "not_upheld";
  Ok(engine.Respond(answered.reference, response, "Ann Handler"));
  Result<CaseRecord> refused =
      engine.Relabel(answered.reference, CaseType::kComment, "only an opinion", "Sam");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("stays a complaint"), std::string::npos) << refused.error();
}

}  // namespace
}  // namespace complaints
