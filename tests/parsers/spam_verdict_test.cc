#include "parsers/spam_verdict.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "parsers/ascii_case.h"
#include "parsers/mail_parser.h"

namespace complaints {
namespace {

// Headers as the landlord's mail system hands the message to the complaints mailbox: the
// receiving system's lines on top, the sender's below.
std::string Mail(const std::string& upstream, const std::string& sender_headers,
                 const std::string& body) {
  return upstream + sender_headers + "MIME-Version: 1.0\r\n\r\n" + body;
}

const char* kResidentHeaders =
    "From: Jane Smith <jane.smith@gmail.com>\r\n"
    "To: complaints@westway.org.uk\r\n"
    "Subject: Formal complaint - URGENT - mould in my flat\r\n"
    "Date: Tue, 10 Nov 2026 09:12:44 +0000\r\n"
    "Message-ID: <CAJ7x3q1mould@mail.gmail.com>\r\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\r\n";

const char* kResidentBody =
    "Dear Westway Housing Association,\r\n\r\n"
    "I want to make a formal complaint. This is urgent. I reported the black mould in my\r\n"
    "bathroom three times since August and nobody has come. I have spent \xC2\xA3"
    "120 on\r\ndehumidifiers and I want compensation. Free advice from Shelter says you must "
    "act.\r\n\r\n"
    "Jane Smith\r\n14 Oak Road, London W10 5AB\r\n";

class SpamVerdictTest : public ::testing::Test {
 protected:
  SpamVerdictTest() {
    settings_.own_domains = {"westway.org.uk"};
    settings_.landlord_name = "Westway Housing Association";
  }

  // The message read by the project's parser, as intake hands it over.
  SpamVerdict Judge(const std::string& raw) {
    Result<ParsedMail> m = ParseMail(raw);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error());
    if (!m.ok()) return {};
    SpamInput in;
    in.raw = raw;
    in.from_address = LowerAscii(m->from.address);
    in.from_name = m->from.name;
    in.reply_to = m->reply_to ? LowerAscii(m->reply_to->address) : "";
    in.subject = m->subject;
    in.text = m->text;
    return JudgeSpam(in, settings_);
  }

  static bool Has(const std::vector<std::string>& lines, const std::string& part) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(part) != std::string::npos; });
  }
  static std::string All(const SpamVerdict& v) {
    std::string s = std::string(v.suspected ? "suspected" : "not suspected") + "\nreasons:\n";
    for (const std::string& r : v.reasons) s += "  " + r + "\n";
    s += "evidence:\n";
    for (const std::string& e : v.evidence) s += "  " + e + "\n";
    return s;
  }

  SpamSettings settings_;
};

// ---- 1. Upstream verdicts -----------------------------------------------------------------------

TEST_F(SpamVerdictTest, SpamAssassinUpstreamFlagAndStatusAreDecisive) {
  const std::string raw = Mail(
      "Return-Path: <offers@energy-deals.example>\r\n"
      "X-Original-To: complaints@westway.org.uk\r\n"
      "X-Spam-Checker-Version: SpamAssassin 4.0.0 (2022-12-14) on mx1.westway.org.uk\r\n"
      "X-Spam-Flag: YES\r\n"
      "X-Spam-Level: *******\r\n"
      "X-Spam-Status: Yes, score=7.9 required=5.0 tests=BAYES_99,DKIM_INVALID,\r\n"
      "\tHTML_MESSAGE,RDNS_NONE,URIBL_ABUSE_SURBL autolearn=no autolearn_force=no\r\n"
      "\tversion=4.0.0\r\n"
      "Received: from mail.energy-deals.example (unknown [203.0.113.50])\r\n"
      "\tby mx1.westway.org.uk (Postfix) with ESMTP id 4QxYz1F2k9z9sWq\r\n"
      "\tfor <complaints@westway.org.uk>; Tue, 10 Nov 2026 09:14:03 +0000 (GMT)\r\n",
      "From: \"Energy Deals\" <offers@energy-deals.example>\r\n"
      "To: complaints@westway.org.uk\r\nSubject: Cut your office energy bills by 40%\r\n"
      "Date: Tue, 10 Nov 2026 09:13:58 +0000\r\nMessage-ID: <20261110.1@energy-deals.example>\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n",
      "Hello, we can cut your energy bills by 40% today. Reply YES for a free quote.\r\n");
  const SpamVerdict v = Judge(raw);
  EXPECT_TRUE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.reasons,
                  "X-Spam-Flag: YES (upstream SpamAssassin 4.0.0 (2022-12-14) on "
                  "mx1.westway.org.uk)"))
      << All(v);
  EXPECT_TRUE(Has(v.reasons, "X-Spam-Status: Yes, score=7.9 required=5.0 (upstream")) << All(v);
}

TEST_F(SpamVerdictTest, SpamAssassinSayingNoLeavesAResidentAlone) {
  const std::string raw = Mail(
      "X-Spam-Checker-Version: SpamAssassin 4.0.0 (2022-12-14) on mx1.westway.org.uk\r\n"
      "X-Spam-Level: **\r\n"
      "X-Spam-Status: No, score=2.6 required=5.0 tests=DKIM_SIGNED,DKIM_VALID,\r\n"
      "\tFREEMAIL_FROM,HTML_MESSAGE autolearn=no version=4.0.0\r\n",
      kResidentHeaders, kResidentBody);
  const SpamVerdict v = Judge(raw);
  EXPECT_FALSE(v.suspected) << All(v);
  EXPECT_TRUE(v.reasons.empty()) << All(v);
}

