#include "daemon/ctl/commands.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon/cases/sqlite_case_store.h"
#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::CtlRun;

class CtlMessagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ctl_messages_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = std::move(SqliteCaseStore::Open(Db())).value();
    // Received recently, so that the default of the last 30 days shows them.
    const complaints::Instant now =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const struct {
      std::string raw;
      const char* state;
      const char* reason;
    } mail[] = {
        {"From: Sam <sam@example.org>\r\nSubject: Parking\r\nContent-Type: text/plain; "
         "charset=utf-8\r\n\r\nWhen does the \x1b[2Jcentre \xC2\x9B"
         "1mopen?\r\n",
         "review", "classified other, no case opened: from sam@example.org, \"Parking\""},
        {std::string("garbage\0\x01", 9), "quarantined", "cannot be read: no header fields"},
        {"From: Jo <jo@example.org>\r\nSubject: Boiler\r\n\r\nBroken again.\r\n", "processed",
         "complaint"},
    };
    ASSERT_TRUE(store
                    ->InTransaction([&](StoreTransaction& txn) -> Status {
                      for (const auto& m : mail) {
                        IncomingMessage in;
                        in.raw = m.raw;
                        in.sha256 = m.state;
                        in.received_at = now - std::chrono::hours{1};
                        Result<StoredMessage> s = txn.StoreIncoming(in);
                        if (!s) return s.status();
                        if (Status st = txn.SetMessageState(s->id, m.state, m.reason, std::nullopt);
                            !st) {
                          return st;
                        }
                      }
                      return Status::Ok();
                    })
                    .ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Db() const { return (dir_ / "c.db").string(); }
  CtlRun Ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", Db()});
    std::ostringstream out, err;
    const int code = RunMessagesCommand(args, out, err);
    return {code, out.str(), err.str()};
  }

  std::filesystem::path dir_;
};

TEST_F(CtlMessagesTest, ListsWhatOpenedNoCaseByDefault) {
  const CtlRun r = Ctl({"list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("review  classified other, no case opened: from sam@example.org"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("quarantined  cannot be read"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("processed"), std::string::npos) << r.out;

  const CtlRun all = Ctl({"list", "--state", "all", "--json"});
  ASSERT_EQ(all.code, 0) << all.err;
  std::istringstream lines(all.out);
  std::vector<nlohmann::json> rows;
  for (std::string l; std::getline(lines, l);) rows.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2]["state"], "processed");
  EXPECT_EQ(rows[2]["id"], 3);

  EXPECT_EQ(Ctl({"list", "--state", "processed"}).out.find("review"), std::string::npos);
  EXPECT_TRUE(Ctl({"list", "--since", "2099-01-01"}).out.empty());
}

TEST_F(CtlMessagesTest, ShowsAMessageSafelyAndItsBytesOnRequest) {
  const CtlRun r = Ctl({"show", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("state: review (classified other"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("case: none"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("from: Sam <sam@example.org>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("When does the ?[2Jcentre ?1mopen?"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);      // no escape reaches the terminal
  EXPECT_EQ(r.out.find("\xC2\x9B"), std::string::npos);  // nor a C1 CSI

  const CtlRun raw = Ctl({"show", "2", "--raw"});
  ASSERT_EQ(raw.code, 0) << raw.err;
  EXPECT_EQ(raw.out, std::string("garbage\0\x01", 9));  // byte for byte
  const CtlRun unreadable = Ctl({"show", "2"});
  EXPECT_NE(unreadable.out.find("it cannot be read as mail"), std::string::npos) << unreadable.out;
}

// A message shown is a read of personal data: it is in the access log, and a read that cannot be
// logged is not shown.
TEST_F(CtlMessagesTest, EveryShowIsInTheAccessLogAndAnUnloggedOneIsRefused) {
  ASSERT_EQ(Ctl({"show", "1"}).code, 0);
  ASSERT_EQ(Ctl({"show", "2", "--raw"}).code, 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Db().c_str(), &db), SQLITE_OK);
  std::vector<std::string> reads;
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db,
                         "SELECT channel || ' ' || what || ' ' || message_id || ' ' || detail "
                         "FROM access_log ORDER BY id",
                         -1, &st, nullptr),
      SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    reads.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  EXPECT_EQ(reads,
            (std::vector<std::string>{"complaintsctl message 1 ", "complaintsctl message 2 raw"}));
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER access_log_full BEFORE INSERT ON access_log "
                         "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const CtlRun refused = Ctl({"show", "1"});
  EXPECT_EQ(refused.code, 2);
  EXPECT_EQ(refused.out.find("sam@example.org"), std::string::npos) << refused.out;
  EXPECT_NE(refused.err.find("access log"), std::string::npos) << refused.err;
}

TEST_F(CtlMessagesTest, BadArgumentsAreRefusedWithTheReason) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "which: list, show or release?"},
      {{"release"}, "expected: release N"},
      {{"release", "1"}, "release needs --config FILE"},
      {{"delete", "1"}, "unknown command 'delete'"},
      {{"show"}, "expected: show N"},
      {{"show", "x"}, "invalid message number 'x'"},
      {{"list", "extra"}, "unexpected argument 'extra'"},
      {{"list", "--since", "1 March"}, "--since wants a day, YYYY-MM-DD"},
      {{"list", "--sort", "x"}, "unknown option --sort"},
  };
  for (const auto& [args, message] : cases) {
    const CtlRun r = Ctl(args);
    EXPECT_EQ(r.code, 2) << message;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
  const CtlRun missing = Ctl({"show", "99"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no incoming message 99"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace complaints
