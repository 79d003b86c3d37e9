// The retention pass on a store made by hand: exactly what expired is removed, the skeleton stays,
// a hold stops it, and a second pass finds nothing more.
#include "daemon/privacy/retention.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/daemon/fake_clock.h"
#include "tests/daemon/privacy/privacy_fixture.h"

namespace complaints {
namespace {

using testing::Instant;

class RetentionTest : public testing::PrivacyFixture {
 protected:
  RetentionSchedule schedule_;  // the defaults: 6 years, 2 years, 90 days, 365 days
  testing::FakeClock clock_{Instant("2026-12-06T02:00:00Z")};

  CaseRecord Reload(const CaseRecord& c) {
    Result<CaseRecord> now = cases_->FindCase(c.reference);
    EXPECT_TRUE(now.ok());
    return now.ok() ? *now : CaseRecord{};
  }
  std::string Raw(int64_t message) {
    Result<std::string> raw = cases_->MessageRaw(message);
    return raw.ok() ? *raw : "(error)";
  }
};

TEST(RetentionScheduleTest, CutoffsCountCalendarYearsAndDays) {
  const RetentionCutoffs c = CutoffsAt(RetentionSchedule{}, Instant("2024-02-29T12:00:00Z"));
  EXPECT_EQ(c.complaint, Instant("2018-02-28T12:00:00Z"));
  EXPECT_EQ(c.other_case, Instant("2022-02-28T12:00:00Z"));
  EXPECT_EQ(c.spam, Instant("2023-12-01T12:00:00Z"));
}

TEST_F(RetentionTest, RemovesExactlyWhatExpiredAndKeepsTheSkeleton) {
  const int64_t old_resident = AddContact("Olive Old", "olive@example.org", "1 Elm Road");
  const int64_t recent_resident = AddContact("Rita Recent", "rita@example.org", "2 Elm Road");
  const int64_t both = AddContact("Betty Both", "betty@example.org", "3 Elm Road");
  const CaseRecord expired = AddCase(old_resident, CaseType::kComplaint, "2018-03-01T10:00:00Z",
                                     "damp in the bedroom", "2018-04-01T10:00:00Z");
  const CaseRecord recent = AddCase(recent_resident, CaseType::kComplaint, "2022-03-01T10:00:00Z",
                                    "broken boiler", "2022-04-01T10:00:00Z");
  const CaseRecord comment = AddCase(recent_resident, CaseType::kComment, "2023-05-01T10:00:00Z",
                                     "bins", "2023-05-02T10:00:00Z", "resolved");
  const CaseRecord still_open =
      AddCase(old_resident, CaseType::kComplaint, "2015-01-05T10:00:00Z", "leak");
  const CaseRecord both_old =
      AddCase(both, CaseType::kComplaint, "2017-01-05T10:00:00Z", "noise", "2017-02-05T10:00:00Z");
  const CaseRecord both_new =
      AddCase(both, CaseType::kComplaint, "2025-01-05T10:00:00Z", "mould", "2025-02-05T10:00:00Z");
  const int64_t old_mail = AddMessage(
      Mail("olive@example.org", "c@westway.example", "", "damp", "d1@x", "The damp is back."),
      "2018-03-01T10:00:00Z", expired.id);
  const int64_t old_out =
      AddOutgoing(expired.id, "olive@example.org", "2018-03-01T11:00:00Z", "Your complaint");
  AddDocument(expired.id, old_mail, "%PDF-olive", "Dear Sir, Olive Old, 1 Elm Road");
  const int64_t recent_mail = AddMessage(
      Mail("rita@example.org", "c@westway.example", "", "boiler", "b1@x", "Boiler broken."),
      "2022-03-01T10:00:00Z", recent.id);
  const int64_t old_spam =
      AddMessage("From: x@spam.example\r\n\r\nwin", "2026-08-01T10:00:00Z", std::nullopt, "spam");
  const int64_t new_spam =
      AddMessage("From: y@spam.example\r\n\r\nwin", "2026-11-20T10:00:00Z", std::nullopt, "spam");

  RetentionPass pass(*privacy_, schedule_, clock_);
  Result<RemovalCounts> dry = pass.Run(true);
  ASSERT_TRUE(dry.ok()) << dry.error();
  EXPECT_EQ(Reload(expired).summary, "damp in the bedroom");  // a dry run changes nothing
  EXPECT_EQ(Raw(old_spam), "From: x@spam.example\r\n\r\nwin");

  Result<RemovalCounts> done = pass.Run(false);
  ASSERT_TRUE(done.ok()) << done.error();
  EXPECT_EQ(done->cases, 3);  // the 2018 complaint, the 2023 comment, Betty's 2017 complaint
  EXPECT_EQ(done->complaint_cases, 2);
  EXPECT_EQ(dry->cases, done->cases);
  EXPECT_EQ(done->contacts, 0);  // each has a case still kept
  EXPECT_EQ(done->messages, 1);
  EXPECT_EQ(done->outgoing, 1);
  EXPECT_EQ(done->attachments, 1);
  EXPECT_EQ(done->spam, 1);

  const CaseRecord e = Reload(expired);
  EXPECT_EQ(e.summary, "");
  EXPECT_EQ(e.definition, "");
  EXPECT_EQ(e.actions.at(0).description, "[removed]");
  // The skeleton that reports count.
  EXPECT_EQ(e.type, CaseType::kComplaint);
  EXPECT_EQ(e.status, "closed");
  EXPECT_EQ(e.closed_at, expired.closed_at);
  ASSERT_EQ(e.stages.size(), 1u);
  EXPECT_EQ(e.stages[0].opened_at, expired.stages[0].opened_at);
  EXPECT_EQ(e.stages[0].responded_at, expired.stages[0].responded_at);
  EXPECT_EQ(e.stages[0].outcome, "upheld");
  EXPECT_EQ(e.stages[0].financial.at(0).amount_pence, 5000);
  EXPECT_EQ(e.deadlines.size(), expired.deadlines.size());
  EXPECT_EQ(Raw(old_mail), "");
  Result<std::vector<OutboxItem>> out = cases_->OutboxFor(expired.id);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).raw, "");
  EXPECT_EQ(out->at(0).id, old_out);
  Result<std::vector<CaseDocument>> docs = cases_->Documents(expired.id);
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(docs->at(0).bytes, "");
  EXPECT_EQ(docs->at(0).text, "");
  Result<std::vector<HistoryEntry>> history = cases_->History(expired.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->at(0).detail, "[removed]");  // the note named her
  EXPECT_EQ(history->at(1).action, "personal-data-removed");
  EXPECT_NE(history->at(1).detail.find("retention rule complaint"), std::string::npos);
  EXPECT_EQ(Reload(comment).summary, "");
  EXPECT_EQ(Reload(both_old).summary, "");