TEST_F(SpamVerdictTest, RspamdRejectAndAddHeaderAreDecisiveNoActionIsNot) {
  const std::string reject = Mail(
      "X-Rspamd-Queue-Id: 7D99813AA5F\r\n"
      "X-Rspamd-Server: mx2\r\n"
      "X-Spamd-Result: default: True [16.20 / 15.00];\r\n"
      "\tBAYES_SPAM(5.10)[99.99%];\r\n"
      "\tR_SPF_FAIL(1.00)[-all];\r\n"
      "\tDMARC_POLICY_REJECT(2.00)[energy-deals.example : No valid SPF,reject]\r\n"
      "X-Rspamd-Action: reject\r\n",
      "From: offers@energy-deals.example\r\nTo: complaints@westway.org.uk\r\n"
      "Subject: Exclusive offer\r\nContent-Type: text/plain\r\n",
      "Buy now.\r\n");
  SpamVerdict v = Judge(reject);
  EXPECT_TRUE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.reasons, "X-Spamd-Result: default: True [16.20 / 15.00] (rspamd would reject"))
      << All(v);
  EXPECT_TRUE(Has(v.reasons, "X-Rspamd-Action: reject (rspamd)")) << All(v);

  const std::string add_header = Mail(
      "X-Spamd-Result: default: False [8.10 / 15.00];\r\n\tBAYES_SPAM(5.10)[99.1%]\r\n"
      "X-Rspamd-Action: add header\r\n"
      "X-Spam-Status: Yes, score=8.10\r\n"
      "X-Spam: Yes\r\n",
      "From: offers@energy-deals.example\r\nSubject: Offer\r\nContent-Type: text/plain\r\n",
      "Buy now.\r\n");
  v = Judge(add_header);
  EXPECT_TRUE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.reasons, "X-Rspamd-Action: add header (rspamd)")) << All(v);
  EXPECT_TRUE(Has(v.reasons, "X-Spam-Status: Yes, score=8.10")) << All(v);
  EXPECT_FALSE(Has(v.reasons, "X-Spamd-Result")) << All(v);

  const std::string resident = Mail(
      "X-Rspamd-Queue-Id: 041C7FD264\r\nX-Rspamd-Action: no action\r\n"
      "X-Spamd-Result: default: False [3.10 / 15.00];\r\n\tFREEMAIL_FROM(0.00)[gmail.com]\r\n"
      "X-Spam-Status: No, score=3.10\r\n",
      kResidentHeaders, kResidentBody);
  v = Judge(resident);
  EXPECT_FALSE(v.suspected) << All(v);
}

// Exchange Online Protection's stamps on an inbound phish, as a Microsoft 365 mailbox shows them.
const char* kMicrosoftPhishHeaders =
    "Received: from CWXP265MB3456.GBRP265.PROD.OUTLOOK.COM (2603:10a6:400:7e::10) by\r\n"
    " LO0P265MB6789.GBRP265.PROD.OUTLOOK.COM with HTTPS; Tue, 10 Nov 2026 09:14:07 +0000\r\n"
    "Authentication-Results: spf=fail (sender IP is 203.0.113.77)\r\n"
    " smtp.mailfrom=mailbox-quota.example; dkim=none (message not signed)\r\n"
    " header.d=none;dmarc=fail action=none header.from=mailbox-quota.example;compauth=fail\r\n"
    " reason=001\r\n"
    "Received-SPF: Fail (protection.outlook.com: domain of mailbox-quota.example does not\r\n"
    " designate 203.0.113.77 as permitted sender) receiver=protection.outlook.com;\r\n"
    " client-ip=203.0.113.77; helo=mail.mailbox-quota.example;\r\n"
    "X-MS-Exchange-Organization-SCL: 9\r\n"
    "X-Forefront-Antispam-Report:\r\n"
    " CIP:203.0.113.77;CTRY:NL;LANG:en;SCL:9;SRV:;IPV:NLI;SFV:SPM;H:mail.mailbox-quota.example;\r\n"
    " PTR:InfoDomainNonexistent;CAT:\r\n PHSH;SFS:(13230040)(8096899003);DIR:INB;\r\n"
    "X-Microsoft-Antispam: BCL:0;ARA:13230040|8096899003;\r\n"
    "X-MS-Exchange-Organization-AuthAs: Anonymous\r\n"
    "X-MS-Exchange-Organization-AuthSource: DU2PEPF00028D0C.eurprd03.prod.outlook.com\r\n";

