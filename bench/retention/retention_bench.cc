// bench/retention: one retention pass over a store of 1,000,000 cases (one resident each, a stage,
// a deadline, a history entry, the resident's email and an outgoing reply on every case) of which
// 40% have expired, beside a peer doing the same removal in the same run: a python3 script with
// the standard sqlite3 module, which reads the expired case ids and clears each table's rows for
// them with executemany in one transaction. Each side works on its own copy of the same database
// and runs in its own process; the figures are its wall time and its peak resident memory.
//
//   build/bench/retention/retention_bench [CASES] [DB]
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "daemon/calendar/london_time.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/privacy/retention.h"
#include "daemon/privacy/sqlite_privacy_store.h"

namespace {

using complaints::Instant;
using Steady = std::chrono::steady_clock;

class FixedClock : public complaints::Clock {
 public:
  explicit FixedClock(Instant now) : now_(now) {}
  Instant Now() const override { return now_; }

 private:
  Instant now_;
};

void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n", error);
    std::exit(1);
  }
}

// Case i was received (and, when expired, closed) at this time: cases 0, 5, 10, ... (mod 5 < 2)
// closed in 2018 (expired), the rest received in 2025 and still open.
bool Expired(long i) { return i % 5 < 2; }

void Fill(const std::string& path, long cases) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  Exec(db, "PRAGMA synchronous = OFF");
  Exec(db, "BEGIN");
  const char* sql[] = {
      "INSERT INTO contacts(id, name, phone, address, created_at) VALUES(?1, 'Resident ' || ?1, "
      "'01632 960000', ?1 || ' Long Street, Westway', 0)",
      "INSERT INTO contact_emails(contact_id, email) VALUES(?1, 'resident' || ?1 || "
      "'@example.org')",
      "INSERT INTO cases(id, reference, policy_id, type, channel, status, stage, received_at, "
      "contact_id, summary, closed_at) VALUES(?1, 'WW-' || ?1, 'hos-code-2024', 'complaint', "
      "'email', ?2, 1, ?3, ?1, 'The repair to the kitchen ceiling was missed twice', ?4)",
      "INSERT INTO stages(case_id, number, name, opened_at, responded_at, outcome) VALUES(?1, 1, "
      "'Stage 1', ?3, ?4, CASE WHEN ?4 IS NULL THEN '' ELSE 'upheld' END)",
      "INSERT INTO deadlines(case_id, stage, kind, due_at, met_at) VALUES(?1, 1, 'respond', ?3 + "
      "864000, ?4)",
      "INSERT INTO history(case_id, at, actor, action, detail) VALUES(?1, ?3, 'officer', 'note', "
      "'Spoke to the resident about the ceiling')",
      "INSERT INTO outbox(case_id, created_at, kind, envelope_from, recipients, message_id, raw, "
      "state, next_attempt_at, sent_at) VALUES(?1, ?3, 'ack-stage', 'c@westway.example', "
      "'[\"resident' || ?1 || '@example.org\"]', 'm' || ?1 || '@westway.example', "
      "'From: c@westway.example' || char(13, 10) || 'To: resident' || ?1 || '@example.org' || "
      "char(13, 10, 13, 10) || 'We have your complaint and will reply within ten working days.', "
      "'sent', ?3, ?3)",
      "INSERT INTO outbox_recipients(outbox_id, recipient, automatic, created_at) "
      "VALUES(last_insert_rowid(), 'resident' || ?1 || '@example.org', 1, ?3)",
  };
  std::vector<sqlite3_stmt*> stmts;
  for (const char* s : sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, s, -1, &st, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
      std::exit(1);
    }
    stmts.push_back(st);
  }
  const int64_t old_received = 1528189200;  // 2018-06-05
  const int64_t new_received = 1748941200;  // 2025-06-03
  for (long i = 1; i <= cases; ++i) {
    const bool expired = Expired(i);
    for (sqlite3_stmt* st : stmts) {
      sqlite3_bind_int64(st, 1, i);
      if (sqlite3_bind_parameter_count(st) >= 2) {
        sqlite3_bind_text(st, 2, expired ? "closed" : "open", -1, SQLITE_STATIC);
      }
      if (sqlite3_bind_parameter_count(st) >= 3) {
        sqlite3_bind_int64(st, 3, expired ? old_received : new_received + i);
      }
      if (sqlite3_bind_parameter_count(st) >= 4) {
        if (expired) {
          sqlite3_bind_int64(st, 4, old_received + 30 * 86400);
        } else {
          sqlite3_bind_null(st, 4);
        }
      }
      if (sqlite3_step(st) != SQLITE_DONE) {
        std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
        std::exit(1);
      }
      sqlite3_reset(st);
    }
  }
  for (sqlite3_stmt* st : stmts) sqlite3_finalize(st);
  Exec(db, "COMMIT");
  Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
}

// The peer: what a person would write in python3 for the same removal.
constexpr const char* kPeer = R"py(
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA synchronous = FULL")
complaint_cutoff, other_cutoff, now = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
db.execute("BEGIN IMMEDIATE")
rows = db.execute("""
  SELECT c.id, c.type, c.contact_id FROM cases c
  WHERE c.status IN ('closed', 'refused', 'withdrawn', 'resolved')
    AND c.id NOT IN (SELECT case_id FROM case_redactions)
    AND c.id NOT IN (SELECT case_id FROM case_holds)
    AND coalesce(c.closed_at, c.received_at) <
        CASE WHEN c.type = 'complaint' THEN ? ELSE ? END""",
  (complaint_cutoff, other_cutoff)).fetchall()
