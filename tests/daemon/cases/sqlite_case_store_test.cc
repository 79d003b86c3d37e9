#include "daemon/cases/sqlite_case_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/daemon/test_support.h"
#include "tests/daemon/wal_log_vfs.h"

namespace complaints {
namespace {

using testing::Instant;
namespace wal_log = testing::wal_log;

class SqliteCaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sqlite_store_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path() const { return (dir_ / "cases.db").string(); }

  // Runs raw SQL beside the store, as another program (or an attacker with file access) would.
  int RawExec(const std::string& sql, std::string* error = nullptr) {
    sqlite3* db = nullptr;
    sqlite3_open(path().c_str(), &db);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    if (error && message) *error = message;
    sqlite3_free(message);
    sqlite3_close(db);
    return rc;
  }

  CaseRecord SampleCase(int64_t contact_id) {
    CaseRecord c;
    c.reference = "CX-2026-00001";
    c.policy_id = "hos-code-2024";
    c.status = "open";
    c.stage = 1;
    c.received_at = Instant("2026-06-10T09:30:00+01:00");
    c.contact_id = contact_id;
    c.summary = "It's the \"boiler\"; DROP TABLE cases; --";
    c.flags = {"needs-a-look"};
    StageRecord s;
    s.number = 1;
    s.name = "Stage 1";
    s.opened_at = c.received_at;
    s.panel = {"A", "B"};
    s.financial = {{12345, "distress"}};
    c.stages.push_back(s);
    c.deadlines.push_back(
        {0, 1, "respond", Instant("2026-06-24T17:00:00+01:00"), std::nullopt, std::nullopt});
    return c;
  }

  // Incoming message number i, distinct from every other number's.
  static IncomingMessage NumberedMessage(int i) {
    return IncomingMessage{"raw " + std::to_string(i),
                           "hash-" + std::to_string(i),
                           std::to_string(i) + "@example.org",
                           Instant("2026-06-10T09:30:00Z"),
                           "maildir:/x",
                           7,
                           static_cast<uint32_t>(i)};
  }

  static OutboxItem SampleOutboxItem() {
    OutboxItem item;
    item.kind = "ack-stage1";
    item.envelope_from = "complaints@westway.example";
    item.recipients = {"Jo@Example.org"};
    item.message_id = "cd.x.1.sig@westway.example";
    item.raw = "From: x\r\n\r\nbody";
    item.next_attempt_at = Instant("2026-06-10T09:30:00Z");
    return item;
  }

  std::filesystem::path dir_;
};

TEST_F(SqliteCaseStoreTest, CreatesMigratesAndReopens) {
  {
    auto store = SqliteCaseStore::Open(path());
    ASSERT_TRUE(store.ok()) << store.error();
    EXPECT_EQ((*store)->schema_version(), 8);
  }
  auto again = SqliteCaseStore::Open(path());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->schema_version(), 8);
  sqlite3* db = nullptr;
  sqlite3_open(path().c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteCaseStoreTest, RefusesADatabaseFromTheFuture) {
  ASSERT_TRUE(SqliteCaseStore::Open(path()).ok());
  ASSERT_EQ(RawExec("PRAGMA user_version = 99"), SQLITE_OK);
  auto store = SqliteCaseStore::Open(path());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("newer than this program's"), std::string::npos);
}

TEST_F(SqliteCaseStoreTest, RoundTripsACaseWithHostileText) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  CaseRecord c;
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    Contact contact;
                    contact.name = "O'Brien; --";
                    contact.emails = {"ob@example.org"};
                    Result<int64_t> id = txn.InsertContact(contact);
                    if (!id) return id.status();
                    c = SampleCase(*id);
                    if (Status s = txn.InsertCase(c); !s) return s;
                    return txn.AppendHistory(c.id, {c.received_at, "me", "opened", "x"});
                  })
                  .ok());
  const CaseRecord loaded = std::move(store->FindCase("CX-2026-00001")).value();
  EXPECT_EQ(loaded.summary, c.summary);
  EXPECT_EQ(loaded.flags, c.flags);
  ASSERT_EQ(loaded.stages.size(), 1u);
  EXPECT_EQ(loaded.stages[0].panel, (std::vector<std::string>{"A", "B"}));
  ASSERT_EQ(loaded.stages[0].financial.size(), 1u);
  EXPECT_EQ(loaded.stages[0].financial[0].amount_pence, 12345);
  ASSERT_EQ(loaded.deadlines.size(), 1u);
  EXPECT_EQ(loaded.deadlines[0].due_at, c.deadlines[0].due_at);
  EXPECT_EQ(std::move(store->GetContact(loaded.contact_id)).value().name, "O'Brien; --");
}

