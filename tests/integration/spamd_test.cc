// SpamChecker against a real spamd (Debian's SpamAssassin 4), started by the test on 127.0.0.1:
// spam, a resident's complaint, the phishing that reached the landlord's inbox, and spamd gone.
#include <gtest/gtest.h>

#include <memory>

#include "daemon/intake/spam_check.h"
#include "parsers/ascii_case.h"
#include "parsers/mail_parser.h"
#include "tests/integration/processes.h"
#include "tests/integration/spamd.h"

namespace complaints {
namespace {

using integration::Spamd;
using integration::TempDir;

const char* kReceived =
    "Return-Path: <jane.smith@gmail.com>\r\n"
    "Received: from mail-wr1-f41.google.com (mail-wr1-f41.google.com [209.85.221.41])\r\n"
    "\tby mx1.westway.org.uk (Postfix) with ESMTPS id 4QxB7L0sFkz9sWq\r\n"
    "\tfor <complaints@westway.org.uk>; Tue, 10 Nov 2026 09:12:46 +0000 (GMT)\r\n";

const std::string kGtube =
    std::string(kReceived) +
    "From: Jane Smith <jane.smith@gmail.com>\r\nTo: complaints@westway.org.uk\r\n"
    "Subject: Test message\r\nDate: Tue, 10 Nov 2026 09:12:44 +0000\r\n"
    "Message-ID: <CAJ7x3q1gtube0001@mail.gmail.com>\r\nMIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
    "This is the GTUBE, the Generic Test for Unsolicited Bulk Email.\r\n\r\n"
    "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n";

const std::string kComplaint =
    std::string(kReceived) +
    "From: Jane Smith <jane.smith@gmail.com>\r\nTo: complaints@westway.org.uk\r\n"
    "Subject: Formal complaint - mould in my flat\r\nDate: Tue, 10 Nov 2026 09:12:44 +0000\r\n"
    "Message-ID: <CAJ7x3q1mould0001@mail.gmail.com>\r\nMIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    "Dear Westway Housing Association,\r\n\r\n"
    "I want to make a formal complaint. I reported the black mould in my bathroom on 4 August,\r\n"
    "12 September and 20 October and nobody has come. My son has asthma and it is getting\r\n"
    "worse. I have spent \xC2\xA3"
    "120 on a dehumidifier. Please send someone this week and tell\r\n"
    "me what you will do about the cost.\r\n\r\nJane Smith\r\nFlat 3, 14 Oak Road, London W10 "
    "5AB\r\n"
    "07700 900123\r\n";

// The phishing notice that opened a case: HTML only, dressed as the landlord's IT desk.
const std::string kMailboxFull =
    "Return-Path: <bounce@outlook-mailcentre.com>\r\n"
    "Received: from mail.outlook-mailcentre.com (unknown [203.0.113.77])\r\n"
    "\tby mx1.westway.org.uk (Postfix) with ESMTP id 4QxC2M1tGkz9sWr\r\n"
    "\tfor <complaints@westway.org.uk>; Tue, 10 Nov 2026 07:02:13 +0000 (GMT)\r\n"
    "From: \"Westway IT Service Desk\" <it.servicedesk@outlook-mailcentre.com>\r\n"
    "To: complaints@westway.org.uk\r\nSubject: Your mailbox is full - action required\r\n"
    "Date: Tue, 10 Nov 2026 07:02:11 +0000\r\nMessage-ID: <a81f2c0917@outlook-mailcentre.com>\r\n"
    "MIME-Version: 1.0\r\nContent-Type: text/html; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    "<html><body><p>Dear complaints,</p><p>Your mailbox is 99% full (49.6 GB of 50 GB). =\r\n"
    "Incoming messages are on hold.</p><p><a href=3D\"https://mailbox-quota.example/owa/log=\r\n"
    "in?u=3Dcomplaints\">Click here to increase your storage</a> and keep receiving mail.</p>=\r\n"
    "<p>Westway Housing Association<br>IT Service Desk</p></body></html>\r\n";

SpamSettings Landlord() {
  SpamSettings s;
  s.own_domains = {"westway.org.uk"};
  s.landlord_name = "Westway Housing Association";
  return s;
}

SpamInput Input(const std::string& raw) {
  Result<ParsedMail> m = ParseMail(raw);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error());
  SpamInput in;
  in.raw = raw;
  if (!m.ok()) return in;
  in.from_address = LowerAscii(m->from.address);
  in.from_name = m->from.name;
  in.reply_to = m->reply_to ? LowerAscii(m->reply_to->address) : "";
  in.subject = m->subject;
  in.text = m->text;
  return in;
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += "  " + l + "\n";
  return s;
}

// One spamd for the tests of a process (ctest runs each test in its own).
class SpamdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { spamd_ = std::make_unique<Spamd>(TempDir("spamd")); }
  static void TearDownTestSuite() { spamd_.reset(); }

