#include "daemon/intake/spam_check.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "parsers/ascii_case.h"
#include "parsers/mail_parser.h"

namespace complaints {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// What spamc printed for the GTUBE test message, as captured from SpamAssassin 4.0.1 -R.
const char* kGtubeReport =
    "1000.0/5.0\n"
    "Spam detection software, running on the system \"vm\",\n"
    "has identified this incoming email as possible spam.\n"
    "Content preview:  XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n"
    "Content analysis details:   (1000.0 points, 5.0 required)\n"
    " pts rule name              description\n"
    "---- ---------------------- --------------------------------------------------\n"
    "-0.0 NO_RECEIVED            Informational: message has no Received headers\n"
    "1000 GTUBE                  BODY: Generic Test for Unsolicited Bulk Email\n"
    " 0.5 MISSING_DATE           Missing Date: header\n"
    " 0.0 MSGID_SHORT            Message-ID is unusually short\n"
    " 0.0 FREEMAIL_FROM          Sender email is commonly abused enduser mail provider\n"
    "                            [jane.smith(at)gmail.com]\n";

const char* kHamReport =
    "1.0/5.0\n"
    "Spam detection software, running on the system \"vm\",\n"
    "has NOT identified this incoming email as spam.\n"
    "Content analysis details:   (1.0 points, 5.0 required)\n"
    " pts rule name              description\n"
    "---- ---------------------- --------------------------------------------------\n"
    " 1.0 FORGED_GMAIL_RCVD      'From' gmail.com does not match 'Received' headers\n";

const std::string kResident =
    "From: Jane Smith <jane.smith@gmail.com>\r\nTo: complaints@westway.org.uk\r\n"
    "Subject: Mould in my flat\r\nDate: Tue, 10 Nov 2026 09:12:44 +0000\r\n"
    "Message-ID: <CAJ7x3q1mould@mail.gmail.com>\r\nContent-Type: text/plain\r\n\r\n"
    "I reported the mould three times and nobody came. I want to complain.\r\n";

class SpamCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "spam_check_test_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    fs::create_directories(dir_ / "tmp");
    const char* old = getenv("TMPDIR");
    old_tmpdir_ = old ? std::optional<std::string>(old) : std::nullopt;
    setenv("TMPDIR", (dir_ / "tmp").c_str(), 1);
    settings_.own_domains = {"westway.org.uk"};
    settings_.landlord_name = "Westway Housing Association";
    spamd_.port = 7830;
    spamd_.timeout = std::chrono::seconds{3};
    spamd_.max_bytes = 1000000;
  }
  void TearDown() override {
    old_tmpdir_ ? setenv("TMPDIR", old_tmpdir_->c_str(), 1) : unsetenv("TMPDIR");
    fs::remove_all(dir_);
  }

  // A stand-in for spamc: records its arguments and standard input, then runs `then`.
  std::string FakeSpamc(const std::string& then) {
    const fs::path path = dir_ / "spamc";
    std::ofstream(path) << "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" << (dir_ / "args").string()
                        << "'\ncat > '" << (dir_ / "input").string() << "'\n"
                        << then << "\n";
    fs::permissions(path, fs::perms::owner_all);
    return path.string();
  }
  std::string Report(const char* report, int exit_code = 0) {
    const fs::path file = dir_ / ("report" + std::to_string(reports_++));
    std::ofstream(file) << report;
    return FakeSpamc("cat '" + file.string() + "'\nexit " + std::to_string(exit_code));
  }

  SpamVerdict Check(const std::string& raw, bool with_spamd = true) {
    const SpamChecker checker(settings_, with_spamd ? std::optional(spamd_) : std::nullopt);
    SpamInput in;
    in.raw = raw;
    in.from_address = "jane.smith@gmail.com";
    in.from_name = "Jane Smith";
    in.subject = "Mould in my flat";
    in.text = "I reported the mould three times and nobody came. I want to complain.\n";
    return checker.Check(in);
  }
  bool AskedSpamd() const { return fs::exists(dir_ / "args"); }

  fs::path dir_;
  std::optional<std::string> old_tmpdir_;
  SpamSettings settings_;
  SpamdSettings spamd_;
  int reports_ = 0;
};

