#include "daemon/intake/intake.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "daemon/base/digest.h"
#include "daemon/cases/sqlite_case_store.h"
#include "tests/daemon/fake_clock.h"
#include "tests/daemon/fake_mail.h"
#include "tests/daemon/intake_stack.h"

namespace complaints {
namespace {

using testing::FakeClassifier;
using testing::FakeClock;
using testing::FakeReader;
using testing::Instant;

class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MailSettings settings;
    settings.from = {"Westway Complaints", "complaints@westway.example"};
    settings.message_id_domain = "westway.example";
    settings.signing_key = "test-key";
    settings.staff_domains = {"westway.example"};
    settings.admin_address = "it@westway.example";
    settings.manager_address = "manager@westway.example";
    settings.compliments_address = "praise@westway.example";
    stack_ = std::make_unique<testing::IntakeStack>("intake_test", "westway", settings, clock_);
    store_ = stack_->store.get();
    engine_ = stack_->engine.get();
    mailer_ = stack_->mailer.get();
    intake_ = stack_->intake.get();
    reader_ = &stack_->reader;
  }

  // Registers facts for a raw message and returns the message as the mailbox would give it.
  IncomingMessage Mail(const std::string& raw, MailFacts facts) {
    reader_->table[raw] = std::move(facts);
    return Raw(raw);
  }
  IncomingMessage Raw(const std::string& raw) {
    return {raw, Sha256Hex(raw), std::nullopt, clock_.Now(), "maildir:/test", 1, ++uid_};
  }
  static MailFacts Resident(const std::string& text, const std::string& id = "m1@example.org") {
    MailFacts f;
    f.message_id = id;
    f.from = {"Jo Bloggs", "jo@example.org"};
    f.subject = "My boiler";
    f.new_text = text;
    return f;
  }
  IntakeOutcome Process(const IncomingMessage& m) {
    Result<IntakeOutcome> r = intake_->Process(m);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
    return r.ok() ? *r : IntakeOutcome{};
  }
  // WW-2026-00001: a complaint, opened from the resident's mail and given its stage 1 response.
  void OpenAndRespond() {
    Process(Mail("raw-1", Resident("complaint the boiler")));
    StageResponse r;
    r.outcome = "not_upheld";
    ASSERT_TRUE(engine_->Respond("WW-2026-00001", r, "Sam").ok());
  }
  std::vector<OutboxItem> Outbox() {
    return std::move(store_->DueOutgoing(Instant("2100-01-01T00:00:00Z"), 100)).value();
  }
  std::vector<std::string> History(const std::string& ref) {
    std::vector<std::string> out;
    for (const HistoryEntry& h : *store_->History(store_->FindCase(ref)->id)) {
      out.push_back(h.action);
    }
    return out;
  }

  FakeClock clock_{Instant("2026-06-10T09:30:00+01:00")};
  std::unique_ptr<testing::IntakeStack> stack_;
  SqliteCaseStore* store_ = nullptr;
  CaseEngine* engine_ = nullptr;
  CaseMailer* mailer_ = nullptr;
  Intake* intake_ = nullptr;
  FakeReader* reader_ = nullptr;
  uint32_t uid_ = 0;
};

TEST_F(IntakeTest, ComplaintOpensACaseAndQueuesOneThreadedAcknowledgement) {
  const IntakeOutcome out = Process(Mail("raw-1", Resident("complaint the boiler again")));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kOpened);
  EXPECT_EQ(out.reference, "WW-2026-00001");
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].kind, "ack-stage");
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"jo@example.org"});
  EXPECT_EQ(mailer_->signer().ReferenceOf(outbox[0].message_id), "WW-2026-00001");
  EXPECT_NE(outbox[0].raw.find("In-Reply-To: <m1@example.org>"), std::string::npos);
  EXPECT_NE(outbox[0].raw.find("Subject: [WW-2026-00001] We have received your complaint"),
            std::string::npos);
  EXPECT_EQ((*store_->FindMessage(out.message_row))->state, "processed");
  EXPECT_EQ(History(out.reference),
            (std::vector<std::string>{"opened", "classified", "mail_queued"}));

  // The same message again (a restart before the mailbox move): nothing new.
  const IntakeOutcome again = Process(Raw("raw-1"));
  EXPECT_EQ(again.kind, IntakeOutcome::Kind::kDuplicate);
  EXPECT_EQ(Outbox().size(), 1u);
}