TEST_F(SpamVerdictTest, MicrosoftSclFilterVerdictAndPhishingCategoryAreDecisive) {
  const SpamVerdict v = Judge(
      Mail(kMicrosoftPhishHeaders,
           "From: Mail Admin <admin@mailbox-quota.example>\r\nTo: complaints@westway.org.uk\r\n"
           "Subject: Messages held\r\nContent-Type: text/plain\r\n",
           "You have messages waiting.\r\n"));
  EXPECT_TRUE(v.suspected) << All(v);
  EXPECT_TRUE(
      Has(v.reasons, "X-MS-Exchange-Organization-SCL: 9 (Microsoft 365; 5 or more is spam)"))
      << All(v);
  EXPECT_TRUE(Has(v.reasons,
                  "X-Forefront-Antispam-Report: SFV:SPM (Microsoft 365 filtered it as "
                  "spam)"))
      << All(v);
  // "CAT:" folded before its value still reads PHSH.
  EXPECT_TRUE(Has(v.reasons, "X-Forefront-Antispam-Report: CAT:PHSH (Microsoft 365: phishing)"))
      << All(v);
  EXPECT_TRUE(Has(v.evidence, "SPF fail (smtp.mailfrom=mailbox-quota.example)")) << All(v);
  EXPECT_TRUE(Has(v.evidence, "compauth=fail")) << All(v);
  EXPECT_TRUE(Has(v.evidence, "DMARC fail for mailbox-quota.example (its policy: none)")) << All(v);
}

TEST_F(SpamVerdictTest, MicrosoftSclCountsFromTheThreshold) {
  const auto with_scl = [&](int scl) {
    return Mail("X-MS-Exchange-Organization-SCL: " + std::to_string(scl) +
                    "\r\nX-Forefront-Antispam-Report: CIP:198.51.100.4;CTRY:GB;LANG:en;SCL:" +
                    std::to_string(scl) +
                    ";SRV:;IPV:NLI;SFV:NSPM;H:mail.example;CAT:NONE;DIR:INB;\r\n",
                kResidentHeaders, kResidentBody);
  };
  EXPECT_FALSE(Judge(with_scl(-1)).suspected);
  EXPECT_FALSE(Judge(with_scl(1)).suspected);
  EXPECT_FALSE(Judge(with_scl(4)).suspected);
  EXPECT_TRUE(Judge(with_scl(5)).suspected);
  settings_.scl_threshold = 7;
  EXPECT_FALSE(Judge(with_scl(6)).suspected);
  EXPECT_TRUE(Judge(with_scl(7)).suspected);
}

TEST_F(SpamVerdictTest, MicrosoftBlockedSendersAndImpersonationAreDecisiveSpoofAndBulkAreNot) {
  const auto report = [&](const std::string& fields) {
    return Judge(Mail(
        "X-Forefront-Antispam-Report: CIP:198.51.100.4;CTRY:GB;LANG:en;" + fields + ";DIR:INB;\r\n",
        kResidentHeaders, kResidentBody));
  };
  EXPECT_TRUE(Has(report("SCL:6;SFV:SKS;CAT:NONE").reasons, "SFV:SKS (marked as spam by a mail"));
  EXPECT_TRUE(Has(report("SCL:6;SFV:SKB;CAT:NONE").reasons, "SFV:SKB (the sender or its domain"));
  EXPECT_TRUE(report("SCL:1;SFV:BLK").suspected);
  EXPECT_TRUE(Has(report("SCL:1;SFV:NSPM;CAT:DIMP").reasons,
                  "CAT:DIMP (Microsoft 365: domain "
                  "impersonation)"));
  EXPECT_TRUE(report("SCL:1;SFV:NSPM;CAT:HPHISH").suspected);
  EXPECT_TRUE(report("SCL:1;SFV:NSPM;CAT:MALW").suspected);
  // A resident's provider that Microsoft could not authenticate, and newsletters: noted only.
  const SpamVerdict spoof = report("SCL:1;SFV:NSPM;CAT:SPOOF");
  EXPECT_FALSE(spoof.suspected) << All(spoof);
  EXPECT_TRUE(Has(spoof.evidence, "CAT:SPOOF (Microsoft 365: spoofing")) << All(spoof);
  EXPECT_FALSE(report("SCL:1;SFV:NSPM;CAT:BULK").suspected);
  EXPECT_FALSE(report("SCL:1;SFV:SKN;CAT:NONE").suspected);
  EXPECT_FALSE(report("SCL:1;SFV:NSPM;CAT:NONE").suspected);
}

// Mail between two Microsoft 365 tenants arrives with the sender tenant's stamps renamed
// "-Untrusted"; only the receiving tenant's count.
TEST_F(SpamVerdictTest, TheSenderTenantsUntrustedStampsAreIgnored) {
  const SpamVerdict v = Judge(Mail(
      "X-MS-Exchange-Organization-SCL: 1\r\n"
      "X-Forefront-Antispam-Report: CIP:40.107.1.1;CTRY:GB;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;"
      "H:mail.example;CAT:NONE;DIR:INB;\r\n",
      std::string("X-Forefront-Antispam-Report-Untrusted: CIP:10.0.0.1;SCL:9;SFV:SPM;CAT:PHSH;\r\n"
                  "X-MS-Exchange-Organization-SCL-Untrusted: 9\r\n") +
          kResidentHeaders,
      kResidentBody));
  EXPECT_FALSE(v.suspected) << All(v);
}

