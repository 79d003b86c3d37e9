#include "daemon/ctl/commands.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "daemon/cases/sqlite_case_store.h"
#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

// The message with quoted-printable soft line breaks and escapes undone, for searching.
std::string Decoded(const std::string& raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '=' && i + 2 < raw.size() && raw[i + 1] == '\r' && raw[i + 2] == '\n') {
      i += 2;
    } else if (raw[i] == '=' && i + 2 < raw.size() && std::isxdigit(raw[i + 1]) &&
               std::isxdigit(raw[i + 2])) {
      out += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += raw[i];
    }
  }
  return out;
}

using testing::CtlRun;

class CtlCasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ctl_cases_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CtlRun Ctl(std::vector<std::string> args, const std::string& policy = "westway") {
    args.insert(args.begin(),
                {"--db", (dir_ / "c.db").string(), "--policy",
                 std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/" + policy + ".json",
                 "--as", "tester"});
    std::ostringstream out, err;
    const int code = RunCtl(args, out, err);
    return {code, out.str(), err.str()};
  }

  std::filesystem::path dir_;
};

TEST_F(CtlCasesTest, OpenPrintsTheReferenceAndListJsonHasTheContract) {
  const CtlRun opened = Ctl({"cases", "open", "--type", "complaint", "--channel", "phone", "--name",
                             "Jo Bloggs", "--email", "jo@example.org", "--summary",
                             "Missed appointment", "--received", "2026-06-10T09:30:00+01:00"});
  ASSERT_EQ(opened.code, 0) << opened.err;
  EXPECT_TRUE(std::regex_match(opened.out, std::regex("WW-2026-00001\n")));
  const CtlRun list = Ctl({"cases", "list", "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  const nlohmann::json c = nlohmann::json::parse(list.out);
  EXPECT_EQ(c["reference"], "WW-2026-00001");
  EXPECT_EQ(c["type"], "complaint");
  EXPECT_EQ(c["stage"], 1);
  EXPECT_EQ(c["status"], "open");
  EXPECT_EQ(c["received_at"], "2026-06-10T09:30:00+01:00");
  EXPECT_TRUE(c["handler"].is_null());
  ASSERT_EQ(c["deadlines"].size(), 2u);
  EXPECT_EQ(c["deadlines"][0]["kind"], "acknowledge");
  EXPECT_EQ(c["deadlines"][0]["due_at"], "2026-06-12T17:00:00+01:00");
  EXPECT_TRUE(c["deadlines"][0]["met_at"].is_null());
}

// A scanned letter kept on a case: listed by show, saved byte for byte, its text printed.
TEST_F(CtlCasesTest, DocumentsAreListedSavedAndTheirTextShown) {
  ASSERT_EQ(
      Ctl({"cases", "open", "--type=complaint", "--channel=letter", "--name=Samuel Okafor"}).code,
      0);
  const char kScan[] = "%PDF-1.5\0\x01\xff scan";
  const std::string scan(kScan, sizeof kScan - 1);
  {
    auto store = std::move(SqliteCaseStore::Open((dir_ / "c.db").string())).value();
    ASSERT_TRUE(store
                    ->InTransaction([&](StoreTransaction& txn) -> Status {
                      IncomingMessage m;
                      m.raw = "Subject: scan\r\n\r\n";
                      m.sha256 = "cafe";
                      Result<StoredMessage> stored = txn.StoreIncoming(m);
                      if (!stored) return stored.status();
                      CaseDocument d;
                      d.case_id = txn.LoadCase("WW-2026-00001")->id;
                      d.message_id = stored->id;
                      d.filename = "okafor-letter.pdf";
                      d.content_type = "application/pdf";
                      d.bytes = scan;
                      d.text = "Dear Sir or Madam,\nThe boiler.";
                      d.method = "ocr";
                      d.pages = 1;
                      return txn.AddDocument(d);
                    })
                    .ok());
  }
  const CtlRun show = Ctl({"cases", "show", "WW-2026-00001"});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("document 1: okafor-letter.pdf (application/pdf, 16 bytes, 1 page(s) "
                          "read by ocr)"),
            std::string::npos)
      << show.out;
  const std::string saved = (dir_ / "saved.pdf").string();
  ASSERT_EQ(Ctl({"cases", "document", "WW-2026-00001", "1", "--out", saved}).code, 0);
  std::ifstream in(saved, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), scan);
  const CtlRun text = Ctl({"cases", "document", "WW-2026-00001", "1", "--text"});
  EXPECT_EQ(text.out, "Dear Sir or Madam,\nThe boiler.\n");
  EXPECT_EQ(Ctl({"cases", "document", "WW-2026-00001", "2", "--text"}).code, 1);
  EXPECT_EQ(Ctl({"cases", "document", "WW-2026-00001", "1"}).code, 2);
  // The show and the two reads of the document are in the access log (nothing for the refusals).
  const CtlRun log = Ctl({"person", "access-log", "--contact=1"});
  ASSERT_EQ(log.code, 0) << log.err;
  EXPECT_EQ(std::count(log.out.begin(), log.out.end(), '\n'), 3) << log.out;
  EXPECT_NE(log.out.find("complaintsctl  case  WW-2026-00001"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("complaintsctl  document  WW-2026-00001  okafor-letter.pdf\n"),
            std::string::npos)
      << log.out;
  EXPECT_NE(log.out.find("complaintsctl  document  WW-2026-00001  okafor-letter.pdf (its text)"),
            std::string::npos)
      << log.out;
}

TEST_F(CtlCasesTest, WholeFlowFromTheCommandLine) {
  ASSERT_EQ(Ctl({"cases", "open", "--type=complaint", "--channel=email", "--name=A",
                 "--received=2026-06-10T09:30:00+01:00"})
                .code,
            0);
  const std::string ref = "WW-2026-00001";
  for (const std::vector<std::string>& step : std::vector<std::vector<std::string>>{
           {"cases", "ack", ref},
           {"cases", "assign", ref, "--handler", "Sam"},
           {"cases", "define", ref, "--definition", "Late repair", "--outcome-sought", "Repair"},
           {"cases", "extend", ref, "--working-days", "3", "--reason", "contractor"},
           {"cases", "respond", ref, "--outcome", "upheld", "--apology", "--financial",
            "25.50:time off work", "--action", "Fix the door@2026-12-01"},
           {"cases", "note", ref, "--text", "Called the resident"},
           {"cases", "action-done", ref, "1"},
           {"cases", "close", ref, "--note", "done"},
           {"cases", "reopen", ref, "--reason", "resident called back"},
       }) {
    const CtlRun r = Ctl(step);
    EXPECT_EQ(r.code, 0) << step[1] << ": " << r.err;
  }
  const CtlRun show = Ctl({"cases", "show", ref});
  EXPECT_NE(show.out.find("£25.50 for time off work"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("tester  reopened  resident called back"), std::string::npos);
}

TEST_F(CtlCasesTest, ActionsAreRecordedWhenTheyHappenedAndAWithdrawalStopsTheClocks) {
  // A phone complaint last June, worked through with --at as the officer records it today.
  ASSERT_EQ(Ctl({"cases", "open", "--type=complaint", "--channel=phone", "--name=A",
                 "--at=2026-06-10T09:30:00+01:00"})
                .code,
            0);
  const std::string ref = "WW-2026-00001";
  EXPECT_EQ(Ctl({"cases", "ack", ref, "--at=2026-06-11T10:00:00+01:00"}).code, 0);
  EXPECT_EQ(
      Ctl({"cases", "define", ref, "--definition=Late repair", "--at=2026-06-12T11:00:00+01:00"})
          .code,
      0);
  // Not before the case's latest event, and not in the future.
  const CtlRun before = Ctl({"cases", "note", ref, "--text=x", "--at=2026-06-11T09:00:00+01:00"});
  EXPECT_EQ(before.code, 1);
  EXPECT_NE(before.err.find("before the case's latest event"), std::string::npos) << before.err;
  const CtlRun future = Ctl({"cases", "note", ref, "--text=x", "--at=2999-01-01T09:00:00Z"});
  EXPECT_NE(future.code, 0);
  EXPECT_NE(future.err.find("in the future"), std::string::npos) << future.err;
  EXPECT_NE(Ctl({"cases", "note", ref, "--text=x", "--at=yesterday"}).code, 0);

  ASSERT_EQ(Ctl({"cases", "withdraw", ref, "--reason=Sorted out with the contractor",
                 "--at=2026-06-15T14:00:00+01:00"})
                .code,
            0);
  const CtlRun json = Ctl({"cases", "show", ref, "--json"});
  const nlohmann::json c = nlohmann::json::parse(json.out);
  EXPECT_EQ(c["status"], "withdrawn");
  EXPECT_EQ(c["received_at"], "2026-06-10T09:30:00+01:00");
  for (const auto& d : c["deadlines"]) {
    // Every clock stopped: met, or superseded at the withdrawal.
    EXPECT_TRUE(!d["met_at"].is_null() || d["superseded_at"] == "2026-06-15T14:00:00+01:00")
        << d.dump();
  }
  const CtlRun show = Ctl({"cases", "show", ref});
  EXPECT_NE(show.out.find("2026-06-11T10:00:00+01:00  tester  acknowledged"), std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find("withdrawn  Sorted out with the contractor  (recorded "),
            std::string::npos)
      << show.out;
  EXPECT_EQ(Ctl({"cases", "withdraw", ref, "--reason=again"}).code, 1);
  // A withdrawn case is off the open queue.
  EXPECT_EQ(Ctl({"cases", "list"}).out.find(ref), std::string::npos);
}

TEST_F(CtlCasesTest, RefusedChangesExitOneAndBadUsageExitTwo) {
  ASSERT_EQ(Ctl({"cases", "open", "--type=complaint", "--channel=email", "--name=A",
                 "--received=2026-06-10T09:30:00+01:00"})
                .code,
            0);
  const CtlRun refused = Ctl({"cases", "close", "WW-2026-00001"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("respond, resolve or refuse before closing"), std::string::npos);
  EXPECT_EQ(Ctl({"cases", "show", "WW-2099-99999"}).code, 1);
  EXPECT_EQ(Ctl({"cases", "open", "--type=grumble", "--channel=email", "--name=A"}).code, 2);
  EXPECT_EQ(Ctl({"cases", "open", "--type=complaint", "--channel=pigeon", "--name=A"}).code, 2);
  EXPECT_EQ(Ctl({"cases", "open", "--type=complaint", "--channel=email", "--name=A", "--received",
                 "yesterday"})
                .code,
            2);
  EXPECT_EQ(
      Ctl({"cases", "extend", "WW-2026-00001", "--working-days", "lots", "--reason", "x"}).code, 2);
  EXPECT_EQ(Ctl({"cases", "ack"}).code, 2);
  EXPECT_EQ(Ctl({"cases", "frobnicate"}).code, 2);
  EXPECT_EQ(Ctl({"cases", "list", "--bogus"}).code, 2);
}

TEST_F(CtlCasesTest, DeadlinesListsOverdueAndComingWork) {
  ASSERT_EQ(Ctl({"cases", "open", "--type=complaint", "--channel=letter", "--name=A",
                 "--received=2020-01-06T10:00:00Z"})
                .code,
            0);
  const CtlRun text = Ctl({"deadlines"});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("2020-01-08T17:00:00+00:00  WW-2020-00001  stage 1 acknowledge  OVERDUE"),
            std::string::npos)
      << text.out;
  const CtlRun json = Ctl({"deadlines", "--json", "--due-within", "0"});
  ASSERT_EQ(json.code, 0);
  const nlohmann::json first = nlohmann::json::parse(json.out.substr(0, json.out.find('\n')));
  EXPECT_EQ(first["reference"], "WW-2020-00001");
  EXPECT_EQ(first["kind"], "acknowledge");
  EXPECT_TRUE(first["overdue"].get<bool>());
  EXPECT_EQ(Ctl({"deadlines", "--due-within", "soon"}).code, 2);
}

TEST_F(CtlCasesTest, WithTheDaemonsConfigStaffActionsWriteToTheResident) {
  std::ofstream(dir_ / "key") << "k\n";
  chmod((dir_ / "key").c_str(), 0600);
  std::ofstream(dir_ / "d.properties")
      << "store.path = c.db\nmailbox.maildir = m\noutbox.pickup-dir = o\n"
         "mail.signing-key-file = key\nmail.from = complaints@westway.example\n"
         "policy.file = "
      << COMPLAINTSD_SOURCE_DIR << "/config/policies/westway.json\n";
  const std::string config = (dir_ / "d.properties").string();
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config});
    std::ostringstream out, err;
    const int code = RunCtl(args, out, err);
    EXPECT_EQ(code, 0) << err.str();
    return out.str();
  };
  run({"cases", "open", "--type=complaint", "--channel=phone", "--name=Jo Bloggs",
       "--email=jo@example.org", "--received=2026-06-10T09:30:00+01:00"});
  run({"cases", "extend", "WW-2026-00001", "--working-days", "3", "--reason",
       "we are waiting for a surveyor"});
  run({"cases", "refuse", "WW-2026-00001", "--reason", "older-than-limit"});
  auto store = std::move(SqliteCaseStore::Open((dir_ / "c.db").string())).value();
  const auto outbox = *store->OutboxFor(store->FindCase("WW-2026-00001")->id);
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[0].kind, "extension");
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"jo@example.org"});
  const std::string extension = Decoded(outbox[0].raw);
  EXPECT_NE(extension.find("Why: we are waiting for a surveyor"), std::string::npos);
  EXPECT_NE(extension.find("by Monday 29 June 2026"), std::string::npos) << extension;
  EXPECT_NE(extension.find("Housing Ombudsman"), std::string::npos);
  EXPECT_EQ(outbox[1].kind, "refusal");
  EXPECT_NE(Decoded(outbox[1].raw).find("because it happened more than six months ago"),
            std::string::npos);
}