  static SpamdSettings Settings() {
    SpamdSettings s;
    s.port = spamd_->port();  // spamc found through PATH, as the default configuration has it
    return s;
  }

  static std::unique_ptr<Spamd> spamd_;
};
std::unique_ptr<Spamd> SpamdTest::spamd_;

TEST_F(SpamdTest, TheGtubeMessageIsSpamThroughSpamChecker) {
  const SpamChecker checker(Landlord(), Settings());
  const SpamVerdict v = checker.Check(Input(kGtube));
  EXPECT_TRUE(v.suspected) << Lines(v.evidence);
  ASSERT_EQ(v.reasons.size(), 1u) << Lines(v.reasons);
  EXPECT_EQ(v.reasons[0].rfind("spamd: 100", 0), 0u) << v.reasons[0];
  EXPECT_NE(v.reasons[0].find("(5.0 required): GTUBE"), std::string::npos) << v.reasons[0];
  // Our rules alone see nothing in it: the verdict is spamd's.
  EXPECT_FALSE(JudgeSpam(Input(kGtube), Landlord()).suspected);
}

TEST_F(SpamdTest, APlainResidentComplaintIsNotSpam) {
  const SpamChecker checker(Landlord(), Settings());
  const SpamVerdict v = checker.Check(Input(kComplaint));
  EXPECT_FALSE(v.suspected) << Lines(v.reasons);
  ASSERT_EQ(v.evidence.size(), 1u) << Lines(v.evidence);
  EXPECT_EQ(v.evidence[0].rfind("spamd: ", 0), 0u) << v.evidence[0];
  EXPECT_NE(v.evidence[0].find(" points (5.0 required)"), std::string::npos) << v.evidence[0];
}

// The mailbox-full notice is caught by our own rule before spamd is asked; spamd alone scores it
// too, and the figure is printed for the record.
TEST_F(SpamdTest, TheMailboxFullPhishIsCaught) {
  const SpamChecker checker(Landlord(), Settings());
  const SpamVerdict v = checker.Check(Input(kMailboxFull));
  EXPECT_TRUE(v.suspected);
  EXPECT_NE(Lines(v.reasons).find("Credential lure in the landlord's name"), std::string::npos)
      << Lines(v.reasons);
  const SpamVerdict spamd_alone = AskSpamd(kMailboxFull, Settings());
  ASSERT_FALSE(spamd_alone.reasons.empty() && spamd_alone.evidence.empty());
  const std::string said = Lines(spamd_alone.reasons) + Lines(spamd_alone.evidence);
  EXPECT_EQ(said.find("unavailable"), std::string::npos) << said;
  RecordProperty("spamd_on_mailbox_full_phish", said);
}

TEST(SpamdStoppedTest, AStoppedSpamdIsNotSpamAndSaysItWasUnavailable) {
  auto spamd = std::make_unique<Spamd>(TempDir("spamd_stopped"));
  SpamdSettings settings;
  settings.port = spamd->port();
  settings.spamc = "/usr/bin/spamc";
  const SpamChecker checker(Landlord(), settings);
  ASSERT_TRUE(checker.Check(Input(kGtube)).suspected);
  spamd->Stop();
  const SpamVerdict v = checker.Check(Input(kGtube));
  EXPECT_FALSE(v.suspected) << Lines(v.reasons);
  ASSERT_EQ(v.evidence.size(), 1u) << Lines(v.evidence);
  EXPECT_EQ(v.evidence[0], "spamd unavailable: spamc: exit 69 (cannot reach spamd at 127.0.0.1:" +
                               std::to_string(settings.port) + ")");
}

}  // namespace
}  // namespace complaints