// The same mail delivered twice with other bytes (through two aliases, so other Received: lines):
// the Message-ID finds the first copy, and the second is kept on its case with nothing sent.
TEST_F(IntakeTest, ASecondCopyWithOtherBytesJoinsTheFirstCopysCaseAndSendsNothing) {
  const IntakeOutcome first = Process(Mail("via-alias-1", Resident("complaint the boiler again")));
  ASSERT_EQ(first.kind, IntakeOutcome::Kind::kOpened);
  const IntakeOutcome second = Process(Mail("via-alias-2", Resident("complaint the boiler again")));
  EXPECT_EQ(second.kind, IntakeOutcome::Kind::kDuplicate);
  EXPECT_EQ(second.reference, first.reference);
  EXPECT_NE(second.message_row, first.message_row);
  EXPECT_EQ(Outbox().size(), 1u);  // one acknowledgement
  CaseQuery all;
  all.include_closed = true;
  EXPECT_EQ(store_->ListCases(all)->size(), 1u);
  const std::optional<StoredMessage> copy = *store_->FindMessage(second.message_row);
  EXPECT_EQ(copy->state, "copy");
  EXPECT_EQ(copy->case_id, store_->FindCase(first.reference)->id);
  EXPECT_EQ(*store_->MessageRaw(second.message_row), "via-alias-2");  // kept
  EXPECT_EQ(History(first.reference).back(), "second_copy");
  EXPECT_TRUE(store_->FindCase(first.reference)->needs_review);

  // The same Message-ID from someone else (a program reusing its IDs) is not a copy.
  MailFacts stranger = Resident("complaint my window is broken");
  stranger.from = {"Pat", "pat@example.net"};
  const IntakeOutcome reused = Process(Mail("reused-id", stranger));
  EXPECT_EQ(reused.kind, IntakeOutcome::Kind::kOpened);
  EXPECT_NE(reused.reference, first.reference);

  // A different message (its own Message-ID) from the same resident is a case of its own.
  const IntakeOutcome other =
      Process(Mail("other", Resident("complaint the lift too", "m9@example.org")));
  EXPECT_EQ(other.kind, IntakeOutcome::Kind::kOpened);
  EXPECT_NE(other.reference, first.reference);
}

// A first copy that opened no case (here: quarantined) leaves the second to be handled afresh.
TEST_F(IntakeTest, ASecondCopyOfMailThatOpenedNoCaseIsHandledAfresh) {
  MailFacts staff = Resident("no scan attached");
  staff.from.address = "officer@westway.example";
  EXPECT_EQ(Process(Mail("staff-1", staff)).kind, IntakeOutcome::Kind::kQuarantined);
  EXPECT_EQ(Process(Mail("staff-2", staff)).kind, IntakeOutcome::Kind::kQuarantined);
}

// A mailbox that gives no arrival time: the deadlines count from now, not from 1970.
TEST_F(IntakeTest, MailWithNoArrivalTimeCountsFromNow) {
  IncomingMessage m = Mail("undated", Resident("complaint the boiler"));
  m.received_at = complaints::Instant{};
  const IntakeOutcome out = Process(m);
  ASSERT_EQ(out.kind, IntakeOutcome::Kind::kOpened);
  const CaseRecord c = *store_->FindCase(out.reference);
  EXPECT_EQ(c.received_at, clock_.Now());
  for (const Deadline& d : c.deadlines) EXPECT_GT(d.due_at, clock_.Now());
}

// An acknowledgement sent, then the process died before it was recorded on the stage: at the
// next start it is recorded at the time it was sent, once; one not yet sent is not.
TEST_F(IntakeTest, AnAcknowledgementSentButNotRecordedIsRecordedAtItsTime) {
  const IntakeOutcome first = Process(Mail("raw-1", Resident("complaint the boiler")));
  Process(Mail("raw-2", Resident("complaint the lift", "m2@example.org")));
  const complaints::Instant sent = clock_.Now() + std::chrono::minutes{1};
  ASSERT_TRUE(store_->MarkSent(Outbox()[0].id, sent).ok());  // the first case's only
  clock_.Set("2026-06-10T10:00:00+01:00");
  Result<std::vector<std::string>> recorded = engine_->RecordSentAcknowledgements("complaintsd");
  ASSERT_TRUE(recorded.ok()) << recorded.error();
  EXPECT_EQ(*recorded, std::vector<std::string>{first.reference});
  const CaseRecord c = *store_->FindCase(first.reference);
  ASSERT_TRUE(c.CurrentStage()->acknowledged_at.has_value());
  EXPECT_EQ(*c.CurrentStage()->acknowledged_at, sent);
  EXPECT_FALSE(store_->FindCase("WW-2026-00002")->CurrentStage()->acknowledged_at.has_value());
  EXPECT_TRUE(engine_->RecordSentAcknowledgements("complaintsd")->empty());  // once
}

