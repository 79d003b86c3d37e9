// A store with residents, cases and mail made directly through the case store, for the privacy
// tests: each helper adds one thing and returns its id.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "daemon/cases/sqlite_case_store.h"
#include "daemon/privacy/sqlite_privacy_store.h"
#include "tests/daemon/test_support.h"

namespace complaints::testing {

class PrivacyFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("privacy_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto cases = SqliteCaseStore::Open(path());
    ASSERT_TRUE(cases.ok()) << cases.error();
    cases_ = std::move(cases).value();
    auto privacy = SqlitePrivacyStore::Open(path());
    ASSERT_TRUE(privacy.ok()) << privacy.error();
    privacy_ = std::move(privacy).value();
  }
  void TearDown() override {
    privacy_.reset();
    cases_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string path() const { return (dir_ / "cases.db").string(); }

  int64_t AddContact(const std::string& name, const std::string& email,
                     const std::string& address = "") {
    Contact c;
    c.name = name;
    c.emails = {email};
    c.address = address;
    c.phone = "01632 960" + std::to_string(100 + next_++);
    int64_t id = 0;
    EXPECT_TRUE(cases_
                    ->InTransaction([&](StoreTransaction& t) -> Status {
                      Result<int64_t> r = t.InsertContact(c);
                      if (!r) return r.status();
                      id = *r;
                      return Status::Ok();
                    })
                    .ok());
    return id;
  }

  // A case received at `received`; closed at `closed` when given (status "closed", or `status`).
  CaseRecord AddCase(int64_t contact, CaseType type, const std::string& received,
                     const std::string& summary, std::optional<std::string> closed = std::nullopt,
                     const std::string& status = "closed") {
    CaseRecord c;
    c.reference = "WW-" + std::to_string(1000 + next_++);
    c.policy_id = "westway";
    c.type = type;
    c.channel = Channel::kEmail;
    c.status = closed ? status : "open";
    c.stage = 1;
    c.received_at = Instant(received);
    c.contact_id = contact;
    c.summary = summary;
    c.definition = "definition: " + summary;
    if (closed) c.closed_at = Instant(*closed);
    StageRecord s;
    s.number = 1;
    s.name = "Stage 1";
    s.opened_at = c.received_at;
    s.acknowledged_at = c.received_at + std::chrono::hours(24);
    s.handler = "officer";
    if (closed) {
      s.responded_at = Instant(*closed);
      s.outcome = "upheld";
      s.financial = {{5000, "distress"}};
    }
    c.stages.push_back(s);
    c.deadlines.push_back({0, 1, "respond", c.received_at + std::chrono::hours(24 * 14),
                           s.responded_at, std::nullopt});
    c.actions.push_back({0, 1, "call " + summary, std::nullopt, std::nullopt});
    EXPECT_TRUE(cases_
                    ->InTransaction([&](StoreTransaction& t) -> Status {
                      if (Status s2 = t.InsertCase(c); !s2) return s2;
                      return t.AppendHistory(
                          c.id, {c.received_at, "officer", "note", "spoke to " + summary});
                    })
                    .ok());
    return c;
  }

  // Stores raw mail as received at `at`, on `case_id` (state processed) or in `state`.
  int64_t AddMessage(const std::string& raw, const std::string& at, std::optional<int64_t> case_id,
                     const std::string& state = "processed") {
    IncomingMessage m{raw,          "sha-" + std::to_string(next_++),
                      std::nullopt, Instant(at),
                      "maildir:/x", std::nullopt,
                      std::nullopt};
    int64_t id = 0;
    EXPECT_TRUE(cases_
                    ->InTransaction([&](StoreTransaction& t) -> Status {
                      Result<StoredMessage> s = t.StoreIncoming(m);
                      if (!s) return s.status();
                      id = s->id;
                      return t.SetMessageState(id, state, "test", case_id);
                    })
                    .ok());
    return id;
  }

  int64_t AddOutgoing(int64_t case_id, const std::string& to, const std::string& at,
                      const std::string& subject) {
    OutboxItem item;
    item.case_id = case_id;
    item.kind = "ack-stage";
    item.envelope_from = "complaints@westway.example";
    item.recipients = {to};
    item.message_id = "out" + std::to_string(next_++) + "@westway.example";
    item.raw = "From: Westway Complaints <complaints@westway.example>\r\nTo: " + to +
               "\r\nSubject: " + subject + "\r\nMessage-ID: <" + item.message_id +
               ">\r\n\r\nWe have your message.\r\n";
    item.next_attempt_at = Instant(at);
    EXPECT_TRUE(
        cases_->InTransaction([&](StoreTransaction& t) { return t.QueueOutgoing(item); }).ok());
    EXPECT_TRUE(cases_->MarkSent(item.id, Instant(at)).ok());
    return item.id;
  }

  int64_t AddDocument(int64_t case_id, int64_t message_id, const std::string& bytes,
                      const std::string& text) {
    CaseDocument d;
    d.case_id = case_id;
    d.message_id = message_id;
    d.filename = "letter.pdf";
    d.content_type = "application/pdf";
    d.bytes = bytes;
    d.text = text;
    d.method = "ocr";
    d.pages = 1;
    EXPECT_TRUE(cases_->InTransaction([&](StoreTransaction& t) { return t.AddDocument(d); }).ok());
    return d.id;
  }

  static std::string Mail(const std::string& from, const std::string& to, const std::string& cc,
                          const std::string& subject, const std::string& id,
                          const std::string& body) {
    return "From: " + from + "\r\nTo: " + to + "\r\n" + (cc.empty() ? "" : "Cc: " + cc + "\r\n") +
           "Subject: " + subject + "\r\nMessage-ID: <" + id +
           ">\r\nDate: Mon, 1 Jun 2026 10:00:00 +0100\r\n\r\n" + body + "\r\n";
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteCaseStore> cases_;
  std::unique_ptr<SqlitePrivacyStore> privacy_;
  int next_ = 0;
};

}  // namespace complaints::testing
