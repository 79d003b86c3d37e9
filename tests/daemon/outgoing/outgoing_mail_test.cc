#include "daemon/outgoing/outgoing_mail.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "parsers/mail_parser.h"
#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::Instant;

// Header names in the header block (continuation lines belong to the header above them).
std::vector<std::string> HeaderNames(const std::string& raw) {
  std::vector<std::string> names;
  std::istringstream in(raw);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') continue;
    names.push_back(line.substr(0, line.find(':')));
  }
  return names;
}

MailDraft Draft() {
  MailDraft d;
  d.from = {"Westway Complaints", "complaints@westway.example"};
  d.to = {{"Jo Bloggs", "jo@example.org"}};
  d.subject = "[WW-2026-00042] We have received your complaint";
  d.text = "Dear Jo,\n\nThank you.\n";
  d.message_id = "cd.WW-2026-00042.1.abc@westway.example";
  d.in_reply_to = "CAF123@mail.example.org";
  d.references = {"CAF123@mail.example.org"};
  d.date = Instant("2026-06-10T09:30:00+01:00");
  return d;
}

TEST(OutgoingMailTest, ComposesTheHeadersTheCodeAndRfc3834Need) {
  Result<std::string> raw = ComposeMail(Draft());
  ASSERT_TRUE(raw.ok()) << raw.error();
  EXPECT_EQ(HeaderNames(*raw),
            (std::vector<std::string>{"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To",
                                      "References", "Auto-Submitted", "X-Auto-Response-Suppress",
                                      "Precedence", "MIME-Version", "Content-Type"}));
  EXPECT_NE(raw->find("Auto-Submitted: auto-replied\r\n"), std::string::npos);
  EXPECT_NE(raw->find("Date: Wed, 10 Jun 2026 09:30:00 +0100\r\n"), std::string::npos);
  EXPECT_NE(raw->find("Message-ID: <cd.WW-2026-00042.1.abc@westway.example>\r\n"),
            std::string::npos);
  EXPECT_NE(raw->find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(raw->find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
  EXPECT_NE(raw->find("<p>Dear Jo,</p>"), std::string::npos);
}

TEST(OutgoingMailTest, NoFieldCanInjectAHeader) {
  MailDraft d = Draft();
  d.subject = "Hello\r\nBcc: victim@example.net\r\nX-Evil: 1";
  d.to[0].name = "Jo\r\nBcc: victim@example.net";
  d.from.name = "Us\nX-Evil: 2";
  d.in_reply_to = "abc@x\r\nBcc: v@example.net";
  d.references = {"ok@x", "bad@x>\r\nX-Evil: 3"};
  Result<std::string> raw = ComposeMail(d);
  ASSERT_TRUE(raw.ok()) << raw.error();
  const std::vector<std::string> names = HeaderNames(*raw);
  EXPECT_EQ(std::count(names.begin(), names.end(), "Bcc"), 0);
  EXPECT_EQ(std::count(names.begin(), names.end(), "X-Evil"), 0);
  EXPECT_EQ(std::count(names.begin(), names.end(), "In-Reply-To"), 0);  // invalid: dropped
  // Every line of the header block ends in CRLF: no bare CR or LF got through.
  const std::string head = raw->substr(0, raw->find("\r\n\r\n"));
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\n') {
      EXPECT_EQ(head[i - 1], '\r');
    }
    if (head[i] == '\r') {
      EXPECT_EQ(head[i + 1], '\n');
    }
  }
}

// The print-ready letter staff post: it must arrive byte for byte, under its name, and neither its
// name nor its type can add a header.
TEST(OutgoingMailTest, AttachmentsArriveWholeAndCannotInjectHeaders) {
  MailDraft d = Draft();
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 3000; ++i) pdf += static_cast<char>(i * 7 % 256);
  d.attachments = {{"Acknowledgement for Zo\xC3\xAB \"O'Brien\"\r\nBcc: x@example.net.pdf",
                    "application/pdf", pdf}};
  Result<std::string> raw = ComposeMail(d);
  ASSERT_TRUE(raw.ok()) << raw.error();
  EXPECT_EQ(HeaderNames(*raw),
            (std::vector<std::string>{"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To",
                                      "References", "Auto-Submitted", "X-Auto-Response-Suppress",
                                      "Precedence", "MIME-Version", "Content-Type"}));
  EXPECT_EQ(raw->find("\nBcc:"), std::string::npos);
  for (size_t at = 0, next; at < raw->size(); at = next + 2) {
    next = raw->find("\r\n", at);
    if (next == std::string::npos) break;
    EXPECT_LE(next - at, 78u) << raw->substr(at, next - at);
  }
  Result<ParsedMail> parsed = ParseMail(*raw);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->text, "Dear Jo,\n\nThank you.");
  ASSERT_EQ(parsed->attachments.size(), 1u);
  EXPECT_EQ(parsed->attachments[0].bytes, pdf);
  EXPECT_EQ(parsed->attachments[0].content_type, "application/pdf");
  EXPECT_EQ(parsed->attachments[0].filename.substr(0, 27), "Acknowledgement for Zo\xC3\xAB \"O");

  d.attachments = {{"a.pdf", "application/pdf\r\nBcc: x@example.net", "x"}};
  EXPECT_FALSE(ComposeMail(d).ok());
}