  // What has not expired is untouched.
  EXPECT_EQ(Reload(recent).summary, "broken boiler");
  EXPECT_EQ(Reload(still_open).summary, "leak");
  EXPECT_EQ(Reload(both_new).summary, "mould");
  EXPECT_NE(Raw(recent_mail), "");
  EXPECT_NE(Raw(new_spam), "");
  EXPECT_EQ(Raw(old_spam), "");
  // Olive still has an open case, so her details stay for it.
  Result<Contact> olive = cases_->GetContact(old_resident);
  ASSERT_TRUE(olive.ok());
  EXPECT_EQ(olive->name, "Olive Old");

  // Nothing more the next time.
  Result<RemovalCounts> again = pass.Run(false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->cases, 0);
  EXPECT_EQ(again->spam, 0);
}

TEST_F(RetentionTest, AContactIsClearedWhenItsLastCaseExpires) {
  const int64_t gone = AddContact("Gary Gone", "gary@example.org", "9 Oak Road");
  AddCase(gone, CaseType::kComplaint, "2017-03-01T10:00:00Z", "stairs", "2017-04-01T10:00:00Z");
  RetentionPass pass(*privacy_, schedule_, clock_);
  Result<RemovalCounts> done = pass.Run(false);
  ASSERT_TRUE(done.ok()) << done.error();
  EXPECT_EQ(done->contacts, 1);
  Result<Contact> c = cases_->GetContact(gone);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->name, "");
  EXPECT_EQ(c->address, "");
  EXPECT_EQ(c->phone, "");
  EXPECT_TRUE(c->emails.empty());
}

TEST_F(RetentionTest, ALegalHoldStopsItUntilReleased) {
  const int64_t held = AddContact("Harry Held", "harry@example.org");
  const CaseRecord c =
      AddCase(held, CaseType::kComplaint, "2017-03-01T10:00:00Z", "claim", "2017-04-01T10:00:00Z");
  ASSERT_TRUE(privacy_->Hold(c.reference, "county court claim", "manager", clock_.Now()).ok());
  EXPECT_FALSE(privacy_->Hold(c.reference, "again", "manager", clock_.Now()).ok());
  RetentionPass pass(*privacy_, schedule_, clock_);
  Result<RemovalCounts> done = pass.Run(false);
  ASSERT_TRUE(done.ok()) << done.error();
  EXPECT_EQ(done->cases, 0);
  EXPECT_EQ(done->held, 1);
  EXPECT_EQ(Reload(c).summary, "claim");
  Result<std::vector<CaseHold>> holds = privacy_->Holds();
  ASSERT_TRUE(holds.ok());
  ASSERT_EQ(holds->size(), 1u);
  EXPECT_EQ(holds->at(0).reason, "county court claim");

  ASSERT_TRUE(privacy_->Unhold(c.reference, "claim settled", "manager", clock_.Now()).ok());
  done = pass.Run(false);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->cases, 1);
  EXPECT_EQ(Reload(c).summary, "");
}

TEST_F(RetentionTest, TheDaemonsPassRunsOnceADayAndNotWhenDisabled) {
  const int64_t p = AddContact("Pat", "pat@example.org");
  AddCase(p, CaseType::kComment, "2019-03-01T10:00:00Z", "x", "2019-04-01T10:00:00Z");
  RetentionPass pass(*privacy_, schedule_, clock_);
  Result<std::optional<RemovalCounts>> first = pass.RunDaily();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->cases, 1);
  clock_.Advance(std::chrono::hours(1));
  EXPECT_FALSE(pass.RunDaily()->has_value());
  clock_.Advance(std::chrono::hours(24));
  EXPECT_TRUE(pass.RunDaily()->has_value());
  RetentionSchedule off;
  off.enabled = false;
  RetentionPass disabled(*privacy_, off, clock_);
  EXPECT_FALSE(disabled.RunDaily()->has_value());
}

TEST_F(RetentionTest, HistoryStaysAppendOnlyExceptForRemovalMarkers) {
  const int64_t p = AddContact("Pat", "pat@example.org");
  AddCase(p, CaseType::kComment, "2026-03-01T10:00:00Z", "x");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE history SET detail = 'rewritten'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE history SET actor = 'x', detail = '[removed]'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM history", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "UPDATE history SET detail = '[removed]'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace
}  // namespace complaints