TEST_F(IntakeTest, UnreadableMailIsQuarantinedAndTheAdminTold) {
  const IntakeOutcome out = Process(Raw("garbage"));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kQuarantined);
  EXPECT_NE(out.detail.find("no MIME boundary found"), std::string::npos);
  EXPECT_EQ((*store_->FindMessage(out.message_row))->state, "quarantined");
  EXPECT_EQ(*store_->MessageRaw(out.message_row), "garbage");  // kept
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"it@westway.example"});
}

TEST_F(IntakeTest, AutomaticAndOwnMailAreRecordedNotAnswered) {
  MailFacts ooo = Resident("complaint I am away");
  ooo.automatic = true;
  ooo.automatic_reason = "Auto-Submitted: auto-replied";
  EXPECT_EQ(Process(Mail("ooo", ooo)).kind, IntakeOutcome::Kind::kAutomatic);
  MailFacts own = Resident("complaint loop", "m2@x");
  own.from.address = "Complaints@Westway.example";
  EXPECT_EQ(Process(Mail("own", own)).kind, IntakeOutcome::Kind::kIgnored);
  EXPECT_TRUE(Outbox().empty());
  CaseQuery all;
  all.include_closed = true;
  EXPECT_TRUE(store_->ListCases(all)->empty());
}

// A web form relays the resident's words from a no-reply address with the resident in Reply-To:
// a case for the resident, acknowledged to them. Other automatic mail stays unanswered.
TEST_F(IntakeTest, AFormRelayedFromANoReplyAddressIsTheResidentsMail) {
  MailFacts form = Resident("complaint the repair was never done");
  form.from = {"Westway website", "noreply@forms.example"};
  form.reply_to = MailAddress{"Jo Bloggs", "jo@example.org"};
  form.automatic = true;
  form.automatic_reason = "sent by noreply";
  const IntakeOutcome out = Process(Mail("form", form));
  ASSERT_EQ(out.kind, IntakeOutcome::Kind::kOpened) << out.detail;
  const CaseRecord c = *store_->FindCase(out.reference);
  EXPECT_TRUE(c.HasFlag("relayed-by:noreply@forms.example"));
  EXPECT_EQ(store_->GetContact(c.contact_id)->emails, std::vector<std::string>{"jo@example.org"});
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"jo@example.org"});

  EXPECT_TRUE(c.needs_review);

  // A no-reply sender whose Reply-To is staff or another machine is no relay: automatic still.
  for (const char* to : {"repairs@westway.example", "no-reply@vendor.example"}) {
    MailFacts system = form;
    system.message_id = std::string("sys-") + to;
    system.reply_to = MailAddress{"", to};
    EXPECT_EQ(Process(Mail(system.message_id, system)).kind, IntakeOutcome::Kind::kAutomatic) << to;
  }
  // The same sender with no Reply-To, or a list's mail, is automatic still: nothing is opened.
  MailFacts bare = Resident("complaint newsletter", "m7@example.org");
  bare.from = {"", "noreply@forms.example"};
  bare.automatic = true;
  bare.automatic_reason = "sent by noreply";
  EXPECT_EQ(Process(Mail("bare", bare)).kind, IntakeOutcome::Kind::kAutomatic);
  MailFacts list = bare;
  list.message_id = "m8@example.org";
  list.reply_to = MailAddress{"", "jo@example.org"};
  list.automatic_reason = "mailing list (List-Id)";
  EXPECT_EQ(Process(Mail("list", list)).kind, IntakeOutcome::Kind::kAutomatic);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(IntakeTest, ReplyThreadsToItsCaseWithoutANewAcknowledgement) {
  Process(Mail("raw-1", Resident("complaint the boiler")));
  const std::string ack_id = Outbox()[0].message_id;
  MailFacts reply = Resident("comment here is a photo", "m2@example.org");
  reply.subject = "completely different subject";
  reply.in_reply_to = ack_id;
  const IntakeOutcome out = Process(Mail("reply", reply));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kAddedToCase);
  EXPECT_EQ(out.reference, "WW-2026-00001");
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[1].recipients, std::vector<std::string>{"manager@westway.example"});
  EXPECT_EQ(History("WW-2026-00001").back(), "message_received");
}