TEST(OutgoingMailTest, BadAddressesAreRefused) {
  for (const char* bad :
       {"jo@example.org\r\nRCPT TO:<x@y.z>", "jo", "@example.org", "jo@", "jo@@example.org",
        "jo bloggs@example.org", "<jo@example.org>", "jo@localhost", "jo\"@example.org"}) {
    MailDraft d = Draft();
    d.to[0].address = bad;
    EXPECT_FALSE(ComposeMail(d).ok()) << bad;
    EXPECT_FALSE(ValidateAddress(bad).ok()) << bad;
  }
  EXPECT_TRUE(ValidateAddress("jo.bloggs+housing@mail.example.co.uk").ok());
}

TEST(OutgoingMailTest, LongUtf8SubjectIsEncodedAndFolded) {
  MailDraft d = Draft();
  d.subject = "[WW-2026-00042] Réponse à votre réclamation — “chauffage” ";
  for (int i = 0; i < 5; ++i) d.subject += "très très long sujet ";
  Result<std::string> raw = ComposeMail(d);
  ASSERT_TRUE(raw.ok());
  const std::string head = raw->substr(0, raw->find("\r\n\r\n"));
  std::istringstream in(head);
  std::string line;
  while (std::getline(in, line)) EXPECT_LE(line.size(), 79u) << line;  // 78 + the CR
  EXPECT_NE(head.find("Subject: =?UTF-8?B?"), std::string::npos);
}

TEST(OutgoingMailTest, EncodedWordsNeverSplitACharacter) {
  const std::string text(30, '\xc3');  // not valid UTF-8 on purpose: must not hang or crash
  EXPECT_FALSE(EncodeHeaderText(text).empty());
  const std::string pounds = "£££££££££££££££££££££££££££££££";
  const std::string encoded = EncodeHeaderText(pounds);
  // 36 bytes per word hold 18 two-byte characters; 31 characters need two words.
  EXPECT_EQ(std::count(encoded.begin(), encoded.end(), '?'), 8);
  EXPECT_EQ(EncodeHeaderText("plain"), "plain");
  EXPECT_EQ(EncodeHeaderText("looks =?encoded?= but is not"),
            "=?UTF-8?B?bG9va3MgPT9lbmNvZGVkPz0gYnV0IGlzIG5vdA==?=");
  EXPECT_EQ(EncodeHeaderText("£"), "=?UTF-8?B?wqM=?=");
}

TEST(OutgoingMailTest, QuotedPrintableKeepsLinesShort) {
  const std::string body = std::string(200, 'a') + "\n.leading dot\nend with space \n£5";
  const std::string qp = QuotedPrintable(body);
  std::istringstream in(qp);
  std::string line;
  while (std::getline(in, line)) EXPECT_LE(line.size(), 77u) << line;
  EXPECT_NE(qp.find("=2Eleading dot"), std::string::npos);
  EXPECT_NE(qp.find("end with space=20\r\n"), std::string::npos);
  EXPECT_NE(qp.find("=C2=A35"), std::string::npos);
}

TEST(OutgoingMailTest, SignedMessageIdsNameTheirCaseAndRejectForgeries) {
  const MessageIdSigner signer("secret-key", "westway.example");
  const std::string id = signer.Make("WW-2026-00042", "7f3a");
  EXPECT_EQ(signer.ReferenceOf(id), "WW-2026-00042");
  EXPECT_EQ(signer.ReferenceOf("<" + id + ">"), "WW-2026-00042");
  std::string forged = id;
  forged.replace(forged.find("00042"), 5, "00043");
  EXPECT_EQ(signer.ReferenceOf(forged), std::nullopt);
  EXPECT_EQ(MessageIdSigner("other-key", "westway.example").ReferenceOf(id), std::nullopt);
  EXPECT_EQ(signer.ReferenceOf("CAF123@mail.example.org"), std::nullopt);
  EXPECT_EQ(signer.ReferenceOf("cd.@x"), std::nullopt);
}

TEST(OutgoingMailTest, TextToHtmlEscapes) {
  EXPECT_EQ(TextToHtml("a <b> & \"c\"\n\nnext\nline"),
            "<!DOCTYPE html>\n<html><body>\n<p>a &lt;b&gt; &amp; &quot;c&quot;</p>\n"
            "<p>next<br>\nline</p>\n</body></html>\n");
}

}  // namespace
}  // namespace complaints