TEST_F(SpamCheckTest, SpamdSayingSpamIsDecisiveWithItsScoreAndRules) {
  spamd_.spamc = Report(kGtubeReport);
  const SpamVerdict v = Check(kResident);
  EXPECT_TRUE(v.suspected);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0], "spamd: 1000.0 points (5.0 required): GTUBE, MISSING_DATE");
}

TEST_F(SpamCheckTest, SpamdBelowItsThresholdIsEvidenceOnly) {
  spamd_.spamc = Report(kHamReport);
  const SpamVerdict v = Check(kResident);
  EXPECT_FALSE(v.suspected);
  EXPECT_TRUE(v.reasons.empty());
  ASSERT_EQ(v.evidence.size(), 1u);
  EXPECT_EQ(v.evidence[0], "spamd: 1.0 points (5.0 required)");
}

TEST_F(SpamCheckTest, SpamcGetsTheWholeMessageHostPortLimitsAndNoSafeFallback) {
  spamd_.spamc = Report(kHamReport);
  spamd_.host = "10.1.2.3";
  Check(kResident);
  EXPECT_EQ(ReadAll(dir_ / "input"), kResident);
  EXPECT_EQ(ReadAll(dir_ / "args"),
            "-x\n-R\n-d\n10.1.2.3\n-p\n7830\n-t\n3\n-n\n3\n--connect-retries=1\n-s\n1000000\n");
  // The message's temporary file is gone.
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

TEST_F(SpamCheckTest, UnreachableSpamdIsNotSpamAndSaysSo) {
  spamd_.spamc = Report("0/0\n", 69);
  const SpamVerdict v = Check(kResident);
  EXPECT_FALSE(v.suspected);
  ASSERT_EQ(v.evidence.size(), 1u);
  EXPECT_EQ(v.evidence[0],
            "spamd unavailable: spamc: exit 69 (cannot reach spamd at 127.0.0.1:7830)");
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

TEST_F(SpamCheckTest, AMissingSpamcIsNotSpam) {
  spamd_.spamc = (dir_ / "no-such-spamc").string();
  const SpamVerdict v = Check(kResident);
  EXPECT_FALSE(v.suspected);
  ASSERT_EQ(v.evidence.size(), 1u);
  EXPECT_EQ(v.evidence[0].rfind("spamd unavailable: spamc: exit 127 (", 0), 0u) << v.evidence[0];
  EXPECT_NE(v.evidence[0].find("cannot be run"), std::string::npos) << v.evidence[0];
}

TEST_F(SpamCheckTest, AHangingSpamcIsKilledAndIsNotSpam) {
  spamd_.spamc = FakeSpamc("exec sleep 30");
  spamd_.timeout = std::chrono::seconds{1};
  const auto start = std::chrono::steady_clock::now();
  const SpamVerdict v = Check(kResident);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{10});
  EXPECT_FALSE(v.suspected);
  ASSERT_EQ(v.evidence.size(), 1u);
  EXPECT_EQ(v.evidence[0], "spamd unavailable: spamc: no answer within 3 s");
}

TEST_F(SpamCheckTest, OutputThatIsNotAVerdictIsNotSpam) {
  for (const char* out : {"", "hello\n", "7.9\n", "x/5.0\n", "1000.0/0.0\n"}) {
    spamd_.spamc = Report(out);
    const SpamVerdict v = Check(kResident);
    EXPECT_FALSE(v.suspected) << out;
    ASSERT_EQ(v.evidence.size(), 1u) << out;
    EXPECT_EQ(v.evidence[0], "spamd unavailable: spamc: exit 0") << out;
  }
}

TEST_F(SpamCheckTest, MessagesOverTheSizeLimitAreNotCheckedAndSaySo) {
  spamd_.spamc = Report(kGtubeReport);
  spamd_.max_bytes = 1024;
  const SpamVerdict v = Check(kResident + std::string(5000, 'x'));
  EXPECT_FALSE(v.suspected);
  EXPECT_FALSE(AskedSpamd());
  ASSERT_EQ(v.evidence.size(), 1u);
  EXPECT_EQ(v.evidence[0], "not checked by spamd: 6 KB is over its 1 KB limit");
}

TEST_F(SpamCheckTest, HeadersAndOurRulesDecideWithoutAskingSpamd) {
  spamd_.spamc = Report(kHamReport);
  const SpamVerdict v = Check("X-Spam-Flag: YES\r\n" + kResident);
  EXPECT_TRUE(v.suspected);
  EXPECT_EQ(v.reasons.size(), 1u);
  EXPECT_FALSE(AskedSpamd());
}

TEST_F(SpamCheckTest, WithoutSpamdOnlyHeadersAndRulesCount) {
  spamd_.spamc = Report(kGtubeReport);
  const SpamVerdict v = Check(kResident, false);
  EXPECT_FALSE(v.suspected);
  EXPECT_TRUE(v.evidence.empty());
  EXPECT_FALSE(AskedSpamd());
}

// ---- The shared corpora -------------------------------------------------------------------------

// The demo's own settings: its staff domains and the landlord its policy names.
SpamSettings DemoSettings() {
  SpamSettings s;
  const fs::path config = fs::path(COMPLAINTSD_SOURCE_DIR) / "config/demo/complaintsd.properties";
  std::istringstream lines(ReadAll(config));
  std::string policy_file;
  for (std::string line; std::getline(lines, line);) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos || line[0] == '#') continue;
    const auto trim = [](std::string t) {
      t.erase(0, t.find_first_not_of(" \t"));
      t.erase(t.find_last_not_of(" \t\r") + 1);
      return t;
    };
    const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    if (key == "mail.staff-domains") {
      std::istringstream domains(value);
      for (std::string d; std::getline(domains, d, ',');)
        s.own_domains.push_back(LowerAscii(trim(d)));
    }
    if (key == "policy.file") policy_file = value;
  }
  const nlohmann::json policy = nlohmann::json::parse(ReadAll(config.parent_path() / policy_file));
  s.landlord_name = policy.at("landlord").get<std::string>();
  return s;
}