TEST_F(IntakeTest, AReplyAskingForStageTwoEscalates) {
  ASSERT_NO_FATAL_FAILURE(OpenAndRespond());
  MailFacts reply = Resident("I am not satisfied with your response", "m3@example.org");
  reply.references = {Outbox()[0].message_id};
  const IntakeOutcome out = Process(Mail("escalate", reply));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kEscalation);
  const CaseRecord c = *store_->FindCase("WW-2026-00001");
  EXPECT_EQ(c.stage, 2);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_NE(outbox[1].raw.find("(Stage two)"), std::string::npos);
}

// Our signed Message-ID proves the thread, not the sender: someone the resident forwarded our
// mail to cannot escalate the case, and is sent nothing; staff see their words on the case.
TEST_F(IntakeTest, OnlyTheCasesContactEscalatesOnItsThread) {
  ASSERT_NO_FATAL_FAILURE(OpenAndRespond());
  MailFacts other = Resident("I am not satisfied with your response, escalate", "m4@example.org");
  other.from = {"A Neighbour", "neighbour@example.net"};
  other.references = {Outbox()[0].message_id};
  const IntakeOutcome out = Process(Mail("forwarded", other));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kAddedToCase);
  const CaseRecord c = *store_->FindCase("WW-2026-00001");
  EXPECT_EQ(c.stage, 1);  // not escalated
  EXPECT_TRUE(c.needs_review);
  EXPECT_TRUE(c.HasFlag("reply-from-another-address"));
  for (const OutboxItem& item : Outbox()) {
    EXPECT_NE(item.recipients, std::vector<std::string>{"neighbour@example.net"});
  }
  EXPECT_EQ(History("WW-2026-00001").back(), "message_received");
}

// Staff on a case's thread are not the resident: with no scan their mail is a note on the case;
// with a scan it is a new letter (see IntakeLetterTest). Nothing is sent back either way.
TEST_F(IntakeTest, StaffMailOnACasesThreadIsANoteNotAResidentsReply) {
  ASSERT_NO_FATAL_FAILURE(OpenAndRespond());
  const size_t before = Outbox().size();
  MailFacts staff = Resident("Please escalate this one, I am not satisfied either", "s1@x");
  staff.from = {"Officer", "officer@westway.example"};
  staff.in_reply_to = Outbox()[0].message_id;
  const IntakeOutcome out = Process(Mail("staff-note", staff));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kAddedToCase);
  EXPECT_EQ(out.detail, "staff mail");
  EXPECT_EQ(store_->FindCase("WW-2026-00001")->stage, 1);
  EXPECT_EQ(Outbox().size(), before);
  EXPECT_EQ(History("WW-2026-00001").back(), "staff_mail");
  EXPECT_TRUE(store_->FindCase("WW-2026-00001")->needs_review);  // in the digest
  EXPECT_TRUE(store_->FindCase("WW-2026-00001")->HasFlag("staff-mail"));
}

TEST_F(IntakeTest, SubjectReferenceJoinsOnlyFromTheCasesContact) {
  Process(Mail("raw-1", Resident("complaint the boiler")));
  MailFacts same = Resident("comment more details", "m4@example.org");
  same.case_refs = {"WW-2026-00001"};
  EXPECT_EQ(Process(Mail("same", same)).kind, IntakeOutcome::Kind::kAddedToCase);
  MailFacts stranger = Resident("complaint about WW-2026-00001", "m5@example.org");
  stranger.from = {"Someone Else", "else@example.net"};
  stranger.case_refs = {"WW-2026-00001"};
  const IntakeOutcome out = Process(Mail("stranger", stranger));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kOpened);
  EXPECT_EQ(out.reference, "WW-2026-00002");
  EXPECT_TRUE(store_->FindCase("WW-2026-00002")->HasFlag("mentions-reference:WW-2026-00001"));
}

