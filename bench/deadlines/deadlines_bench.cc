// bench/deadlines: one deadline-watcher pass over 1,000,000 open cases of which 1,000 fall due,
// beside the approach of a helpdesk that scans every open ticket (the peer), in the same run on the
// same database. Prints medians of repeated passes.
//
//   build/bench/deadlines/deadlines_bench [CASES] [DUE] [DB]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "daemon/calendar/london_time.h"
#include "daemon/cases/policy.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/outgoing/case_mailer.h"
#include "daemon/outgoing/mail_templates.h"
#include "daemon/service/deadline_watcher.h"

namespace {

using complaints::Instant;
using Clock = std::chrono::steady_clock;

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

// Fills the store straight through SQLite: one contact, CASES cases with a stage 1 response
// deadline each; DUE of them fall due within the next day, the rest months away.
void Fill(const std::string& path, long cases, long due, Instant now) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  Exec(db, "PRAGMA synchronous = OFF");
  Exec(db, "BEGIN");
  Exec(db, "INSERT INTO contacts(id, name, created_at) VALUES(1, 'Bench', 0)");
  sqlite3_stmt* c = nullptr;
  sqlite3_stmt* d = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO cases(id, reference, policy_id, type, channel, status, stage, "
                     "received_at, contact_id) VALUES(?1, ?2, 'hos-code-2024', 'complaint', "
                     "'email', 'open', 1, ?3, 1)",
                     -1, &c, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO deadlines(case_id, stage, kind, due_at) VALUES(?1, 1, "
                     "'respond', ?2)",
                     -1, &d, nullptr);
  const long stride = cases / std::max(due, 1L);
  const int64_t base = now.time_since_epoch().count();
  for (long i = 1; i <= cases; ++i) {
    const std::string ref = "CX-2026-" + std::to_string(i);
    sqlite3_bind_int64(c, 1, i);
    sqlite3_bind_text(c, 2, ref.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(c, 3, base - 86400);
    sqlite3_step(c);
    sqlite3_reset(c);
    const bool is_due = i % stride == 0 && i / stride <= due;
    sqlite3_bind_int64(d, 1, i);
    sqlite3_bind_int64(d, 2, is_due ? base + 3600 + i % 3600 : base + 90 * 86400 + i);
    sqlite3_step(d);
    sqlite3_reset(d);
  }
  sqlite3_finalize(c);
  sqlite3_finalize(d);
  Exec(db, "COMMIT");
  sqlite3_close(db);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The peer: read every open deadline and decide in the program which are due.
long ScanAll(sqlite3* db, Instant until) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT d.id, c.reference, d.kind, d.due_at FROM deadlines d JOIN cases c ON "
                     "c.id = d.case_id WHERE c.status NOT IN ('closed', 'refused')",
                     -1, &s, nullptr);
  long found = 0;
  const int64_t limit = until.time_since_epoch().count();
  while (sqlite3_step(s) == SQLITE_ROW) {
    if (sqlite3_column_int64(s, 3) <= limit) ++found;
  }
  sqlite3_finalize(s);
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  const long cases = argc > 1 ? std::stol(argv[1]) : 1000000;
  const long due = argc > 2 ? std::stol(argv[2]) : 1000;
  const std::string path = argc > 3 ? argv[3] : "/tmp/complaintsd-deadlines-bench.db";
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  const Instant now = *complaints::ParseIsoInstant("2026-06-10T09:00:00+01:00");
  auto store = std::move(complaints::SqliteCaseStore::Open(path)).value();
  const auto fill_start = Clock::now();
  Fill(path, cases, due, now);
  std::printf("filled %ld cases (%ld due) in %.1f s\n", cases, due,
              std::chrono::duration<double>(Clock::now() - fill_start).count());

  const complaints::Policy policy = *complaints::LoadPolicy(std::string(COMPLAINTSD_SOURCE_DIR) +
                                                            "/config/policies/hos-code-2024.json");
  const complaints::MailTemplates templates =
      *complaints::MailTemplates::Load(std::string(COMPLAINTSD_SOURCE_DIR) + "/templates");
  const complaints::BusinessHours hours(complaints::WorkingCalendar(), std::chrono::hours{17});
  FixedClock clock(now);
  complaints::MailSettings mail;
  mail.signing_key = "bench";
  mail.manager_address = "manager@bench.example";
  complaints::CaseMailer mailer(templates, policy, hours, mail, clock);
  complaints::WatcherSettings settings;
  settings.warn_hours = std::chrono::hours{24};
  complaints::DeadlineWatcher watcher(*store, mailer, hours, settings, clock);

  // First pass: every due deadline is warned (1,000 transactions, each queueing one email).
  auto start = Clock::now();
  const auto first = watcher.RunOnce();
  const double first_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (!first) {
    std::fprintf(stderr, "watcher: %s\n", first.error().c_str());
    return 1;
  }
  // Steady passes: the same 1,000 are found and evaluated; nothing is left to send.
  std::vector<double> ours, peer;
  long peer_found = 0;
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  for (int i = 0; i < 15; ++i) {
    start = Clock::now();
    const auto pass = watcher.RunOnce();
    ours.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (!pass || pass->warned != 0) return 1;
    start = Clock::now();
    peer_found = ScanAll(db, now + std::chrono::hours{24});
    peer.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  sqlite3_close(db);
  std::printf("first pass, %d warnings queued:                 %8.1f ms\n", first->warned,
              first_ms);
  std::printf("complaintsd pass (index of due deadlines):      %8.2f ms  (median of 15)\n",
              Median(ours));
  std::printf("peer: scan every open case's deadlines (%ld due): %8.2f ms  (median of 15)\n",
              peer_found, Median(peer));
  return 0;
}