TEST_F(CtlCasesTest, VulnerabilitiesAdjustmentsAndARepresentativeAreRecorded) {
  ASSERT_EQ(Ctl({"cases", "open", "--type=complaint", "--channel=visit", "--name=Edna",
                 "--vulnerabilities=hearing loss", "--adjustments=write, do not phone",
                 "--representative-name=Ruth (daughter)", "--representative-email=ruth@example.org",
                 "--received=2026-06-10T09:30:00+01:00"})
                .code,
            0);
  const CtlRun show = Ctl({"cases", "show", "WW-2026-00001"});
  EXPECT_NE(show.out.find("vulnerabilities: hearing loss"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("reasonable adjustments: write, do not phone"), std::string::npos);
  EXPECT_NE(show.out.find("representative: contact 2"), std::string::npos);
}

TEST_F(CtlCasesTest, IngestRunsOneMailboxPass) {
  std::filesystem::create_directories(dir_ / "m" / "new");
  std::ofstream(dir_ / "m" / "new" / "1.a.host")
      << "From: Jo <jo@example.org>\r\nSubject: tap\r\nMessage-ID: <i1@example.org>\r\n\r\n"
         "The contractor never turned up and the leak is still not fixed.\r\n";
  std::ofstream(dir_ / "key") << "k\n";
  chmod((dir_ / "key").c_str(), 0600);
  std::ofstream(dir_ / "d.properties")
      << "store.path = c.db\nmailbox.maildir = elsewhere\noutbox.pickup-dir = o\n"
         "mail.signing-key-file = key\npolicy.file = "
      << COMPLAINTSD_SOURCE_DIR << "/config/policies/westway.json\n";
  std::ostringstream out, err;
  ASSERT_EQ(RunCtl({"--config", (dir_ / "d.properties").string(), "ingest", "--maildir",
                    (dir_ / "m").string()},
                   out, err),
            0)
      << err.str();
  EXPECT_NE(out.str().find(": opened WW-"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("1 messages read"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_directory(dir_ / "m" / ".Processed" / "cur"));
  std::ostringstream usage;
  EXPECT_EQ(RunCtl({"ingest"}, out, usage), 2);
}

TEST_F(CtlCasesTest, PhoneCallsAndVisitsAreLogged) {
  const CtlRun r = Ctl({"cases", "open", "--type", "service_request", "--channel", "visit",
                        "--name", "Walk In", "--summary", "Broken gate"});
  ASSERT_EQ(r.code, 0) << r.err;
  const CtlRun list = Ctl({"cases", "list", "--json"});
  const nlohmann::json c = nlohmann::json::parse(list.out);
  EXPECT_EQ(c["channel"], "visit");
  EXPECT_EQ(c["type"], "service_request");
}

}  // namespace
}  // namespace complaints
