#include "daemon/intake/triage.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "daemon/base/digest.h"
#include "tests/daemon/fake_clock.h"
#include "tests/daemon/fake_mail.h"
#include "tests/daemon/intake_stack.h"
#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::FakeClock;
using testing::Instant;

// Uncertain messages: a neutral receipt, the triage list, and the right letter once a person (or
// the policy) settles the label.
class TriageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MailSettings settings;
    settings.from = {"Westway Complaints", "complaints@westway.example"};
    settings.message_id_domain = "westway.example";
    settings.staff_domains = {"westway.example"};
    stack_ = std::make_unique<testing::IntakeStack>("triage_test", "westway", settings, clock_);
  }

  IntakeOutcome Receive(const std::string& raw, const std::string& text) {
    MailFacts f;
    f.message_id = raw + "@example.org";
    f.from = {"Jo Bloggs", "jo@example.org"};
    f.subject = "Dave";
    f.new_text = text;
    stack_->reader.table[raw] = f;
    Result<IntakeOutcome> out = stack_->intake->Process(
        {raw, Sha256Hex(raw), std::nullopt, clock_.Now(), "maildir:/test", 1, ++uid_});
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error());
    return out.ok() ? *out : IntakeOutcome{};
  }
  std::vector<OutboxItem> Outbox() {
    return std::move(stack_->store->DueOutgoing(Instant("2100-01-01T00:00:00Z"), 100)).value();
  }
  std::vector<std::string> Kinds() {
    std::vector<std::string> kinds;
    for (const OutboxItem& item : Outbox()) kinds.push_back(item.kind);
    return kinds;
  }
  Result<CaseRecord> Settle(const std::string& ref, CaseType to) {
    return SettleLabel(*stack_->engine, *stack_->store, *stack_->mailer, ref, to,
                       "read it: " + std::string(CaseTypeName(to)), "Sam");
  }

  FakeClock clock_{Instant("2026-06-10T09:30:00+01:00")};
  std::unique_ptr<testing::IntakeStack> stack_;
  uint32_t uid_ = 0;
};

TEST_F(TriageTest, AnUncertainComplimentGetsTheReceiptNotAComplaintAcknowledgement) {
  const IntakeOutcome out =
      Receive("raw-1", "uncertain compliment Dave fixed the boiler, unlike last time I complained");
  ASSERT_EQ(out.kind, IntakeOutcome::Kind::kOpened);
  EXPECT_EQ(out.detail, "complaint (uncertain: triage)");
  const CaseRecord c = *stack_->store->FindCase(out.reference);
  // A complaint until a person says otherwise: the Code's acknowledgement clock runs from receipt.
  EXPECT_EQ(c.type, CaseType::kComplaint);
  EXPECT_TRUE(IsInTriage(c));
  EXPECT_EQ(TriageAlternative(c), "compliment");
  EXPECT_TRUE(c.needs_review);
  const Deadline* ack = c.OpenDeadline(deadline_kind::kAcknowledge);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->due_at, Instant("2026-06-12T17:00:00+01:00"));  // Westway: two working days
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].kind, "receipt");
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"jo@example.org"});
  EXPECT_NE(outbox[0].raw.find("Subject: [" + out.reference + "] We have received your message"),
            std::string::npos);
  const std::string text = testing::JoinSoftBreaks(outbox[0].raw);
  EXPECT_EQ(text.find("complaint at"), std::string::npos);      // no complaint's wording
  EXPECT_NE(text.find("12 June"), std::string::npos);           // when they will hear back
  EXPECT_NE(text.find("make a complaint"), std::string::npos);  // how to complain
}

TEST_F(TriageTest, AConfidentComplimentIsThankedAsToday) {
  const IntakeOutcome out = Receive("raw-1", "compliment Dave was great");
  EXPECT_FALSE(IsInTriage(*stack_->store->FindCase(out.reference)));
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"compliment-thanks"}));
}

TEST_F(TriageTest, SettlingAsAComplimentSendsTheThanksAndStopsTheComplaintsClocks) {
  const std::string ref = Receive("raw-1", "uncertain compliment thanks to Dave").reference;
  Result<CaseRecord> settled = Settle(ref, CaseType::kCompliment);
  ASSERT_TRUE(settled.ok()) << settled.error();
  EXPECT_EQ(settled->type, CaseType::kCompliment);
  EXPECT_FALSE(IsInTriage(*settled));
  EXPECT_EQ(TriageAlternative(*settled), "");
  EXPECT_FALSE(settled->needs_review);
  EXPECT_EQ(settled->OpenDeadline(deadline_kind::kAcknowledge), nullptr);
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"receipt", "compliment-thanks"}));
  // Settled once: relabelling again is an ordinary correction, and sends nothing.
  ASSERT_TRUE(Settle(ref, CaseType::kComment).ok());
  EXPECT_EQ(Outbox().size(), 2u);
}

TEST_F(TriageTest, ConfirmingAComplaintSendsItsAcknowledgementAndKeepsItsDeadlines) {
  const std::string ref =
      Receive("raw-1", "uncertain comment the bins are never emptied").reference;
  const auto due = stack_->store->FindCase(ref)->OpenDeadline(deadline_kind::kRespond)->due_at;
  clock_.Set("2026-06-11T10:00:00+01:00");
  Result<CaseRecord> settled = Settle(ref, CaseType::kComplaint);
  ASSERT_TRUE(settled.ok()) << settled.error();
  EXPECT_EQ(settled->type, CaseType::kComplaint);
  EXPECT_FALSE(IsInTriage(*settled));
  EXPECT_EQ(settled->OpenDeadline(deadline_kind::kRespond)->due_at, due);
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"receipt", "ack-stage"}));
  std::vector<std::string> actions;
  for (const HistoryEntry& h : *stack_->store->History(settled->id)) actions.push_back(h.action);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "label_confirmed"), actions.end());
  // A case not in triage cannot be "confirmed": it already is what it is.
  Result<CaseRecord> again = Settle(ref, CaseType::kComplaint);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().find("already labelled complaint"), std::string::npos);
}

}  // namespace
}  // namespace complaints
