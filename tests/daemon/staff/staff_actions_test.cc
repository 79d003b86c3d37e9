#include "daemon/staff/staff_actions.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "daemon/cases/sqlite_case_store.h"
#include "tests/daemon/fake_clock.h"

namespace complaints {
namespace {

using testing::FakeClock;

class StaffActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("staff_actions_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = SqliteCaseStore::Open((dir_ / "c.db").string());
    ASSERT_TRUE(store.ok()) << store.error();
    store_ = std::move(store).value();
    Result<Policy> policy =
        LoadPolicy(std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/westway.json");
    ASSERT_TRUE(policy.ok()) << policy.error();
    policy_ = *policy;
    engine_ = std::make_unique<CaseEngine>(
        *store_, policy_,
        BusinessHours(WorkingCalendar(policy_.division), policy_.close_of_business), clock_);
    desk_ = std::make_unique<StaffDesk>(
        StaffDesk{*store_, *engine_, nullptr, policy_, clock_, "complaintsd"});
  }
  void TearDown() override {
    desk_.reset();
    engine_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string OpenPhoneComplaint() {
    ActionFields f;
    f.Add("type", "complaint");
    f.Add("channel", "phone");
    f.Add("name", "Jo Bloggs");
    f.Add("email", "jo@example.org");
    f.Add("summary", "Repairs operative did not turn up twice");
    Result<CaseRecord> c = OpenStaffCase(*desk_, f, "Pat Officer");
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error());
    return c.ok() ? c->reference : "";
  }
  SeenCase Seen(const std::string& ref) {
    Result<CaseRecord> c = store_->FindCase(ref);
    Result<std::vector<HistoryEntry>> h = store_->History(c->id);
    return SeenCase{c->version, h->size()};
  }
  static ActionFields Fields(std::initializer_list<std::pair<std::string, std::string>> items) {
    ActionFields f;
    for (const auto& [name, value] : items) f.Add(name, value);
    return f;
  }

  FakeClock clock_{testing::Instant("2026-06-10T09:30:00+01:00")};
  Policy policy_;
  std::filesystem::path dir_;
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<CaseEngine> engine_;
  std::unique_ptr<StaffDesk> desk_;
};

TEST_F(StaffActionsTest, TheActionIsRecordedUnderTheStaffMembersName) {
  const std::string ref = OpenPhoneComplaint();
  ASSERT_TRUE(RunStaffAction(*desk_, "ack", ref, {}, "Pat Officer", Seen(ref)).ok());
  auto c = store_->FindCase(ref);
  auto h = store_->History(c->id);
  ASSERT_FALSE(h->empty());
  EXPECT_EQ(h->back().actor, "Pat Officer");
  ASSERT_FALSE(c->stages.empty());
  EXPECT_TRUE(c->stages.back().acknowledged_at.has_value());
}

TEST_F(StaffActionsTest, AnActionFromAStalePageIsRefusedWithWhatChanged) {
  const std::string ref = OpenPhoneComplaint();
  const SeenCase both_loaded = Seen(ref);  // two officers open the case page
  ASSERT_TRUE(RunStaffAction(*desk_, "define", ref,
                             Fields({{"definition", "Two missed repair appointments"}}),
                             "Pat Officer", both_loaded)
                  .ok());
  const int64_t version_after = store_->FindCase(ref)->version;
  Result<CaseRecord> second =
      RunStaffAction(*desk_, "define", ref, Fields({{"definition", "Something else entirely"}}),
                     "Sam Officer", both_loaded);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("changed since you loaded it"), std::string::npos);
  EXPECT_NE(second.error().find("Pat Officer"), std::string::npos) << second.error();
  auto c = store_->FindCase(ref);
  EXPECT_EQ(c->version, version_after);  // nothing applied over Pat's work
  EXPECT_EQ(c->definition, "Two missed repair appointments");
  // Reloaded, the same action goes through.
  EXPECT_TRUE(RunStaffAction(*desk_, "note", ref, Fields({{"text", "Spoke to Pat"}}), "Sam Officer",
                             Seen(ref))
                  .ok());
}

TEST_F(StaffActionsTest, MissingAndInvalidFieldsAreNamed) {
  const std::string ref = OpenPhoneComplaint();
  auto no_definition = RunStaffAction(*desk_, "define", ref, {}, "Pat");
  ASSERT_FALSE(no_definition.ok());
  EXPECT_EQ(no_definition.error(), "missing --definition");
  auto blank = RunStaffAction(*desk_, "note", ref, Fields({{"text", ""}}), "Pat");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error(), "missing --text");
  auto days = RunStaffAction(*desk_, "extend", ref,
                             Fields({{"working-days", "many"}, {"reason", "x"}}), "Pat");
  ASSERT_FALSE(days.ok());
  EXPECT_EQ(days.error().rfind("invalid --working-days", 0), 0u) << days.error();
  auto outcome = RunStaffAction(*desk_, "respond", ref, Fields({{"outcome", "maybe"}}), "Pat");
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().find("outcome"), std::string::npos) << outcome.error();
  auto verb = RunStaffAction(*desk_, "delete", ref, {}, "Pat");
  EXPECT_FALSE(verb.ok());
}