// A resident on Yahoo, forwarded by their university's alias: DMARC fails at Google although the
// first hop saw it pass. Evidence, and never decisive.
TEST_F(SpamVerdictTest, AResidentWhoseProviderFailedAuthenticationIsStillAResident) {
  const std::string raw = Mail(
      "Delivered-To: complaints@westway.org.uk\r\n"
      "Received: by 2002:a05:7300:1234:b0:1a2:3b4c:5d6e with SMTP id r36csp123456dyb;\r\n"
      "        Tue, 10 Nov 2026 01:12:46 -0800 (PST)\r\n"
      "ARC-Seal: i=2; a=rsa-sha256; t=1794301966; cv=pass; d=google.com; s=arc-20240605; b=abc\r\n"
      "ARC-Authentication-Results: i=2; mx.google.com;\r\n"
      "       dkim=fail header.i=@yahoo.co.uk header.s=s2048 header.b=Qm9vZg;\r\n"
      "       arc=pass (i=1 spf=pass spfdomain=yahoo.co.uk dkim=pass dkdomain=yahoo.co.uk\r\n"
      "       dmarc=pass fromdomain=yahoo.co.uk);\r\n"
      "       spf=softfail (google.com: domain of transitioning jane_smith@yahoo.co.uk does not\r\n"
      "       designate 198.51.100.3 as permitted sender) smtp.mailfrom=jane_smith@yahoo.co.uk;\r\n"
      "       dmarc=fail (p=REJECT sp=REJECT dis=QUARANTINE) header.from=yahoo.co.uk\r\n"
      "Authentication-Results: mx.google.com;\r\n"
      "       dkim=fail header.i=@yahoo.co.uk header.s=s2048 header.b=Qm9vZg;\r\n"
      "       arc=pass (i=1 spf=pass spfdomain=yahoo.co.uk dkim=pass dkdomain=yahoo.co.uk\r\n"
      "       dmarc=pass fromdomain=yahoo.co.uk);\r\n"
      "       spf=softfail (google.com: domain of transitioning jane_smith@yahoo.co.uk does not\r\n"
      "       designate 198.51.100.3 as permitted sender) smtp.mailfrom=jane_smith@yahoo.co.uk;\r\n"
      "       dmarc=fail (p=REJECT sp=REJECT dis=QUARANTINE) header.from=yahoo.co.uk\r\n"
      "Received-SPF: softfail (google.com: domain of transitioning jane_smith@yahoo.co.uk does not "
      "designate 198.51.100.3 as permitted sender) client-ip=198.51.100.3;\r\n",
      "From: Jane Smith <jane_smith@yahoo.co.uk>\r\nTo: complaints@westway.org.uk\r\n"
      "Subject: Formal complaint - URGENT\r\nContent-Type: text/plain; charset=utf-8\r\n",
      kResidentBody);
  const SpamVerdict v = Judge(raw);
  EXPECT_FALSE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.evidence, "SPF softfail (smtp.mailfrom=jane_smith@yahoo.co.uk)")) << All(v);
  EXPECT_TRUE(Has(v.evidence, "DKIM fail (header.i=@yahoo.co.uk)")) << All(v);
  EXPECT_TRUE(Has(v.evidence, "DMARC fail for yahoo.co.uk (its policy: reject)")) << All(v);
  EXPECT_TRUE(Has(v.evidence, "ARC: an earlier hop saw dmarc=pass")) << All(v);
}

TEST_F(SpamVerdictTest, DmarcFailForOurOwnDomainIsDecisive) {
  // Google Workspace's view of a forged "Westway Finance" message.
  SpamVerdict v = Judge(
      Mail("Authentication-Results: mx.google.com;\r\n"
           "       spf=fail (google.com: domain of finance@westway.org.uk does not designate\r\n"
           "       203.0.113.9 as permitted sender) smtp.mailfrom=finance@westway.org.uk;\r\n"
           "       dmarc=fail (p=QUARANTINE sp=QUARANTINE dis=QUARANTINE) "
           "header.from=westway.org.uk\r\n",
           "From: Westway Finance <finance@westway.org.uk>\r\nTo: complaints@westway.org.uk\r\n"
           "Subject: Invoice 4471 overdue\r\nContent-Type: text/plain\r\n",
           "Please pay the attached invoice today.\r\n"));
  EXPECT_TRUE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.reasons,
                  "DMARC fail for our own domain westway.org.uk: someone else is "
                  "sending as the landlord"))
      << All(v);
  // Microsoft 365's form, for a subdomain, and without header.from (the From address decides).
  v =
      Judge(Mail("Authentication-Results: spf=none (sender IP is 203.0.113.9)\r\n"
                 " smtp.mailfrom=evil.example; dkim=none (message not signed) header.d=none;\r\n"
                 " dmarc=fail action=oreject;compauth=fail reason=000\r\n",
                 "From: Repairs <repairs@mail.westway.org.uk>\r\nSubject: Job\r\n"
                 "Content-Type: text/plain\r\n",
                 "Hello\r\n"));
  EXPECT_TRUE(Has(v.reasons, "DMARC fail for our own domain mail.westway.org.uk")) << All(v);
}

TEST_F(SpamVerdictTest, GoogleSpamFlagsAreNotedOnly) {
  const SpamVerdict v = Judge(Mail(
      "", std::string(kResidentHeaders) + "X-Gm-Spam: 1\r\nX-Gm-Phishy: 1\r\n", kResidentBody));
  EXPECT_FALSE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.evidence, "X-Gm-Spam: 1 (Google")) << All(v);
  EXPECT_TRUE(Has(v.evidence, "X-Gm-Phishy: 1 (Google")) << All(v);
}

// ---- Which headers count ------------------------------------------------------------------------