TEST_F(IntakeTest, AutomaticRepliesAreCappedPerRecipient) {
  for (int i = 0; i < 4; ++i) {
    const std::string raw = "raw-" + std::to_string(i);
    Process(Mail(raw, Resident("compliment thanks " + raw, "id" + std::to_string(i) + "@x")));
  }
  auto to_resident = [&] {
    size_t n = 0;
    for (const OutboxItem& o : Outbox()) n += o.recipients[0] == "jo@example.org";
    return n;
  };
  EXPECT_EQ(to_resident(), 3u);
  EXPECT_EQ(History("WW-2026-00004")[2], "mail_suppressed");
  clock_.Advance(std::chrono::hours{25});
  Process(Mail("raw-5", Resident("compliment later", "id5@x")));
  EXPECT_EQ(to_resident(), 4u);
}

TEST_F(IntakeTest, ACopyOfEachComplimentGoesToTheTeam) {
  Process(Mail("thanks", Resident("compliment Steve the caretaker was wonderful")));
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[0].kind, "compliment-thanks");
  EXPECT_EQ(outbox[1].kind, "compliment-staff-copy");
  EXPECT_EQ(outbox[1].recipients, std::vector<std::string>{"praise@westway.example"});
  EXPECT_NE(outbox[1].raw.find("Steve the caretaker"), std::string::npos);
}

// With a staff directory, praise goes to the people and teams the resident names; the team's inbox
// only hears of compliments that name nobody it knows.
TEST_F(IntakeTest, PraiseReachesThePeopleNamed) {
  MailSettings settings = mailer_->settings();
  settings.staff_directory = *StaffDirectory::Parse(
      "Steve Jones | Steve the caretaker = steve.jones@westway.example\n"
      "repairs team = repairs@westway.example\n",
      "staff.txt");
  stack_ = std::make_unique<testing::IntakeStack>("intake_praise", "westway", settings, clock_);
  store_ = stack_->store.get();
  reader_ = &stack_->reader;
  intake_ = stack_->intake.get();
  Process(Mail("named", Resident("compliment Steve the caretaker and the repairs team were great",
                                 "p1@example.org")));
  std::vector<std::string> copies;
  for (const OutboxItem& item : Outbox()) {
    if (item.kind == "compliment-staff-copy") copies.push_back(item.recipients.at(0));
  }
  EXPECT_EQ(copies,
            (std::vector<std::string>{"steve.jones@westway.example", "repairs@westway.example"}));
  const std::string ref = store_->ListCases(CaseQuery{})->at(0).reference;
  const auto history = History(ref);
  EXPECT_EQ(std::count(history.begin(), history.end(), "praise_passed_on"), 2);

  Process(Mail("unnamed", Resident("compliment the plumber was lovely", "p2@example.org")));
  copies.clear();
  for (const OutboxItem& item : Outbox()) {
    if (item.kind == "compliment-staff-copy") copies.push_back(item.recipients.at(0));
  }
  EXPECT_EQ(copies.back(), "praise@westway.example");
  EXPECT_EQ(copies.size(), 3u);
}

TEST_F(IntakeTest, BounceOfOurMailFlagsTheCase) {
  Process(Mail("raw-1", Resident("complaint the boiler")));
  MailFacts bounce;
  bounce.message_id = "bounce@mx";
  bounce.from = {"Mail Delivery System", "MAILER-DAEMON@example.org"};
  bounce.automatic = true;
  bounce.automatic_reason = "delivery status notification";
  bounce.original_message_id = Outbox()[0].message_id;
  const IntakeOutcome out = Process(Mail("bounce", bounce));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kAutomatic);
  EXPECT_EQ(out.reference, "WW-2026-00001");
  EXPECT_TRUE(store_->FindCase("WW-2026-00001")->HasFlag("delivery-failed"));
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(IntakeTest, StaffMailWithoutAScanIsQuarantinedForAPersonNotAcknowledged) {
  MailFacts forward = Resident("complaint scanned letter attached", "fw@westway.example");
  forward.from = {"Reception", "reception@westway.example"};
  forward.attachments = 1;  // a Word document, say: not a scan
  const IntakeOutcome out = Process(Mail("fw", forward));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kQuarantined);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"it@westway.example"});
}