TEST_F(SqliteCaseStoreTest, DocumentsStayWithTheirCaseByteForByte) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  const char kScan[] = "%PDF-1.4\0\xff\x01 binary";
  const std::string scan(kScan, sizeof kScan - 1);  // the NUL inside included
  CaseRecord c;
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    Result<int64_t> id = txn.InsertContact(Contact{});
                    c = SampleCase(*id);
                    if (Status s = txn.InsertCase(c); !s) return s;
                    IncomingMessage m;
                    m.raw = "Subject: scan\r\n\r\nattached";
                    m.sha256 = "ab12";
                    Result<StoredMessage> stored = txn.StoreIncoming(m);
                    if (!stored) return stored.status();
                    CaseDocument d;
                    d.case_id = c.id;
                    d.message_id = stored->id;
                    d.filename = "letter '); DROP TABLE cases; --.pdf";
                    d.content_type = "application/pdf";
                    d.bytes = scan;
                    d.text = "Dear Sir,\nThe damp is back.";
                    d.method = "ocr";
                    d.pages = 2;
                    d.added_at = c.received_at;
                    if (Status s = txn.AddDocument(d); !s) return s;
                    return d.id > 0 ? Status::Ok() : Status::Error("no id");
                  })
                  .ok());
  auto docs = store->Documents(c.id);
  ASSERT_TRUE(docs.ok()) << docs.error();
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].bytes, scan);
  EXPECT_EQ((*docs)[0].filename, "letter '); DROP TABLE cases; --.pdf");
  EXPECT_EQ((*docs)[0].text, "Dear Sir,\nThe damp is back.");
  EXPECT_EQ((*docs)[0].method, "ocr");
  EXPECT_EQ((*docs)[0].pages, 2);
  EXPECT_GT((*docs)[0].message_id, 0);
  EXPECT_TRUE(store->Documents(c.id + 1)->empty());
}

TEST_F(SqliteCaseStoreTest, HistoryIsAppendOnly) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    Result<int64_t> id = txn.InsertContact(Contact{});
                    CaseRecord c = SampleCase(*id);
                    if (Status s = txn.InsertCase(c); !s) return s;
                    return txn.AppendHistory(c.id, {c.received_at, "me", "opened", "x"});
                  })
                  .ok());
  std::string error;
  EXPECT_NE(RawExec("UPDATE history SET detail = 'rewritten'", &error), SQLITE_OK);
  EXPECT_NE(error.find("append-only"), std::string::npos);
  EXPECT_NE(RawExec("DELETE FROM history", &error), SQLITE_OK);
}

TEST_F(SqliteCaseStoreTest, FailedTransactionLeavesNothingAndStaleUpdateIsRefused) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  Status failed = store->InTransaction([&](StoreTransaction& txn) -> Status {
    Result<int64_t> id = txn.InsertContact(Contact{});
    CaseRecord c = SampleCase(*id);
    if (Status s = txn.InsertCase(c); !s) return s;
    return Status::Error("something went wrong after the insert");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_FALSE(store->FindCase("CX-2026-00001").ok());

  CaseRecord c;
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    Result<int64_t> id = txn.InsertContact(Contact{});
                    c = SampleCase(*id);
                    return txn.InsertCase(c);
                  })
                  .ok());
  CaseRecord first = std::move(store->FindCase(c.reference)).value();
  CaseRecord second = first;
  ASSERT_TRUE(store->InTransaction([&](StoreTransaction& t) { return t.UpdateCase(first); }).ok());
  Status stale = store->InTransaction([&](StoreTransaction& t) { return t.UpdateCase(second); });
  ASSERT_FALSE(stale.ok());
  EXPECT_NE(stale.error().find("changed by someone else"), std::string::npos);
}

TEST_F(SqliteCaseStoreTest, SequencesCountPerKey) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  std::vector<long> got;
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    for (const char* key : {"A|2026", "A|2026", "A|2027", "A|2026"}) {
                      got.push_back(*txn.NextSequence(key));
                    }
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(got, (std::vector<long>{1, 2, 1, 3}));
}