// A spammer's own "No" verdicts below the mail system's "Yes" change nothing.
TEST_F(SpamVerdictTest, OnlyTheTopmostCopyOfAVerdictHeaderCounts) {
  SpamVerdict v =
      Judge(Mail("X-Spam-Status: Yes, score=9.1 required=5.0 tests=BAYES_99\r\n"
                 "X-MS-Exchange-Organization-SCL: 9\r\n",
                 "X-Spam-Status: No, score=-5.0\r\nX-Spam-Flag: NO\r\n"
                 "X-MS-Exchange-Organization-SCL: -1\r\nFrom: a@spam.example\r\n"
                 "Subject: hi\r\nContent-Type: text/plain\r\n",
                 "Hi\r\n"));
  EXPECT_TRUE(Has(v.reasons, "X-Spam-Status: Yes, score=9.1")) << All(v);
  EXPECT_TRUE(Has(v.reasons, "X-MS-Exchange-Organization-SCL: 9")) << All(v);
  // Authentication-Results: the topmost (our server's) decides; one a sender wrote below is not
  // read, whichever way it points.
  const std::string forged_below =
      "Authentication-Results: mx1.westway.org.uk; dmarc=fail (p=reject) "
      "header.from=westway.org.uk\r\n";
  const std::string ours_pass =
      "Authentication-Results: mx1.westway.org.uk; spf=pass smtp.mailfrom=gmail.com;\r\n"
      " dkim=pass header.d=gmail.com; dmarc=pass (p=NONE) header.from=gmail.com\r\n";
  v = Judge(Mail(ours_pass, forged_below + kResidentHeaders, kResidentBody));
  EXPECT_FALSE(v.suspected) << All(v);
  EXPECT_TRUE(v.evidence.empty()) << All(v);
  v = Judge(
      Mail("Authentication-Results: mx1.westway.org.uk; dmarc=fail (p=reject) "
           "header.from=westway.org.uk\r\n",
           "Authentication-Results: mx1.westway.org.uk; dmarc=pass header.from=westway.org.uk\r\n"
           "From: Director <director@westway.org.uk>\r\nSubject: Payment\r\nContent-Type: "
           "text/plain\r\n",
           "Pay this.\r\n"));
  EXPECT_TRUE(v.suspected) << All(v);
}

TEST_F(SpamVerdictTest, VerdictHeadersOutsideTheHeaderSectionAreNotRead) {
  // In the body, in a message attached to the body, and folded into another header's value.
  const std::string body_lines =
      "X-Spam-Flag: YES\r\nX-MS-Exchange-Organization-SCL: 9\r\n\r\n" + std::string(kResidentBody);
  EXPECT_FALSE(Judge(Mail("", kResidentHeaders, body_lines)).suspected);

  const std::string attached =
      "From: Jane Smith <jane.smith@gmail.com>\r\nTo: complaints@westway.org.uk\r\n"
      "Subject: Fwd: the spam I got\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
      "--b1\r\nContent-Type: text/plain\r\n\r\nIs this you? It came to my inbox.\r\n"
      "--b1\r\nContent-Type: message/rfc822\r\n\r\n"
      "X-Spam-Flag: YES\r\nX-Spam-Status: Yes, score=12.0 required=5.0\r\n"
      "From: scam@evil.example\r\nSubject: You won\r\n\r\nClaim now\r\n--b1--\r\n";
  EXPECT_FALSE(Judge(attached).suspected);

  const std::string folded_in =
      "From: Jane Smith <jane.smith@gmail.com>\r\n"
      "Subject: Complaint about repairs\r\n X-Spam-Flag: YES\r\n"
      "\tX-MS-Exchange-Organization-SCL: 9\r\nContent-Type: text/plain\r\n\r\n" +
      std::string(kResidentBody);
  EXPECT_FALSE(Judge(folded_in).suspected);
}

TEST_F(SpamVerdictTest, HeaderNamesAreCaseBlindAndTheMboxLineIsSkipped) {
  EXPECT_TRUE(Judge(Mail("x-spam-flag: yes\r\n", kResidentHeaders, kResidentBody)).suspected);
  EXPECT_TRUE(
      Judge(Mail("X-SPAM-STATUS: YES, score=6.0\r\n", kResidentHeaders, kResidentBody)).suspected);
  // RFC 5322's obsolete syntax: white space before the colon.
  EXPECT_TRUE(Judge(Mail("X-Spam-Flag : YES\r\n", kResidentHeaders, kResidentBody)).suspected);
  // Bare LF line ends and an mbox "From " line, as in the SpamAssassin corpus.
  const std::string mbox =
      "From spam@evil.example  Thu Aug 22 13:17:22 2002\nX-Spam-Flag: YES\n"
      "From: spam@evil.example\nSubject: hi\n\nbody\n";
  EXPECT_TRUE(Judge(mbox).suspected);
  // "YESTERDAY" is not YES; "X-Spam-Flagged" is not X-Spam-Flag.
  EXPECT_FALSE(Judge(Mail("X-Spam-Flag: YESTERDAY\r\nX-Spam-Flagged: YES\r\n", kResidentHeaders,
                          kResidentBody))
                   .suspected);
}