// A resident's posted letter, scanned by reception. The fake letter reader returns each scan's
// bytes as its text; the fake classifier labels by the first word.
class IntakeLetterTest : public IntakeTest {
 protected:
  void SetUp() override {
    IntakeTest::SetUp();
    intake_->EnableLetters(
        letters_, {"WW-[0-9]{4}-[0-9]{5}", {"Westway Housing", "1 High Street", "London W1 1AA"}});
  }
  MailFacts Forward(const std::string& note, std::vector<ScanFile> scans) {
    MailFacts f;
    f.message_id = "fw" + std::to_string(++forwards_) + "@westway.example";
    f.from = {"Reception", "reception@westway.example"};
    f.subject = "FW: scanned letter";
    f.new_text = note;
    f.attachments = scans.size();
    f.scans = std::move(scans);
    f.date = clock_.Now();
    return f;
  }
  static constexpr const char* kLetter =
      "complaint about the damp in my bedroom. I reported it three times and nobody came.\n\n"
      "Yours sincerely,\n\nMargaret Hughes\n14 Acacia Avenue\nLeeds\nLS6 2QT\n";
  testing::FakeLetterReader letters_;
  int forwards_ = 0;
};

TEST_F(IntakeLetterTest, APostedLetterOpensALetterCaseAndStaffGetAnAcknowledgementToPost) {
  const IntakeOutcome out = Process(
      Mail("fw-letter", Forward("Letter received 8/6, please log.", {{"scan.png", kLetter}})));
  ASSERT_EQ(out.kind, IntakeOutcome::Kind::kOpened) << out.detail;
  const CaseRecord c = *store_->FindCase(out.reference);
  EXPECT_EQ(c.channel, Channel::kLetter);
  EXPECT_EQ(c.type, CaseType::kComplaint);
  // The day staff say it came (Monday 8 June), not the day they forwarded it (Wednesday 10 June).
  EXPECT_EQ(c.received_at, Instant("2026-06-08T12:00:00+01:00"));
  EXPECT_TRUE(c.HasFlag("letter"));
  const Contact resident = *store_->GetContact(c.contact_id);
  EXPECT_EQ(resident.name, "Margaret Hughes");
  EXPECT_EQ(resident.address, "14 Acacia Avenue, Leeds, LS6 2QT");
  EXPECT_TRUE(resident.emails.empty());
  const auto docs = *store_->Documents(c.id);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].bytes, kLetter);
  EXPECT_EQ(docs[0].text, kLetter);
  EXPECT_EQ(docs[0].method, "ocr");
  EXPECT_EQ(docs[0].message_id, out.message_row);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);  // nothing to the resident by email: there is no address
  EXPECT_EQ(outbox[0].kind, "letter-to-post");
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"reception@westway.example"});
  EXPECT_NE(outbox[0].raw.find("Content-Type: application/pdf"), std::string::npos);
  EXPECT_NE(outbox[0].raw.find("acknowledgement-" + out.reference), std::string::npos);
  const auto history = History(out.reference);
  EXPECT_NE(std::find(history.begin(), history.end(), "letter_received"), history.end());
  EXPECT_NE(std::find(history.begin(), history.end(), "acknowledgement_by_post"), history.end());
  EXPECT_EQ((*store_->FindMessage(out.message_row))->state, "processed");
}

TEST_F(IntakeLetterTest, ALetterGivingAnEmailAddressIsAcknowledgedByEmail) {
  const std::string letter = std::string(kLetter) + "Email: maggie.h@example.org\n";
  const IntakeOutcome out =
      Process(Mail("fw-email", Forward("Posted complaint attached.", {{"scan.pdf", letter}})));
  ASSERT_EQ(out.kind, IntakeOutcome::Kind::kOpened) << out.detail;
  // No date in the note: the day it was forwarded.
  EXPECT_EQ(store_->FindCase(out.reference)->received_at, clock_.Now());
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].kind, "ack-stage");
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"maggie.h@example.org"});
  EXPECT_EQ(outbox[0].raw.find("application/pdf"), std::string::npos);
}

TEST_F(IntakeLetterTest, AnUnreadableScanIsQuarantinedAndTheForwarderTold) {
  const IntakeOutcome out =
      Process(Mail("fw-bad", Forward("Scanned letter.", {{"scan.pdf", "unreadable"}})));
  ASSERT_EQ(out.kind, IntakeOutcome::Kind::kQuarantined);
  EXPECT_NE(out.detail.find("scan.pdf: the PDF is protected by a password"), std::string::npos);
  std::set<std::string> told;
  for (const OutboxItem& item : Outbox()) told.insert(item.recipients.at(0));
  EXPECT_EQ(told, (std::set<std::string>{"it@westway.example", "reception@westway.example"}));
}