TEST_F(SqliteCaseStoreTest, IncomingMailIsStoredOnceByHashAndItsMessageIdFindsOtherCopies) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  IncomingMessage m{"raw bytes\0with a NUL",
                    "hash-1",
                    "abc@example.org",
                    Instant("2026-06-10T09:30:00Z"),
                    "maildir:/x",
                    7,
                    42};
  m.raw.push_back('\0');
  std::vector<StoredMessage> got;
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    got.push_back(*txn.StoreIncoming(m));
                    IncomingMessage same_hash = m;
                    same_hash.message_id.reset();
                    got.push_back(*txn.StoreIncoming(same_hash));
                    IncomingMessage same_id = m;  // a copy through another route
                    same_id.sha256 = "hash-2";
                    got.push_back(*txn.StoreIncoming(same_id));
                    IncomingMessage other = m;
                    other.sha256 = "hash-3";
                    other.message_id = "other@example.org";
                    got.push_back(*txn.StoreIncoming(other));
                    return txn.SetMessageState(got[0].id, "quarantined", "bad MIME", std::nullopt);
                  })
                  .ok());
  EXPECT_FALSE(got[0].duplicate);
  EXPECT_TRUE(got[1].duplicate);
  EXPECT_EQ(got[1].id, got[0].id);
  EXPECT_FALSE(got[2].duplicate);  // other bytes are kept: intake judges the Message-ID
  EXPECT_FALSE(got[3].duplicate);
  EXPECT_EQ(*store->MessageRaw(got[0].id), m.raw);  // byte for byte, NULs included
  EXPECT_EQ((*store->FindMessage(got[0].id))->state, "quarantined");

  // The Message-ID a stored message carries finds the earliest other copy, never itself.
  std::vector<std::optional<EarlierCopy>> claimed;
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    for (int64_t row : {got[0].id, got[2].id, got[3].id}) {
                      Result<std::optional<EarlierCopy>> c = txn.ClaimMessageId(
                          row, row == got[3].id ? "other@example.org" : *m.message_id);
                      if (!c) return c.status();
                      claimed.push_back(*c);
                    }
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(claimed.size(), 3u);
  ASSERT_TRUE(claimed[0].has_value());  // the later copy already carried the same Message-ID
  EXPECT_EQ(claimed[0]->id, got[2].id);
  ASSERT_TRUE(claimed[1].has_value());
  EXPECT_EQ(claimed[1]->id, got[0].id);
  EXPECT_EQ(claimed[1]->state, "quarantined");
  EXPECT_FALSE(claimed[1]->case_reference.has_value());
  EXPECT_FALSE(claimed[2].has_value());
}

TEST_F(SqliteCaseStoreTest, CursorsAndOutbox) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  OutboxItem item = SampleOutboxItem();
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    if (Status s = txn.SetCursor("imap://h", "INBOX", {5, 10}); !s) return s;
                    if (Status s = txn.SetCursor("imap://h", "INBOX", {5, 12}); !s) return s;
                    return txn.QueueOutgoing(item);
                  })
                  .ok());
  ASSERT_TRUE(
      store
          ->InTransaction([&](StoreTransaction& txn) -> Status {
            const auto cursor = *txn.GetCursor("imap://h", "INBOX");
            EXPECT_EQ(cursor->last_uid, 12u);
            EXPECT_FALSE(txn.GetCursor("imap://h", "Other")->has_value());
            EXPECT_EQ(*txn.CountAutomaticTo("jo@example.org", Instant("2026-06-09T09:30:00Z")), 1);
            EXPECT_EQ(*txn.CountAutomaticTo("jo@example.org", Instant("2026-06-11T09:30:00Z")), 0);
            return Status::Ok();
          })
          .ok());
  EXPECT_TRUE(store->DueOutgoing(Instant("2026-06-10T09:29:59Z"), 10)->empty());
  auto due = *store->DueOutgoing(Instant("2026-06-10T09:30:00Z"), 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].raw, item.raw);
  ASSERT_TRUE(
      store->MarkAttemptFailed(item.id, "421 busy", Instant("2026-06-10T09:31:00Z"), false).ok());
  EXPECT_TRUE(store->DueOutgoing(Instant("2026-06-10T09:30:30Z"), 10)->empty());
  ASSERT_TRUE(store->MarkSent(item.id, Instant("2026-06-10T09:31:05Z")).ok());
  ASSERT_TRUE(store->MarkSent(item.id, Instant("2026-06-10T09:31:06Z")).ok());  // no-op
  EXPECT_TRUE(store->DueOutgoing(Instant("2030-01-01T00:00:00Z"), 10)->empty());
}