TEST_F(SpamVerdictTest, ReasonsAreSingleSafeLines) {
  const SpamVerdict v =
      Judge(Mail("X-Spam-Checker-Version: SpamAssassin \x1B[31mred\x1B[0m \xFF\xFE on host\r\n"
                 "X-Spam-Flag: YES\r\n",
                 kResidentHeaders, kResidentBody));
  ASSERT_TRUE(v.suspected);
  for (const std::string& r : v.reasons) {
    EXPECT_EQ(r.find('\x1B'), std::string::npos) << r;
    EXPECT_EQ(r.find('\n'), std::string::npos) << r;
    EXPECT_EQ(r.find('\xFF'), std::string::npos) << r;
  }
}

// Raw input straight from a stranger, unparsed: nothing here may crash, hang or read out of
// bounds (the sanitizer build runs this too).
TEST_F(SpamVerdictTest, HostileInputIsJudgedWithoutHarm) {
  std::vector<std::string> raws = {
      "",
      "\r\n\r\n",
      "From ",
      "X-Spam-Flag:",
      ": YES\r\n\r\n",
      "\tX-Spam-Flag: YES\r\n\r\n",
      "Authentication-Results: ;;;;(((((\"\\",
      "Authentication-Results: x; dmarc=fail (" + std::string(100000, '(') + "\r\n\r\n",
      "X-Forefront-Antispam-Report: " + std::string(50000, ';') + "CAT:,,,;SCL:99999999999999\r\n",
      "Subject: " + std::string(1 << 20, 'a') + "\r\n",  // a header bomb with no body
      "Content-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n",
      "Content-Type: multipart/mixed\r\n\r\nContent-Type: text/html; base64\r\n\r\n====\r\n"
      "text/html",
  };
  for (const std::string& raw : raws) {
    SpamInput in;
    in.raw = raw;
    in.from_address = "@";
    in.reply_to = "x@" + std::string(300, '.');
    in.subject = "verify your account";
    in.text = "click here to verify your account https://" + std::string(5000, 'a') + " ((((";
    const SpamVerdict v = JudgeSpam(in, settings_);
    for (const std::string& line : v.reasons) EXPECT_LE(line.size(), 400u);
    for (const std::string& line : v.evidence) EXPECT_LE(line.size(), 400u);
  }
  EXPECT_FALSE(ImitatedDomain(std::string(5000, 'w') + ".com", settings_).has_value());
  EXPECT_FALSE(ImitatedDomain("xn--.xn--zzzzzzzz-.org.uk", settings_).has_value());
}

// ---- 3. Lookalikes ------------------------------------------------------------------------------

TEST_F(SpamVerdictTest, LookalikeDomainsTable) {
  settings_.own_domains = {"westway.org.uk", "oldoak.org.uk", "marsh.org.uk", "nhg.org.uk"};
  settings_.lookalike_exceptions = {"westway.org"};  // the Westway Trust, a real charity
  const std::vector<std::pair<std::string, std::string>> imitations = {
      {"westvvay.org.uk", "looks the same"},
      {"vvestway.com", "looks the same"},
      {"xn--wstway-3of.org.uk", "looks the same"},  // a Cyrillic е, as punycode
      {"w\xD0\xB5stway.org.uk", "looks the same"},  // the same in UTF-8
      {"0ldoak.org.uk", "looks the same"},          // zero for o
      {"o1doak.com", "looks the same"},             // one for l
      {"rnarsh.org.uk", "looks the same"},          // rn for m
      {"westway.co.uk", "the same name"},
      {"westway.org.uk.secure-login.net", "the same name"},
      {"wesstway.org.uk", "one letter off"},
      {"wetsway.org.uk", "one letter off"},  // two letters swapped
      {"westwey.com", "one letter off"},
      {"westway-housing-support.com", "its name with other words"},
      {"mywestway.net", "its name with other words"},
      {"westvvay-helpdesk.com", "its name with other words"},
      {"nhg.com", "the same name"},
  };
  for (const auto& [domain, how] : imitations) {
    const std::optional<Imitation> i = ImitatedDomain(domain, settings_);
    ASSERT_TRUE(i.has_value()) << domain;
    EXPECT_EQ(i->how, how) << domain;
  }
  EXPECT_EQ(ImitatedDomain("westvvay.org.uk", settings_)->own_domain, "westway.org.uk");
  for (const char* fine :
       {"westway.org.uk", "mail.westway.org.uk", "WESTWAY.ORG.UK", "westway.org", "www.westway.org",
        "gmail.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk", "eastway.co.uk",
        "gateway.com", "west.com", "midway.org.uk", "nhs.uk", "nhgroup.com", "oldham.gov.uk", "",
        "localhost"}) {
    EXPECT_FALSE(ImitatedDomain(fine, settings_).has_value()) << fine;
  }
}

TEST_F(SpamVerdictTest, ALookalikeFromOrReplyToIsDecisive) {
  SpamVerdict v = Judge(Mail("",
                             "From: \"Westway Housing\" <rent@westvvay.org.uk>\r\n"
                             "To: complaints@westway.org.uk\r\nSubject: Rent statement\r\n"
                             "Content-Type: text/plain\r\n",
                             "Please see your statement.\r\n"));
  EXPECT_TRUE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.reasons,
                  "From domain westvvay.org.uk imitates westway.org.uk (looks the "
                  "same)"))
      << All(v);
  v = Judge(Mail("",
                 std::string(kResidentHeaders) + "Reply-To: <payments@westway-payments.com>\r\n",
                 kResidentBody));
  EXPECT_TRUE(Has(v.reasons, "Reply-To domain westway-payments.com imitates westway.org.uk"))
      << All(v);
  v = Judge(
      Mail("", "From: IT <it@xn--wstway-3of.org.uk>\r\nSubject: x\r\nContent-Type: text/plain\r\n",
           "x\r\n"));
  EXPECT_TRUE(Has(v.reasons, "From domain xn--wstway-3of.org.uk (w\xD0\xB5stway.org.uk) imitates"))
      << All(v);
}