// A scan forwarded by replying on an old case's thread is a new letter, not that case's reply.
TEST_F(IntakeLetterTest, AScanForwardedOnAnOldCasesThreadIsANewLetter) {
  Process(Mail("raw-1", Resident("complaint the boiler")));
  MailFacts f = Forward("Another letter came today.", {{"scan.png", kLetter}});
  f.in_reply_to = Outbox()[0].message_id;
  const IntakeOutcome out = Process(Mail("fw-on-thread", f));
  ASSERT_EQ(out.kind, IntakeOutcome::Kind::kOpened) << out.detail;
  EXPECT_NE(out.reference, "WW-2026-00001");
  EXPECT_EQ(store_->FindCase(out.reference)->channel, Channel::kLetter);
}

TEST_F(IntakeLetterTest, ALetterQuotingACaseReferenceJoinsThatCase) {
  const IntakeOutcome first =
      Process(Mail("fw-1", Forward("Letter received 8/6.", {{"scan.png", kLetter}})));
  ASSERT_EQ(first.kind, IntakeOutcome::Kind::kOpened);
  const std::string follow_up = "complaint still not fixed, my reference is " + first.reference +
                                ".\n\nYours sincerely,\n\nMargaret Hughes\n";
  const IntakeOutcome second =
      Process(Mail("fw-2", Forward("Another letter from Mrs Hughes", {{"scan2.png", follow_up}})));
  EXPECT_EQ(second.kind, IntakeOutcome::Kind::kAddedToCase);
  EXPECT_EQ(second.reference, first.reference);
  EXPECT_EQ(store_->Documents(store_->FindCase(first.reference)->id)->size(), 2u);
  CaseQuery all;
  EXPECT_EQ(store_->ListCases(all)->size(), 1u);
}

TEST_F(IntakeLetterTest, AttachmentsThatDoNotReadLikeALetterGoToAPerson) {
  const IntakeOutcome out = Process(
      Mail("fw-rota", Forward("Here is next week's rota.",
                              {{"rota.png", "Monday Sam Tuesday Jo Wednesday Ali Thursday Kim"}})));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kQuarantined);
  EXPECT_EQ(letters_.reads, 1);
  CaseQuery all;
  EXPECT_TRUE(store_->ListCases(all)->empty());
}

// "other" opens no case; the stored reason names the sender and subject, one line, for the daily
// digest's list of mail that opened no case.
TEST_F(IntakeTest, OtherIsKeptForReviewWithoutACase) {
  MailFacts f = Resident("other newsletter");
  f.subject = "Parking\r\n\tpermits?";
  const IntakeOutcome out = Process(Mail("other", f));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kIgnored);
  EXPECT_EQ((*store_->FindMessage(out.message_row))->state, "review");
  EXPECT_EQ(out.detail.find("jo@example.org"), std::string::npos);  // the log's: no personal data
  auto list = [&](std::vector<std::string> states, const std::string& since) {
    MessageQuery q;
    q.states = std::move(states);
    q.since = Instant(since);
    return store_->ListMessages(q);
  };
  Result<std::vector<MessageListing>> listed = list({"review"}, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(listed.ok()) << listed.error();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].reason,
            "classified other, no case opened: from jo@example.org, \"Parking permits?\"");
  EXPECT_TRUE(list({"quarantined"}, "2026-01-01T00:00:00Z")->empty());
  EXPECT_EQ(list({}, "2026-01-01T00:00:00Z")->size(), 1u);
  EXPECT_TRUE(list({}, "2027-01-01T00:00:00Z")->empty());
}