TEST_F(SqliteCaseStoreTest, UnwritablePathIsAClearError) {
  auto store = SqliteCaseStore::Open("/nonexistent-dir/cases.db");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("/nonexistent-dir/cases.db: cannot open the database"),
            std::string::npos);
}

// The daemon starting while complaintsctl (or a test) opens the same new database: every opener
// must wait its turn, not fail with "database is locked" (a CI run once lost a daemon this way).
TEST_F(SqliteCaseStoreTest, ManyOpenersOfANewDatabaseAllSucceed) {
  for (int round = 0; round < 20; ++round) {
    const std::string db = (dir_ / ("race" + std::to_string(round) + ".db")).string();
    std::atomic<int> ready{0};
    std::atomic<int> failures{0};
    std::string first_error;
    std::mutex error_mutex;
    std::vector<std::thread> openers;
    for (int t = 0; t < 4; ++t) {
      openers.emplace_back([&] {
        ++ready;
        while (ready.load() < 4) std::this_thread::yield();
        for (int again = 0; again < 3; ++again) {  // open, use, close, as a polling reader does
          auto store = SqliteCaseStore::Open(db);
          if (store.ok()) {
            CaseQuery all;
            if ((*store)->ListCases(all).ok()) continue;
          }
          std::lock_guard<std::mutex> lock(error_mutex);
          if (failures++ == 0) first_error = store.ok() ? "ListCases failed" : store.error();
        }
      });
    }
    for (std::thread& t : openers) t.join();
    ASSERT_EQ(failures.load(), 0) << "round " << round << ": " << first_error;
  }
}

// The mailbox watcher moves a batch out of the inbox once CommitTogether returns: every commit
// made inside it must be on disk by then, with one flush of the log instead of one per commit.
TEST_F(SqliteCaseStoreTest, CommitsMadeTogetherReachTheDiskBeforeItReturns) {
  wal_log::Installed recording;
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  const auto store_message = [&](int i) {
    const IncomingMessage m = NumberedMessage(i);
    return store->InTransaction(
        [&](StoreTransaction& txn) { return txn.StoreIncoming(m).status(); });
  };
  // One by one, as everything else in the daemon commits: each commit is flushed.
  int syncs = wal_log::Installed::Syncs();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_message(i).ok());
    EXPECT_TRUE(wal_log::Installed::Flushed()) << "commit " << i << " not flushed";
  }
  EXPECT_GE(wal_log::Installed::Syncs() - syncs, 5);

  syncs = wal_log::Installed::Syncs();
  bool flushed_midway = true;
  const Status together = store->CommitTogether([&] {
    for (int i = 5; i < 25; ++i) {
      ASSERT_TRUE(store_message(i).ok());
      if (i > 5 && !wal_log::Installed::Flushed()) flushed_midway = false;
    }
  });
  ASSERT_TRUE(together.ok()) << together.error();
  EXPECT_FALSE(flushed_midway);  // the 20 commits were written without waiting for the disk...
  EXPECT_TRUE(wal_log::Installed::Flushed());  // ...and are all on it now
  EXPECT_LE(wal_log::Installed::Syncs() - syncs, 2);

  // Afterwards, commits are flushed one by one again.
  ASSERT_TRUE(store_message(25).ok());
  EXPECT_TRUE(wal_log::Installed::Flushed());
  for (int i = 0; i < 26; ++i) {
    EXPECT_TRUE((*store->FindMessage(i + 1)).has_value()) << i;
  }
}