// ---- 4. Credential lures ------------------------------------------------------------------------

// The phishing notice that opened a case in the landlord's inbox, as an HTML-only message.
const char* kMailboxFullPhish =
    "From: \"Westway IT Service Desk\" <it.servicedesk@outlook-mailcentre.com>\r\n"
    "To: complaints@westway.org.uk\r\n"
    "Subject: Your mailbox is full - action required\r\n"
    "Date: Tue, 10 Nov 2026 07:02:11 +0000\r\n"
    "Message-ID: <a81f2c@outlook-mailcentre.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/html; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    "<html><body><p>Dear complaints,</p><p>Your mailbox is 99% full (49.6 GB of 50 GB). Incoming "
    "=\r\n"
    "messages are on hold.</p><p><a "
    "href=3D\"https://mailbox-quota.example/owa/login?u=3Dcompla=\r\n"
    "ints\">Click here to increase your storage</a> and keep receiving mail.</p>=\r\n"
    "<p>Westway Housing Association<br>IT Service Desk</p></body></html>\r\n";

TEST_F(SpamVerdictTest, TheMailboxIsFullPhishIsALure) {
  const SpamVerdict v = Judge(kMailboxFullPhish);
  EXPECT_TRUE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.reasons,
                  "Credential lure in the landlord's name from outside our domains: "
                  "\"click here to increase\" with a link to mailbox-quota.example"))
      << All(v);
}

// The "formal tenant complaint" lure, its HTML sent as base64 so that only decoding shows the link.
TEST_F(SpamVerdictTest, TheFormalTenantComplaintDocumentLureIsALure) {
  const std::string html =
      "<html><body><h2>Formal Tenant Complaint FTC-20931</h2><p>A formal tenant complaint has "
      "been lodged against your team and must be answered within 5 working days.</p><p>To view "
      "the secure document, sign in with your Westway email account.</p><p><a href=\""
      "https://docs-share-portal.example/v/FTC-20931\">Review Document</a></p><p>Westway "
      "Housing Association Complaints Team</p></body></html>";
  // base64 of `html`, in 76-character lines.
  static const char kTable[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (size_t i = 0; i < html.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(html[i]) << 16) |
                       (i + 1 < html.size() ? static_cast<unsigned char>(html[i + 1]) << 8 : 0) |
                       (i + 2 < html.size() ? static_cast<unsigned char>(html[i + 2]) : 0);
    b64 += kTable[(n >> 18) & 63];
    b64 += kTable[(n >> 12) & 63];
    b64 += i + 1 < html.size() ? kTable[(n >> 6) & 63] : '=';
    b64 += i + 2 < html.size() ? kTable[n & 63] : '=';
  }
  std::string lines;
  for (size_t i = 0; i < b64.size(); i += 76) lines += b64.substr(i, 76) + "\r\n";
  const std::string raw =
      "From: \"Westway Housing Association\" <notices@docs-share-portal.example>\r\n"
      "To: complaints@westway.org.uk\r\nSubject: Formal Tenant Complaint - Ref FTC-20931\r\n"
      "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
      "--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: "
      "base64\r\n\r\n" +
      lines + "--alt--\r\n";
  const SpamVerdict v = Judge(raw);
  EXPECT_TRUE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.reasons,
                  "\"sign in with your westway email account\" with a link to "
                  "docs-share-portal.example"))
      << All(v);
}

TEST_F(SpamVerdictTest, ALinkTheTextDoesNotShowStillCountsWhenItSaysClickHere) {
  const SpamVerdict v = Judge(
      "From: Helpdesk <helpdesk@mail-support.example>\r\nSubject: Password expiry\r\n"
      "Content-Type: text/plain\r\n\r\nYour password expires today. Click here to keep your "
      "current password.\r\nIT Helpdesk\r\n");
  EXPECT_TRUE(Has(v.reasons, "with a link the text does not show")) << All(v);
}

TEST_F(SpamVerdictTest, AResidentWhoCannotLogInIsNotALure) {
  const char* texts[] = {
      "Hello Westway Housing, I can't log in to the tenant portal at "
      "https://portal.westway.org.uk. I tried to reset my password but the link in your email "
      "expired. My rent account shows arrears I have paid. This is a formal complaint and it is "
      "urgent: I have lost \xC2\xA3"
      "120.",
      "I tried to email repairs but your mailbox is full and my email bounced. Please click the "
      "link to see the photos of the mould: https://photos.app.goo.gl/Xk2pQ7 Westway Housing "
      "Association never answers.",
      "Your website says my password expires and I should log in to view my rent statement, but "
      "it will not let me sign in. The IT helpdesk number does not work. See "
      "https://imgur.com/a/x1y2z3 for the error.",
      "Please view the shared document with my photos: https://drive.google.com/file/d/1AbC/view "
      "Westway have ignored me for months.",
  };
  for (const char* text : texts) {
    const SpamVerdict v = Judge(
        Mail("",
             "From: Jane Smith <jane.smith@gmail.com>\r\nTo: complaints@westway.org.uk\r\n"
             "Subject: Cannot log in - complaint\r\nContent-Type: text/plain; charset=utf-8\r\n",
             std::string(text) + "\r\n\r\nJane Smith\r\n"));
    EXPECT_FALSE(v.suspected) << text << "\n" << All(v);
    EXPECT_FALSE(Has(v.evidence, "Credential")) << text << "\n" << All(v);
  }
}