// Suspected spam opens no case and gets no reply; it is kept, in state spam, with its reason.
TEST_F(IntakeTest, SuspectedSpamOpensNoCaseAndGetsNoReplyUntilReleased) {
  testing::FakeSpamFilter spam;
  intake_->EnableSpamFilter(spam);
  MailFacts f = Resident("complaint formal tenant complaint: open the attached invoice");
  f.from = {"Tenant Services", "notice@westvvay-housing.example"};
  const IntakeOutcome out = Process(Mail("SPAM-MARK lure", f));
  EXPECT_EQ(out.kind, IntakeOutcome::Kind::kSpam);
  EXPECT_EQ(out.reference, "");
  EXPECT_TRUE(Outbox().empty());
  EXPECT_TRUE(store_->ListCases({})->empty());
  const MessageListing held = **store_->DescribeMessage(out.message_row);
  EXPECT_EQ(held.state, "spam");
  EXPECT_NE(held.reason.find("notice@westvvay-housing.example"), std::string::npos);
  EXPECT_NE(held.reason.find("X-Spam-Flag: YES (test)"), std::string::npos);
  EXPECT_EQ(out.detail.find("notice@"), std::string::npos);  // the log's: no personal data
  // Delivered again (a restart before the move): still spam, so it goes to the spam folder.
  EXPECT_EQ(Process(Raw("SPAM-MARK lure")).kind, IntakeOutcome::Kind::kSpam);

  // Staff release it: handled as new mail, with no spam check.
  const int asked = spam.asked;
  Result<IntakeOutcome> released = intake_->Release(out.message_row, "Sam");
  ASSERT_TRUE(released.ok()) << released.error();
  EXPECT_EQ(released->kind, IntakeOutcome::Kind::kOpened);
  EXPECT_EQ(spam.asked, asked);
  const CaseRecord c = *store_->FindCase(released->reference);
  EXPECT_TRUE(c.HasFlag("released-from-spam"));
  ASSERT_EQ(Outbox().size(), 1u);
  EXPECT_EQ(Outbox()[0].kind, "ack-stage");
  EXPECT_EQ((*store_->FindMessage(out.message_row))->state, "processed");
  // Only held messages can be released.
  Result<IntakeOutcome> twice = intake_->Release(out.message_row, "Sam");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().find("not held as suspected spam"), std::string::npos);
  EXPECT_FALSE(intake_->Release(999, "Sam").ok());
}

// Never a resident's mail: someone we already know is not held, whatever a filter said, and a
// reply on one of our threads is never checked.
TEST_F(IntakeTest, AKnownResidentAndAReplyOnOurThreadAreNeverHeldAsSpam) {
  testing::FakeSpamFilter spam;
  intake_->EnableSpamFilter(spam);
  const IntakeOutcome first = Process(Mail("raw-1", Resident("complaint the boiler")));
  ASSERT_EQ(first.kind, IntakeOutcome::Kind::kOpened);
  const IntakeOutcome known =
      Process(Mail("SPAM-MARK again", Resident("complaint the lift too", "m2@example.org")));
  ASSERT_EQ(known.kind, IntakeOutcome::Kind::kOpened);
  EXPECT_TRUE(store_->FindCase(known.reference)->HasFlag("spam-evidence"));
  const int asked = spam.asked;
  MailFacts reply = Resident("complaint still broken", "m3@example.org");
  reply.from = {"Someone", "someone.else@example.net"};
  reply.in_reply_to = Outbox()[0].message_id;
  const IntakeOutcome threaded = Process(Mail("SPAM-MARK reply", reply));
  EXPECT_EQ(threaded.kind, IntakeOutcome::Kind::kAddedToCase);
  EXPECT_EQ(spam.asked, asked);
}

TEST_F(IntakeLetterTest, AnUncertainPostedLetterGetsTheReceiptToPost) {
  const std::string letter =
      "uncertain service_request please could you fix the gutter and the back door. I am not "
      "complaining.\n\nYours sincerely,\n\nMargaret Hughes\n14 Acacia Avenue\nLeeds\nLS6 2QT\n";
  const IntakeOutcome out =
      Process(Mail("fw-letter", Forward("Letter received 8/6.", {{"scan.png", letter}})));
  ASSERT_EQ(out.kind, IntakeOutcome::Kind::kOpened) << out.detail;
  EXPECT_EQ(out.detail, "letter complaint (uncertain: triage)");
  const CaseRecord c = *store_->FindCase(out.reference);
  EXPECT_TRUE(c.HasFlag("triage"));
  EXPECT_TRUE(c.HasFlag("letter"));
  bool receipt_by_post = false;
  for (const HistoryEntry& h : *store_->History(c.id)) {
    if (h.action == "acknowledgement_by_post" && h.detail.find("receipt") != std::string::npos) {
      receipt_by_post = true;
    }
  }
  EXPECT_TRUE(receipt_by_post);
  ASSERT_EQ(Outbox().size(), 1u);
  EXPECT_EQ(Outbox()[0].kind, "letter-to-post");
}

TEST(AsksToEscalateTest, Phrases) {
  EXPECT_TRUE(AsksToEscalate("I am NOT satisfied with this"));
  EXPECT_TRUE(AsksToEscalate("please take this to stage 2"));
  EXPECT_FALSE(AsksToEscalate("thanks, here is the photo you asked for"));
}

}  // namespace
}  // namespace complaints