// A disk that will not flush: the batch is reported as not stored (so nothing leaves the inbox),
// no mail is sent about it, and the store refuses further batches until it is opened afresh.
TEST_F(SqliteCaseStoreTest, AFailedFlushStopsIntakeAndSending) {
  wal_log::Installed recording;
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  OutboxItem ack = SampleOutboxItem();
  wal_log::fail_syncs = true;
  bool ran = false;
  const Status first = store->CommitTogether([&] {
    ran = true;
    ASSERT_TRUE(
        store->InTransaction([&](StoreTransaction& txn) { return txn.QueueOutgoing(ack); }).ok());
  });
  EXPECT_TRUE(ran);
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.error().find("flush"), std::string::npos) << first.error();
  const auto due = store->DueOutgoing(Instant("2026-06-11T00:00:00Z"), 10);
  EXPECT_FALSE(due.ok()) << "mail about an unflushed change would be sent";
  wal_log::fail_syncs = false;  // even if the disk now says it flushes
  bool ran_again = false;
  EXPECT_FALSE(store->CommitTogether([&] { ran_again = true; }).ok());
  EXPECT_FALSE(ran_again);
  // Opened afresh (the daemon restarted), the store reads what the disk holds and carries on.
  store.reset();
  auto reopened = std::move(SqliteCaseStore::Open(path())).value();
  EXPECT_TRUE(reopened->CommitTogether([] {}).ok());
  EXPECT_TRUE(reopened->DueOutgoing(Instant("2026-06-11T00:00:00Z"), 10).ok());
}

// The status server reads the outbox from its own threads while the service writes: the
// prepared-statement cache must not be shared unsafely.
TEST_F(SqliteCaseStoreTest, ReadingFromAnotherThreadWhileWritingIsSafe) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  const auto message = NumberedMessage;
  ASSERT_TRUE(store
                  ->InTransaction(
                      [&](StoreTransaction& txn) { return txn.StoreIncoming(message(0)).status(); })
                  .ok());
  std::atomic<bool> done{false};
  std::atomic<int> wrong{0};
  std::thread reader([&] {  // the same statements as the writer's thread uses, at the same time
    while (!done) {
      if (!store->DueOutgoing(Instant("2026-06-11T00:00:00Z"), 1000).ok()) ++wrong;
      const auto first = store->FindMessage(1);
      if (!first.ok() || !first->has_value() || (*first)->id != 1) ++wrong;
    }
  });
  for (int i = 1; i < 300; ++i) {
    ASSERT_TRUE(store
                    ->InTransaction([&](StoreTransaction& txn) {
                      return txn.StoreIncoming(message(i)).status();
                    })
                    .ok());
    for (int64_t id : {int64_t{1}, int64_t{i + 1}}) {
      const auto found = store->FindMessage(id);
      if (!found.ok() || !found->has_value() || (*found)->id != id) ++wrong;
    }
  }
  done = true;
  reader.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_F(SqliteCaseStoreTest, MailThatFailedForGoodIsListedWithItsCase) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  OutboxItem on_case = SampleOutboxItem();
  OutboxItem retried = SampleOutboxItem();
  retried.message_id = "cd.x.2.sig@westway.example";
  retried.raw = "From: y\r\n\r\nother";
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    Result<int64_t> id = txn.InsertContact(Contact{});
                    if (!id) return id.status();
                    CaseRecord c = SampleCase(*id);
                    if (Status s = txn.InsertCase(c); !s) return s;
                    on_case.case_id = c.id;
                    if (Status s = txn.QueueOutgoing(on_case); !s) return s;
                    return txn.QueueOutgoing(retried);
                  })
                  .ok());
  EXPECT_TRUE(store->FailedOutgoing(10)->empty());
  ASSERT_TRUE(
      store->MarkAttemptFailed(retried.id, "421 busy", Instant("2026-06-10T09:31:00Z"), false)
          .ok());
  ASSERT_TRUE(
      store
          ->MarkAttemptFailed(on_case.id, "550 no such user", Instant("2026-06-10T09:31:00Z"), true)
          .ok());
  auto failed = store->FailedOutgoing(10);
  ASSERT_TRUE(failed.ok()) << failed.error();
  ASSERT_EQ(failed->size(), 1u);  // a retry is not a failure yet
  EXPECT_EQ((*failed)[0].reference, "CX-2026-00001");
  EXPECT_EQ((*failed)[0].item.last_error, "550 no such user");
}