// A resident forwarding the phish they received to ask whether it is real.
TEST_F(SpamVerdictTest, AResidentForwardingAScamToAskAboutItIsNotSendingOne) {
  const SpamVerdict v = Judge(
      "From: Jane Smith <jane.smith@gmail.com>\r\nTo: complaints@westway.org.uk\r\n"
      "Subject: Fwd: Verify your Westway account\r\nContent-Type: text/plain\r\n\r\n"
      "Is this email really from you? It looks like a scam to me.\r\n\r\n"
      "---------- Forwarded message ---------\r\n"
      "From: Westway Housing <secure@westway-tenants.example>\r\n"
      "Subject: Verify your Westway account\r\n\r\n"
      "Dear tenant, verify your account within 24 hours: "
      "https://westway-tenants.example/login\r\n");
  EXPECT_FALSE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.evidence, "only in quoted or forwarded text")) << All(v);
}

TEST_F(SpamVerdictTest, LureWordingIsNotDecisiveWithoutEveryPart) {
  // Our own IT desk, linking to our own sign-in page.
  SpamVerdict v = Judge(
      "From: IT Service Desk <it.servicedesk@westway.org.uk>\r\nSubject: Password expiry\r\n"
      "Content-Type: text/plain\r\n\r\nYour password expires in 3 days. Click here to keep your "
      "current password: https://sso.westway.org.uk/change\r\n");
  EXPECT_FALSE(v.suspected) << All(v);
  // From outside, but the only link leads to our own portal.
  v = Judge(
      "From: Tenant Helper <helper@gmail.com>\r\nSubject: Portal\r\nContent-Type: "
      "text/plain\r\n\r\n"
      "Westway say: click here to verify your account at https://portal.westway.org.uk/verify\r\n");
  EXPECT_FALSE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.evidence, "without a link outside our domains")) << All(v);
  // A lure that speaks for nobody we know (spamd's business, not ours).
  v = Judge(
      "From: Billing <billing@shop.example>\r\nSubject: Account\r\n"
      "Content-Type: text/plain\r\n\r\nVerify your account now: https://shop.example/v\r\n");
  EXPECT_FALSE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.evidence, "without the landlord's or its IT desk's name")) << All(v);
}

TEST_F(SpamVerdictTest, ALinkDisguisedWithUserInfoLeadsOutside) {
  const SpamVerdict v = Judge(
      "From: Westway IT <it@protonmail.example>\r\nSubject: Mailbox\r\n"
      "Content-Type: text/plain\r\n\r\nPlease validate your mailbox: "
      "https://westway.org.uk@login-check.example/owa\r\n");
  EXPECT_TRUE(Has(v.reasons, "with a link to login-check.example")) << All(v);
}

// ---- Residents' words never count ---------------------------------------------------------------

TEST_F(SpamVerdictTest, GenuineComplaintsAreNeverSpamOnTheirWords) {
  const char* texts[] = {
      "URGENT!!! FORMAL COMPLAINT. I want \xC2\xA3"
      "500 compensation NOW. Stage 2.",
      "This is my third complaint. Click here? There is nothing to click, nobody answers the "
      "phone. Free up a surveyor or I go to the Ombudsman: https://www.housing-ombudsman.org.uk",
      "Dear Sir/Madam, I wish to escalate my complaint WW-2026-00412 to stage two. Winner of "
      "worst landlord 2026. Act now before someone gets hurt.",
      "My account number is 123456. Please confirm my rent account balance and reply urgently.",
  };
  for (const char* text : texts) {
    const SpamVerdict v = Judge(Mail("", kResidentHeaders, std::string(text) + "\r\n"));
    EXPECT_FALSE(v.suspected) << text << "\n" << All(v);
    EXPECT_TRUE(v.evidence.empty()) << text << "\n" << All(v);
  }
}

TEST_F(SpamVerdictTest, ADisplayNameSpeakingForTheLandlordIsEvidenceOnly) {
  // A web form's relay names the landlord too.
  const SpamVerdict v = Judge(
      "From: \"Westway Housing website\" <noreply@forms-relay.example>\r\n"
      "Reply-To: Jane Smith <jane.smith@gmail.com>\r\nSubject: Contact form\r\n"
      "Content-Type: text/plain\r\n\r\nName: Jane Smith\r\nMessage: The lift has been broken "
      "for three weeks and I want to complain.\r\n");
  EXPECT_FALSE(v.suspected) << All(v);
  EXPECT_TRUE(Has(v.evidence, "From name \"Westway Housing website\" speaks for the landlord"))
      << All(v);
}

}  // namespace
}  // namespace complaints