TEST_F(StaffActionsTest, BlankFormFieldsCountAsAbsentAndRepeatsAreKept) {
  ActionFields f;
  f.Add("handler", "pat");
  f.Add("handler", "");
  f.Add("handler", "sam");
  EXPECT_EQ(f.GetAll("handler"), (std::vector<std::string>{"pat", "sam"}));
  EXPECT_EQ(f.Get("handler"), "sam");
  f.Add("note", "");
  EXPECT_TRUE(f.Has("note"));
  EXPECT_FALSE(f.Get("note").has_value());
}

TEST_F(StaffActionsTest, ALetterActionWithoutAMailerIsStillRecorded) {
  const std::string ref = OpenPhoneComplaint();
  ASSERT_TRUE(RunStaffAction(*desk_, "ack", ref, {}, "Pat").ok());
  auto responded = RunStaffAction(
      *desk_, "respond", ref,
      Fields({{"outcome", "upheld"}, {"summary", "We missed two appointments"}}), "Pat");
  ASSERT_TRUE(responded.ok()) << responded.error();
  EXPECT_EQ(OutcomeWords("partly_upheld"), "upheld in part");
}

// The queue the workbench shows (the store's filters and its next-due order), on cases staff open.
TEST_F(StaffActionsTest, TheQueueFiltersSearchesAndSortsByTheNextDeadline) {
  auto open = [&](const std::string& type, const std::string& name, const std::string& email,
                  const std::string& address, const std::string& received) {
    ActionFields f;
    f.Add("type", type);
    f.Add("channel", "phone");
    f.Add("name", name);
    f.Add("email", email);
    f.Add("address", address);
    f.Add("summary", "About the estate");
    f.Add("received", received);
    Result<CaseRecord> c = OpenStaffCase(*desk_, f, "Pat");
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error());
    return c.ok() ? c->reference : "";
  };
  clock_.Set("2026-06-20T09:00:00+01:00");
  const std::string late = open("complaint", "Ann Able", "ann@example.org", "1 High St, W1 2AB",
                                "2026-06-18T10:00:00+01:00");
  const std::string early = open("complaint", "Bob Baker", "bob@example.org", "2 Low Rd, N4 3CD",
                                 "2026-06-01T10:00:00+01:00");
  const std::string request = open("service_request", "Cy Cole", "cy@example.org",
                                   "3 Mid Way, E1 5EF", "2026-06-10T10:00:00+01:00");
  ASSERT_TRUE(RunStaffAction(*desk_, "assign", late, Fields({{"handler", "sam"}}), "Pat").ok());

  CaseQuery by_due;
  by_due.order = CaseQuery::Order::kNextDue;
  auto queue = store_->ListCases(by_due);
  ASSERT_TRUE(queue.ok()) << queue.error();
  ASSERT_GE(queue->size(), 2u);
  EXPECT_EQ((*queue)[0].reference, early);  // the oldest complaint's deadline comes first
  EXPECT_EQ(*store_->CountCases(by_due), static_cast<long>(queue->size()));

  CaseQuery complaints;
  complaints.type = CaseType::kComplaint;
  EXPECT_EQ(*store_->CountCases(complaints), 2);
  CaseQuery mine;
  mine.handler = "sam";
  auto sams = store_->ListCases(mine);
  ASSERT_EQ(sams->size(), 1u);
  EXPECT_EQ((*sams)[0].reference, late);

  auto find = [&](const std::string& text) {
    CaseQuery q;
    q.search = text;
    std::vector<std::string> refs;
    for (const CaseRecord& c : *store_->ListCases(q)) refs.push_back(c.reference);
    return refs;
  };
  EXPECT_EQ(find("bob@example.org"), std::vector<std::string>{early});
  EXPECT_EQ(find("n43cd"), std::vector<std::string>{early});  // a postcode without its space
  EXPECT_EQ(find("Cy Cole"), std::vector<std::string>{request});
  EXPECT_EQ(find(late), std::vector<std::string>{late});
  EXPECT_TRUE(find("'; DROP TABLE cases; --").empty());

  CaseQuery page;
  page.limit = 1;
  page.offset = 1;
  auto second = store_->ListCases(page);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ(*store_->CountCases(page), 3);
}

}  // namespace
}  // namespace complaints