// Paging after a case (keyset paging, as the reports read every case): each case once, in receipt
// order, ties on received_at broken by id; and each case of a page gets its own stages,
// deadlines, actions and learning actions, read for the whole page at once.
TEST_F(SqliteCaseStoreTest, PagingAfterACaseGivesEveryCaseOnceWithItsOwnChildren) {
  auto store = std::move(SqliteCaseStore::Open(path())).value();
  constexpr int kCases = 23;
  ASSERT_TRUE(store
                  ->InTransaction([&](StoreTransaction& txn) -> Status {
                    Contact contact;
                    contact.name = "Jo";
                    Result<int64_t> id = txn.InsertContact(contact);
                    if (!id) return id.status();
                    for (int i = 0; i < kCases; ++i) {
                      CaseRecord c = SampleCase(*id);
                      c.reference = "CX-2026-" + std::to_string(10000 + i);
                      // Three cases to a second, received in reverse of their insertion.
                      c.received_at -= std::chrono::seconds{i / 3};
                      c.stages[0].handler = "handler " + std::to_string(i);
                      c.deadlines[0].due_at += std::chrono::hours{i};
                      for (int k = 0; k < i % 3; ++k) {
                        c.deadlines.push_back({0, 1, "extra " + std::to_string(k), c.received_at,
                                               std::nullopt, std::nullopt});
                      }
                      c.actions.push_back(
                          {0, 1, "action " + std::to_string(i), std::nullopt, std::nullopt});
                      if (i % 2) {
                        c.learning.push_back({0, "learn " + std::to_string(i), "team", std::nullopt,
                                              std::nullopt, c.received_at});
                      }
                      if (Status st = txn.InsertCase(c); !st) return st;
                    }
                    return Status::Ok();
                  })
                  .ok());
  CaseQuery q;
  q.include_closed = true;
  q.limit = 4;
  std::vector<CaseRecord> seen;
  for (int pages = 0; pages < 20; ++pages) {
    Result<std::vector<CaseRecord>> page = store->ListCases(q);
    ASSERT_TRUE(page.ok()) << page.error();
    seen.insert(seen.end(), page->begin(), page->end());
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after = CaseQuery::Position{page->back().received_at, page->back().id};
  }
  ASSERT_EQ(seen.size(), static_cast<size_t>(kCases));
  for (size_t k = 1; k < seen.size(); ++k) {
    EXPECT_TRUE(std::tie(seen[k - 1].received_at, seen[k - 1].id) <
                std::tie(seen[k].received_at, seen[k].id))
        << k;
  }
  for (const CaseRecord& c : seen) {
    const int i = std::stoi(c.reference.substr(8)) - 10000;
    ASSERT_EQ(c.stages.size(), 1u) << c.reference;
    EXPECT_EQ(c.stages[0].handler, "handler " + std::to_string(i));
    ASSERT_EQ(c.deadlines.size(), static_cast<size_t>(1 + i % 3)) << c.reference;
    EXPECT_EQ(c.deadlines[0].kind, "respond");  // in the order they were added
    for (size_t k = 1; k < c.deadlines.size(); ++k) {
      EXPECT_EQ(c.deadlines[k].kind, "extra " + std::to_string(k - 1));
    }
    ASSERT_EQ(c.actions.size(), 1u);
    EXPECT_EQ(c.actions[0].description, "action " + std::to_string(i));
    ASSERT_EQ(c.learning.size(), static_cast<size_t>(i % 2));
    if (i % 2) {
      EXPECT_EQ(c.learning[0].what, "learn " + std::to_string(i));
    }
    EXPECT_EQ(std::move(store->FindCase(c.reference)).value().deadlines.size(), c.deadlines.size());
  }
  // What the reports read: stages and learning, no deadlines or actions.
  CaseQuery lean;
  lean.include_closed = true;
  lean.stages_and_learning_only = true;
  Result<std::vector<CaseRecord>> some = store->ListCases(lean);
  ASSERT_TRUE(some.ok()) << some.error();
  ASSERT_EQ(some->size(), static_cast<size_t>(kCases));
  size_t learning = 0;
  for (const CaseRecord& c : *some) {
    EXPECT_EQ(c.stages.size(), 1u);
    EXPECT_TRUE(c.deadlines.empty());
    EXPECT_TRUE(c.actions.empty());
    learning += c.learning.size();
  }
  EXPECT_EQ(learning, static_cast<size_t>(kCases / 2));
}

}  // namespace
}  // namespace complaints
