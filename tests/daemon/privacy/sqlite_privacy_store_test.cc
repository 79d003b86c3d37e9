// Erasure, correction, holds and the access log, on the SQLite privacy store.
#include "daemon/privacy/sqlite_privacy_store.h"

#include <gtest/gtest.h>

#include "tests/daemon/privacy/privacy_fixture.h"

namespace complaints {
namespace {

using testing::Instant;

class SqlitePrivacyStoreTest : public testing::PrivacyFixture {};

TEST_F(SqlitePrivacyStoreTest, ErasureRemovesThePersonAndRecordsTheReason) {
  const int64_t erin = AddContact("Erin Erased", "erin@example.org", "4 Ash Road");
  const int64_t other = AddContact("Oscar Other", "oscar@example.org");
  const CaseRecord mine =
      AddCase(erin, CaseType::kComplaint, "2026-01-05T10:00:00Z", "rent", "2026-02-05T10:00:00Z");
  const CaseRecord theirs = AddCase(other, CaseType::kComplaint, "2026-01-05T10:00:00Z", "lift");
  const int64_t mail = AddMessage(
      Mail("erin@example.org", "c@westway.example", "", "rent", "r1@x", "About my rent."),
      "2026-01-05T10:00:00Z", mine.id);
  Result<PersonIds> person = privacy_->ContactsWithEmail("ERIN@example.org");
  ASSERT_TRUE(person.ok());
  ASSERT_EQ(*person, PersonIds{erin});
  Result<RemovalCounts> done = privacy_->ErasePerson(*person, "her request of 1 Dec", "dpo",
                                                     Instant("2026-12-01T10:00:00Z"));
  ASSERT_TRUE(done.ok()) << done.error();
  EXPECT_EQ(done->cases, 1);
  EXPECT_EQ(done->contacts, 1);
  Result<Contact> c = cases_->GetContact(erin);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->name, "");
  EXPECT_TRUE(c->emails.empty());
  EXPECT_EQ(*cases_->MessageRaw(mail), "");
  Result<std::vector<HistoryEntry>> h = cases_->History(mine.id);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->back().actor, "dpo");
  EXPECT_NE(h->back().detail.find("erasure (her request of 1 Dec)"), std::string::npos);
  EXPECT_EQ(cases_->FindCase(theirs.reference)->summary, "lift");
  EXPECT_EQ(cases_->GetContact(other)->name, "Oscar Other");
}

// Their mail that joined no case goes too (a message classed "other", one held as spam), by its
// sender; mail on no case that only names them, and other people's mail, stays.
TEST_F(SqlitePrivacyStoreTest, ErasureReachesTheirMailOnNoCase) {
  const int64_t erin = AddContact("Erin Erased", "erin@example.org");
  const int64_t other_mail = AddMessage(Mail("Erin <ERIN@example.org>", "c@westway.example", "",
                                             "opening hours", "u1@x", "When is the office open?"),
                                        "2026-03-01T10:00:00Z", std::nullopt, "review");
  const int64_t spam = AddMessage(
      Mail("erin@example.org", "c@westway.example", "", "win a prize", "u2@x", "Click here."),
      "2026-03-02T10:00:00Z", std::nullopt, "spam");
  const int64_t via_reply_to = AddMessage(
      "From: Forms <forms@westway-forms.example>\r\nReply-To: erin@example.org\r\nSubject: web "
      "form\r\n\r\nA message from the web form.\r\n",
      "2026-03-03T10:00:00Z", std::nullopt, "review");
  const int64_t names_her =
      AddMessage(Mail("sam@example.org", "c@westway.example", "", "my neighbour", "u3@x",
                      "My neighbour erin@example.org keeps parking in my space."),
                 "2026-03-04T10:00:00Z", std::nullopt, "review");
  const int64_t someone_else =
      AddMessage(Mail("sam@example.org", "c@westway.example", "", "hello", "u4@x", "Hello."),
                 "2026-03-05T10:00:00Z", std::nullopt, "review");
  Result<RemovalCounts> done =
      privacy_->ErasePerson({erin}, "her request", "dpo", Instant("2026-12-01T10:00:00Z"));
  ASSERT_TRUE(done.ok()) << done.error();
  EXPECT_EQ(done->unfiled, 2);
  EXPECT_EQ(done->spam, 1);
  EXPECT_EQ(*cases_->MessageRaw(other_mail), "");
  EXPECT_EQ(*cases_->MessageRaw(spam), "");
  EXPECT_EQ(*cases_->MessageRaw(via_reply_to), "");
  EXPECT_NE(cases_->MessageRaw(names_her)->find("keeps parking"), std::string::npos);
  EXPECT_NE(cases_->MessageRaw(someone_else)->find("Hello."), std::string::npos);
}