ids = [(r[0],) for r in rows]
expired = set(r[0] for r in rows)
contacts = []
for case_id, _, contact in rows:
    others = db.execute("SELECT id FROM cases WHERE contact_id = ? UNION ALL "
                        "SELECT id FROM cases WHERE representative_id = ?",
                        (contact, contact)).fetchall()
    if all(o[0] in expired for o in others):
        contacts.append((contact,))
db.executemany("UPDATE history SET detail = '[removed]' WHERE case_id = ? AND detail <> ''", ids)
db.executemany("UPDATE cases SET summary = '', definition = '', outcome_sought = '' WHERE id = ?",
               ids)
db.executemany("UPDATE actions SET description = '[removed]' WHERE case_id = ?", ids)
db.executemany("UPDATE attachments SET bytes = X'', text = '', filename = '' WHERE case_id = ?",
               ids)
db.executemany("UPDATE messages SET raw = X'', reason = '' WHERE case_id = ?", ids)
sent = []
for (case_id,) in ids:
    for outbox_id, recipients in db.execute(
            "SELECT id, recipients FROM outbox WHERE case_id = ? AND state <> 'queued'", (case_id,)):
        sent += [(r, outbox_id) for r in json.loads(recipients)]
db.executemany("DELETE FROM outbox_recipients WHERE recipient = ? AND outbox_id = ?", sent)
db.executemany("UPDATE outbox SET raw = X'', recipients = '[]' WHERE case_id = ?", ids)
db.executemany("UPDATE contacts SET name = '', phone = '', address = '', tenancy_ref = '', "
               "vulnerabilities = '', adjustments = '', restrictions = '' WHERE id = ?", contacts)
db.executemany("DELETE FROM contact_emails WHERE contact_id = ?", contacts)
db.executemany("INSERT INTO case_redactions(case_id, rule, at) VALUES(?, 'retention', %d)" % now,
               ids)
db.executemany("INSERT INTO history(case_id, at, actor, action, detail) VALUES(?, %d, "
               "'retention', 'personal-data-removed', 'retention')" % now, ids)
db.execute("COMMIT")
print("peer removed: %d cases, %d contacts" % (len(ids), len(contacts)), flush=True)
)py";

struct Run {
  double seconds = 0;
  long max_rss_kb = 0;
  int status = 0;
};

// Runs `argv` as a child process: its wall time and peak memory.
Run Measure(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = Steady::now();
  const pid_t pid = fork();
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return {std::chrono::duration<double>(Steady::now() - start).count(), usage.ru_maxrss, status};
}

// --pass DB NOW: our pass alone, in this (child) process.
int OurPass(const std::string& path, Instant now) {
  auto store = complaints::SqlitePrivacyStore::Open(path);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().c_str());
    return 1;
  }
  FixedClock clock(now);
  complaints::RetentionPass pass(**store, complaints::RetentionSchedule{}, clock);
  const auto done = pass.Run(false);
  if (!done) {
    std::fprintf(stderr, "%s\n", done.error().c_str());
    return 1;
  }
  std::printf("complaintsd removed: %ld cases, %ld contacts\n", done->cases, done->contacts);
  return 0;
}

void CopyDatabase(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(to + suffix);
  std::filesystem::copy_file(from, to);
}

}  // namespace

int main(int argc, char** argv) {
  const Instant now = *complaints::ParseIsoInstant("2026-12-06T03:00:00Z");
  if (argc == 3 && std::string(argv[1]) == "--pass") return OurPass(argv[2], now);
  const long cases = argc > 1 ? std::stol(argv[1]) : 1000000;
  const std::string path = argc > 2 ? argv[2] : "/tmp/complaintsd-retention-bench.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  {
    auto store = complaints::SqliteCaseStore::Open(path);  // the schema
    if (!store) {
      std::fprintf(stderr, "%s\n", store.error().c_str());
      return 1;
    }
  }
  auto start = Steady::now();
  Fill(path, cases);
  std::printf("filled %ld cases (%ld expired), %.0f MB, in %.1f s\n", cases,
              cases / 5 * 2 + (cases % 5 >= 1 ? 1 : 0), std::filesystem::file_size(path) / 1e6,
              std::chrono::duration<double>(Steady::now() - start).count());
  const std::string ours = path + ".ours", peer = path + ".peer", script = path + ".py";
  CopyDatabase(path, ours);
  CopyDatabase(path, peer);
  std::ofstream(script) << kPeer;
  const complaints::RetentionCutoffs cut = complaints::CutoffsAt({}, now);
  auto secs = [](Instant t) { return std::to_string(t.time_since_epoch().count()); };
  std::fflush(stdout);  // before the children write to it
  const Run our = Measure({"/proc/self/exe", "--pass", ours});
  const Run their = Measure(
      {"/usr/bin/python3", script, peer, secs(cut.complaint), secs(cut.other_case), secs(now)});
  if (our.status != 0 || their.status != 0) {
    std::fprintf(stderr, "a pass failed (ours %d, peer %d)\n", our.status, their.status);
    return 1;
  }
  std::printf("complaintsd retention pass (set-based, one transaction): %7.2f s  %7.1f MB peak\n",
              our.seconds, our.max_rss_kb / 1024.0);
  std::printf("peer: python3 sqlite3 script (ids, executemany):        %7.2f s  %7.1f MB peak\n",
              their.seconds, their.max_rss_kb / 1024.0);
  for (const std::string& f : {ours, peer}) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(f + suffix);
  }
  std::filesystem::remove(script);
  return 0;
}