// Every message of ../shared/corpora/mime is somebody's real mail (or a parser's test message);
// none may be taken for spam by the headers and our own rules.
TEST(SpamCorpusTest, NoMessageOfTheSharedMimeCorporaIsJudgedSpam) {
  const fs::path root = fs::path(COMPLAINTSD_SHARED_DIR) / "corpora/mime";
  if (!fs::is_directory(root)) GTEST_SKIP() << root << " is absent: not measured";
  const SpamSettings settings = DemoSettings();
  ASSERT_EQ(settings.own_domains, std::vector<std::string>{"westway.example"});
  ASSERT_EQ(settings.landlord_name, "Westway Housing Association");
  int judged = 0, spamassassin_ham = 0;
  std::vector<std::string> spam;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string raw = ReadAll(entry.path());
    const Result<ParsedMail> m = ParseMail(raw);
    if (!m.ok()) continue;  // quarantined by the daemon, never judged
    SpamInput in;
    in.raw = raw;
    in.from_address = LowerAscii(m->from.address);
    in.from_name = m->from.name;
    in.reply_to = m->reply_to ? LowerAscii(m->reply_to->address) : "";
    in.subject = m->subject;
    in.text = m->text;
    const SpamVerdict v = JudgeSpam(in, settings);
    ++judged;
    spamassassin_ham += entry.path().string().find("/spamassassin/") != std::string::npos;
    if (v.suspected) spam.push_back(entry.path().string() + ": " + v.reasons.front());
  }
  EXPECT_GT(judged, 3000);
  EXPECT_EQ(spamassassin_ham, 2750);
  std::string list;
  for (const std::string& s : spam) list += s + "\n";
  EXPECT_TRUE(spam.empty()) << spam.size() << " of " << judged << " judged spam:\n" << list;
}

}  // namespace
}  // namespace complaints