TEST_F(SqlitePrivacyStoreTest, ErasureAndCorrectionAreRefusedUnderAHold) {
  const int64_t h = AddContact("Hana Held", "hana@example.org");
  const CaseRecord c = AddCase(h, CaseType::kComplaint, "2026-01-05T10:00:00Z", "repairs");
  ASSERT_TRUE(
      privacy_
          ->Hold(c.reference, "ombudsman investigation", "manager", Instant("2026-06-01T10:00:00Z"))
          .ok());
  Result<RemovalCounts> erase =
      privacy_->ErasePerson({h}, "request", "dpo", Instant("2026-12-01T10:00:00Z"));
  ASSERT_FALSE(erase.ok());
  EXPECT_NE(erase.error().find("legal hold"), std::string::npos);
  ContactCorrection fix;
  fix.name = "Hana Heldane";
  EXPECT_FALSE(
      privacy_->CorrectPerson({h}, fix, "misspelt", "dpo", Instant("2026-12-01T10:00:00Z")).ok());
  EXPECT_EQ(cases_->GetContact(h)->name, "Hana Held");
  EXPECT_EQ(cases_->FindCase(c.reference)->summary, "repairs");
}

TEST_F(SqlitePrivacyStoreTest, CorrectionChangesTheFieldsAndRecordsWhichAndWhy) {
  const int64_t k = AddContact("Kim Kay", "kim@example.org", "5 Old Street");
  const CaseRecord c = AddCase(k, CaseType::kComplaint, "2026-01-05T10:00:00Z", "heating");
  ContactCorrection fix;
  fix.address = "5 New Street";
  fix.add_emails = {"kim.kay@example.org"};
  fix.remove_emails = {"kim@example.org"};
  ASSERT_TRUE(privacy_
                  ->CorrectPerson({k}, fix, "moved; new address", "officer",
                                  Instant("2026-12-01T10:00:00Z"))
                  .ok());
  Result<Contact> now = cases_->GetContact(k);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->address, "5 New Street");
  EXPECT_EQ(now->name, "Kim Kay");
  EXPECT_EQ(now->emails, std::vector<std::string>{"kim.kay@example.org"});
  Result<std::vector<HistoryEntry>> h = cases_->History(c.id);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->back().action, "contact-corrected");
  EXPECT_EQ(h->back().detail, "address, email corrected: moved; new address");
  EXPECT_EQ(h->back().detail.find("Old Street"), std::string::npos);
}

TEST_F(SqlitePrivacyStoreTest, TheAccessLogGivesThePersonsReadsOnly) {
  const int64_t a = AddContact("Ann", "ann@example.org");
  const int64_t b = AddContact("Ben", "ben@example.org");
  const CaseRecord ca = AddCase(a, CaseType::kComplaint, "2026-01-05T10:00:00Z", "x");
  const CaseRecord cb = AddCase(b, CaseType::kComplaint, "2026-01-05T10:00:00Z", "y");
  ASSERT_TRUE(privacy_
                  ->Record({Instant("2026-12-01T10:00:00Z"), "officer", "workbench", "case", ca.id,
                            "", std::nullopt, ""})
                  .ok());
  ASSERT_TRUE(privacy_
                  ->Record({Instant("2026-12-01T10:05:00Z"), "api-user", "api", "case", cb.id, "",
                            std::nullopt, ""})
                  .ok());
  ASSERT_TRUE(privacy_
                  ->Record({Instant("2026-12-01T10:06:00Z"), "manager", "workbench", "message",
                            ca.id, "", 7, "original"})
                  .ok());
  Result<std::vector<AccessRecord>> reads = privacy_->AccessLogFor({a});
  ASSERT_TRUE(reads.ok()) << reads.error();
  ASSERT_EQ(reads->size(), 2u);
  EXPECT_EQ(reads->at(0).actor, "officer");
  EXPECT_EQ(reads->at(0).reference, ca.reference);
  EXPECT_EQ(reads->at(1).what, "message");
  EXPECT_EQ(reads->at(1).message_id, 7);
}

}  // namespace
}  // namespace complaints
