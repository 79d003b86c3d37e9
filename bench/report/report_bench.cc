// bench/report: the annual complaints performance and service improvement report (issue 19) for
// the financial year 2025-26 over 1,000,000 cases: ComputeAnnualReport, then the HTML, CSV and PDF,
// as `complaintsctl report annual` makes them; beside the peer, a landlord's analyst's Python
// script of GROUP BY queries for the headline figures (peer_report.py), run as a child process in
// the same run on the same database. Prints wall seconds (median of RUNS) and peak memory, and
// whether the two give the same figures.
//
//   build/bench/report/report_bench [CASES] [DB] [RUNS]   (defaults 1000000, /tmp/..., 3)
//
// The cases are spread over 1 October 2024 .. 30 November 2026 ("now" is 6 December 2026), so
// the year has neighbours on both sides; every event falls between 08:00 and 16:00 UTC, so its
// month is the same in London and in UTC (the peer's months are UTC, as an analyst's would be).
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/calendar/london_time.h"
#include "daemon/cases/policy.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/reports/annual_report.h"
#include "daemon/reports/report_documents.h"
#include "daemon/reports/report_pdf.h"

extern char** environ;

namespace {

using complaints::BusinessHours;
using complaints::Instant;
using std::chrono::days;
using std::chrono::seconds;
using std::chrono::sys_days;
using Steady = std::chrono::steady_clock;
using Figures = std::map<std::string, long>;

constexpr int kYear = 2025;
const sys_days kFirstDay = sys_days(std::chrono::year{2024} / std::chrono::October / 1);
constexpr int kDaySpan = 791;  // to 30 November 2026
const Instant kNow =
    sys_days(std::chrono::year{2026} / std::chrono::December / 6) + std::chrono::hours{9};

// splitmix64: the same cases on every run.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  bool Percent(int p) { return Below(100) < p; }
  // An instant `after` + `d` days, between 08:00 and 16:00 UTC that day.
  Instant DaysAfter(Instant after, int d) {
    return std::chrono::floor<days>(after) + days{d} + std::chrono::hours{8} +
           seconds{Below(8 * 3600)};
  }

 private:
  uint64_t state_;
};

void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n", error);
    std::exit(1);
  }
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
  return s;
}

void Run(sqlite3* db, sqlite3_stmt* s) {
  if (sqlite3_step(s) != SQLITE_DONE) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
}

void BindTime(sqlite3_stmt* s, int i, std::optional<Instant> t) {
  if (t) sqlite3_bind_int64(s, i, t->time_since_epoch().count());
}

void BindText(sqlite3_stmt* s, int i, const std::string& text) {
  sqlite3_bind_text(s, i, text.c_str(), -1, SQLITE_TRANSIENT);
}

bool InYear(std::optional<Instant> t) {
  const Instant from = complaints::FromLondon(sys_days(std::chrono::year{kYear} / 4 / 1), {});
  const Instant to = complaints::FromLondon(sys_days(std::chrono::year{kYear + 1} / 4 / 1), {});
  return t && *t >= from && *t < to;
}

struct StageRow {
  StageRow(int number_, Instant opened_) : number(number_), opened(opened_) {}
  int number = 1;
  Instant opened{};
  std::optional<Instant> acknowledged, responded, escalation_requested;
  int extension_days = 0;
  std::string outcome;
  bool apology = false;
  std::string financial = "[]";
  bool escalation_late = false;
};

struct CaseRow {
  std::string type = "complaint", channel = "email", status = "open";
  int stage = 1;
  Instant received{};
  std::optional<Instant> closed, ombudsman;
  std::string refusal_reason, ombudsman_outcome, area, area_by;
  double confidence = 0;
  std::vector<StageRow> stages;
};

// What the generator put in the year, to check the report against.
struct Generated {
  long cases = 0, stages = 0, deadlines = 0, learning = 0;
  long stage1_received = 0, stage2_received = 0;
  long escalation_requests = 0;  // stage two asked for in the year (on the stage one row)
};

template <typename T>
const T& Pick(Rng& rng, const std::vector<std::pair<T, int>>& weighted) {
  int total = 0;
  for (const auto& w : weighted) total += w.second;
  int at = rng.Below(total);
  for (const auto& w : weighted) {
    if ((at -= w.second) < 0) return w.first;
  }
  return weighted.back().first;
}

// Writes the cases, their stages, deadlines and learning actions straight through SQLite, with
// the columns and codes the case engine writes (the engine records a request for stage two on the
// stage it escalates from, as CaseEngine::Escalate does).
class Filler {
 public:
  Filler(sqlite3* db, const BusinessHours& hours) : db_(db), hours_(hours) {
    case_ = Prepare(db,
                    "INSERT INTO cases(id, reference, policy_id, type, channel, status, stage, "
                    "received_at, contact_id, summary, refusal_reason, closed_at, service_area, "
                    "service_area_confidence, service_area_by, ombudsman_at, ombudsman_outcome) "
                    "VALUES(?1, ?2, 'hos-code-2024', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                    "?13, ?14, ?15, ?16)");
    stage_ = Prepare(db,
                     "INSERT INTO stages(case_id, number, name, opened_at, acknowledged_at, "
                     "handler, extension_days, responded_at, outcome, apology, financial, "
                     "escalation_requested_at, escalation_late) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                     "?8, ?9, ?10, ?11, ?12, ?13)");
    deadline_ = Prepare(db,
                        "INSERT INTO deadlines(case_id, stage, kind, due_at, met_at, "
                        "superseded_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    learning_ = Prepare(db,
                        "INSERT INTO learning_actions(case_id, what, owner, due_on, done_at, "
                        "added_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  }
  ~Filler() {
    for (sqlite3_stmt* s : {case_, stage_, deadline_, learning_}) sqlite3_finalize(s);
  }

  void Add(long id) {
    Rng rng(static_cast<uint64_t>(id));
    CaseRow c = Make(rng);
    InsertCase(id, c);
    for (const StageRow& s : c.stages) InsertStage(id, s);
    for (const StageRow& s : c.stages) MaybeLearning(id, s, rng);
    ++generated_.cases;
    if (c.type != "complaint" || c.status == "refused") return;
    for (const StageRow& s : c.stages) {
      if (s.number == 1 && InYear(s.opened)) ++generated_.stage1_received;
      if (s.number == 2 && InYear(s.opened)) ++generated_.stage2_received;
      if (s.number == 1 && InYear(s.escalation_requested)) ++generated_.escalation_requests;
    }
  }

  const Generated& generated() const { return generated_; }

 private:
  CaseRow Make(Rng& rng) {
    CaseRow c;
    c.received = rng.DaysAfter(kFirstDay, rng.Below(kDaySpan));
    c.type = Pick<std::string>(
        rng,
        {{"complaint", 85}, {"service_request", 8}, {"compliment", 4}, {"comment", 2}, {"asb", 1}});
    c.channel = Pick<std::string>(
        rng, {{"email", 55}, {"web", 20}, {"phone", 15}, {"letter", 7}, {"visit", 3}});
    c.area = Pick<std::string>(rng, {{"repairs", 38},
                                     {"damp_and_mould", 14},
                                     {"asb_handling", 8},
                                     {"staff_conduct", 7},
                                     {"communication", 12},
                                     {"rent_and_charges", 9},
                                     {"estate_services", 7},
                                     {"other", 3},
                                     {"", 2}});
    c.confidence = c.area.empty() ? 0 : 0.35 + rng.Below(64) / 100.0;
    if (!c.area.empty() && rng.Percent(40)) c.area_by = "j.okafor";
    if (c.type == "complaint") {
      Complaint(c, rng);
    } else {
      c.status = "closed";
      c.stage = 0;
      c.closed = rng.DaysAfter(c.received, rng.Between(1, 10));
    }
    return c;
  }

  void Complaint(CaseRow& c, Rng& rng) {
    Instant opened = c.received;
    if (rng.Percent(5)) {  // the landlord's quick fix first, then stage one
      StageRow quick(0, c.received);
      quick.responded = rng.DaysAfter(c.received, 2);
      quick.outcome = "resolved";
      opened = rng.DaysAfter(c.received, rng.Between(3, 6));
      quick.escalation_requested = opened;
      c.stages.push_back(quick);
    }
    StageRow one(1, opened);
    if (rng.Percent(3)) {
      c.status = "refused";
      c.refusal_reason = Pick<std::string>(
          rng,
          {{"older-than-limit", 5}, {"legal-proceedings", 3}, {"already-considered", 2}, {"", 1}});
      c.closed = rng.DaysAfter(opened, 2);
      c.stages.push_back(one);
      return Settle(c);
    }
    Respond(one, rng, 1);
    if (rng.Percent(2)) {
      one.responded.reset();
      one.outcome.clear();
      c.status = "withdrawn";
      c.closed = rng.DaysAfter(opened, rng.Between(3, 8));
      c.stages.push_back(one);
      return Settle(c);
    }
    if (one.responded && rng.Percent(15)) {
      const int after = rng.Between(2, 35);
      one.escalation_requested = rng.DaysAfter(*one.responded, after);
      one.escalation_late = after > 28;
    }
    c.stages.push_back(one);
    if (one.escalation_requested && *one.escalation_requested < kNow) {
      StageRow two(2, *one.escalation_requested);
      Respond(two, rng, 2);
      c.stages.push_back(two);
      c.stage = 2;
      if (two.responded && rng.Percent(12)) {
        c.ombudsman = rng.DaysAfter(*two.responded, rng.Between(20, 200));
        if (rng.Percent(70)) {
          c.ombudsman_outcome = Pick<std::string>(rng, {{"severe_maladministration", 1},
                                                        {"maladministration", 6},
                                                        {"service_failure", 5},
                                                        {"reasonable_redress", 4},
                                                        {"no_maladministration", 6},
                                                        {"outside_jurisdiction", 2}});
        }
      }
    }
    Settle(c);
  }

  // An acknowledgement (mostly within the Code's 5 days), a response (mostly on time, some
  // extended, some late) with its outcome, apology and financial remedy; none after "now".
  static void Respond(StageRow& s, Rng& rng, int stage) {
    s.acknowledged =
        rng.DaysAfter(s.opened, rng.Percent(92) ? rng.Between(0, 4) : rng.Between(8, 12));
    const int respond = stage == 1 ? 10 : 20;  // calendar days, roughly the working days
    const int kind = rng.Below(100);
    int after = rng.Between(respond / 2, respond + 2);
    if (kind >= 80 && kind < 90) {
      s.extension_days = rng.Percent(85) ? rng.Between(respond / 2, respond) : respond + 5;
      after = rng.Between(respond + 5, 2 * respond + 6);
    } else if (kind >= 90) {
      after = rng.Between(2 * respond + 10, 5 * respond);
    }
    if (*s.acknowledged >= kNow) s.acknowledged.reset();
    if (!s.acknowledged) return;
    s.responded = rng.DaysAfter(*s.acknowledged, after);
    if (*s.responded >= kNow) return s.responded.reset();
    s.outcome = Pick<std::string>(rng, {{"upheld", 30}, {"partly_upheld", 25}, {"not_upheld", 45}});
    if (s.outcome == "not_upheld") return;
    s.apology = rng.Percent(70);
    if (!rng.Percent(35)) return;
    const std::string what = Pick<std::string>(rng, {{"time and trouble", 5},
                                                     {"distress and inconvenience", 4},
                                                     {"delay", 3},
                                                     {"rent refund", 1},
                                                     {"damage to belongings", 1}});
    s.financial = "[{\"amount_pence\":" + std::to_string(rng.Between(25, 500) * 100) +
                  ",\"what_for\":\"" + what + "\"}]";
  }

  // The case's status from its last stage.
  static void Settle(CaseRow& c) {
    if (c.status == "refused" || c.status == "withdrawn") return;
    const StageRow& last = c.stages.back();
    c.stage = last.number;
    if (!last.responded) {
      c.status = "open";
    } else if (last.number == 1 && last.escalation_requested) {
      c.status = "responded";  // stage two was asked for after "now"
    } else if (last.responded.value() + days{20} < kNow) {
      c.status = "closed";
      c.closed = last.responded.value() + days{20};
    } else {
      c.status = "responded";
    }
  }

  // The Code's response deadline (tsm.cc's CodeDue), written as the stage's respond deadline.
  Instant CodeDue(const StageRow& s) const {
    const int respond = s.number == 1 ? 10 : 20;
    const Instant ack_due = hours_.DueAt(s.opened, 5);
    const Instant start = s.acknowledged ? std::min(*s.acknowledged, ack_due) : ack_due;
    const Instant due = hours_.DueAt(start, respond);
    const int extension = std::min(s.extension_days, respond);
    if (extension == 0) return due;
    return hours_.CloseOfBusiness(
        hours_.calendar().AddWorkingDays(complaints::ToLondon(due).day, extension));
  }

  void InsertCase(long id, const CaseRow& c) {
    sqlite3_bind_int64(case_, 1, id);
    BindText(case_, 2, "CX-" + std::to_string(id));
    BindText(case_, 3, c.type);
    BindText(case_, 4, c.channel);
    BindText(case_, 5, c.status);
    sqlite3_bind_int(case_, 6, c.stage);
    BindTime(case_, 7, c.received);
    sqlite3_bind_int64(case_, 8, 1 + id % 1000);
    BindText(case_, 9,
             "Resident reports a problem with " + (c.area.empty() ? "their home" : c.area));
    BindText(case_, 10, c.refusal_reason);
    BindTime(case_, 11, c.closed);
    BindText(case_, 12, c.area);
    if (!c.area.empty()) sqlite3_bind_double(case_, 13, c.confidence);
    BindText(case_, 14, c.area_by);
    BindTime(case_, 15, c.ombudsman);
    BindText(case_, 16, c.ombudsman_outcome);
    Run(db_, case_);
  }

  void InsertStage(long id, const StageRow& s) {
    static const char* const kNames[] = {"Quick fix", "Stage 1", "Stage 2"};
    sqlite3_bind_int64(stage_, 1, id);
    sqlite3_bind_int(stage_, 2, s.number);
    BindText(stage_, 3, kNames[s.number]);
    BindTime(stage_, 4, s.opened);
    BindTime(stage_, 5, s.acknowledged);
    BindText(stage_, 6, "handler" + std::to_string(id % 40));
    sqlite3_bind_int(stage_, 7, s.extension_days);
    BindTime(stage_, 8, s.responded);
    BindText(stage_, 9, s.outcome);
    sqlite3_bind_int(stage_, 10, s.apology);
    BindText(stage_, 11, s.financial);
    BindTime(stage_, 12, s.escalation_requested);
    sqlite3_bind_int(stage_, 13, s.escalation_late);
    Run(db_, stage_);
    ++generated_.stages;
    if (s.number == 0) return;
    Deadline(id, s.number, "acknowledge", hours_.DueAt(s.opened, 5), s.acknowledged, {});
    const Instant due = CodeDue(s);
    if (s.extension_days > 0) {
      StageRow unextended = s;
      unextended.extension_days = 0;
      Deadline(id, s.number, "respond", CodeDue(unextended), {}, s.acknowledged);
    }
    Deadline(id, s.number, "respond", due, s.responded, {});
  }

  void Deadline(long id, int stage, const char* kind, Instant due, std::optional<Instant> met,
                std::optional<Instant> superseded) {
    sqlite3_bind_int64(deadline_, 1, id);
    sqlite3_bind_int(deadline_, 2, stage);
    sqlite3_bind_text(deadline_, 3, kind, -1, SQLITE_STATIC);
    BindTime(deadline_, 4, due);
    BindTime(deadline_, 5, met);
    BindTime(deadline_, 6, superseded);
    Run(db_, deadline_);
    ++generated_.deadlines;
  }

  // Some upheld responses lead to a learning action, most of them done since.
  void MaybeLearning(long id, const StageRow& s, Rng& rng) {
    if (!s.responded || (s.outcome != "upheld" && s.outcome != "partly_upheld")) return;
    if (!rng.Percent(8)) return;
    const std::optional<Instant> done = rng.DaysAfter(*s.responded, rng.Between(20, 120));
    sqlite3_bind_int64(learning_, 1, id);
    BindText(learning_, 2, "Brief the repairs team on what went wrong in this case");
    BindText(learning_, 3, "Head of Repairs");
    sqlite3_bind_int64(
        learning_, 4,
        (std::chrono::floor<days>(*s.responded) + days{60}).time_since_epoch().count());
    BindTime(learning_, 5, rng.Percent(60) && *done < kNow ? done : std::nullopt);
    BindTime(learning_, 6, *s.responded);
    Run(db_, learning_);
    ++generated_.learning;
  }

  sqlite3* db_;
  const BusinessHours& hours_;
  sqlite3_stmt* case_ = nullptr;
  sqlite3_stmt* stage_ = nullptr;
  sqlite3_stmt* deadline_ = nullptr;
  sqlite3_stmt* learning_ = nullptr;
  Generated generated_;
};

Generated Fill(const std::string& path, long cases, const BusinessHours& hours) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  Exec(db, "PRAGMA synchronous = OFF");
  Exec(db, "BEGIN");
  sqlite3_stmt* contact =
      Prepare(db, "INSERT INTO contacts(id, name, created_at) VALUES(?1, ?2, 0)");
  for (int i = 1; i <= 1000; ++i) {
    sqlite3_bind_int(contact, 1, i);
    BindText(contact, 2, "Resident " + std::to_string(i));
    Run(db, contact);
  }
  sqlite3_finalize(contact);
  Generated generated;
  {
    Filler filler(db, hours);
    for (long id = 1; id <= cases; ++id) filler.Add(id);
    generated = filler.generated();
  }
  Exec(db, "COMMIT");
  Exec(db, "ANALYZE");
  Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");  // both sides read the database file, not the log
  sqlite3_close(db);
  return generated;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// A line of /proc/self/status in kB ("VmHWM:", "VmRSS:").
long StatusKb(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
  }
  return 0;
}

// Resets VmHWM to the current RSS (Linux 4.0 and later).
void ResetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

// The headline figures, keyed as peer_report.py prints them; zeros left out on both sides.
Figures HeadlineFigures(const complaints::AnnualReport& r) {
  Figures f;
  for (int i = 0; i < 12; ++i) {
    char month[8];
    std::snprintf(month, sizeof month, "%04d-%02d", i < 9 ? r.year : r.year + 1, (i + 3) % 12 + 1);
    f["received.1." + std::string(month)] = r.received_by_month[static_cast<size_t>(i)].stage1;
    f["received.2." + std::string(month)] = r.received_by_month[static_cast<size_t>(i)].stage2;
  }
  f["responded.1"] = r.tsm.stage1_responded;
  f["on_time.1"] = r.tsm.stage1_on_time;
  f["responded.2"] = r.tsm.stage2_responded;
  f["on_time.2"] = r.tsm.stage2_on_time;
  for (int stage : {1, 2}) {
    const complaints::OutcomeCounts& o = stage == 1 ? r.outcomes_stage1 : r.outcomes_stage2;
    const std::string p = "outcome." + std::to_string(stage) + ".";
    f[p + "upheld"] = o.upheld;
    f[p + "partly_upheld"] = o.partly_upheld;
    f[p + "not_upheld"] = o.not_upheld;
  }
  for (const auto& [channel, n] : r.complaints_by_channel) f["channel." + channel] = n;
  for (const complaints::ThemeLine& t : r.themes) {
    f["area." + t.area] = t.complaints;
    f["area_confirmed." + t.area] = t.confirmed;
    f["area_upheld." + t.area] = t.upheld;
  }
  std::erase_if(f, [](const auto& item) { return item.second == 0; });
  return f;
}

struct OursRun {
  double report_s = 0, documents_s = 0;
  long peak_kb = 0, before_kb = 0;
  size_t html = 0, csv = 0, pdf = 0;
  Figures figures;
  complaints::TsmReport tsm;
  long escalation_requests = 0;
};

OursRun Ours(complaints::CaseStore& store, const BusinessHours& hours,
             const complaints::Policy& policy) {
  OursRun run;
  ResetPeak();
  run.before_kb = StatusKb("VmRSS:");
  const auto start = Steady::now();
  auto report = complaints::ComputeAnnualReport(store, hours, policy, kYear, 12450, {});
  if (!report) {
    std::fprintf(stderr, "report: %s\n", report.error().c_str());
    std::exit(1);
  }
  const auto computed = Steady::now();
  run.html = complaints::AnnualHtml(*report, "6 December 2026").size();
  run.csv = complaints::AnnualCsv(*report).size();
  auto pdf = complaints::AnnualPdf(*report, "6 December 2026");
  if (!pdf) {
    std::fprintf(stderr, "pdf: %s\n", pdf.error().c_str());
    std::exit(1);
  }
  run.pdf = pdf->size();
  const auto done = Steady::now();
  run.report_s = std::chrono::duration<double>(computed - start).count();
  run.documents_s = std::chrono::duration<double>(done - computed).count();
  run.peak_kb = StatusKb("VmHWM:");
  run.figures = HeadlineFigures(*report);
  run.tsm = report->tsm;
  run.escalation_requests = report->escalation_requests;
  run.tsm.lines.clear();
  return run;
}

struct PeerRun {
  double seconds = 0;
  long peak_kb = 0;  // the python process's maximum RSS as /usr/bin/time -v reports it
  Figures figures;
};

// Runs `argv` with its stdout read into `out`; false when it could not run or failed.
bool RunChild(std::vector<std::string> args, std::string& out) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  char buffer[4096];
  for (ssize_t n; rc == 0 && (n = read(fds[0], buffer, sizeof buffer)) > 0;) {
    out.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  return rc == 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

// The peer under /usr/bin/time (its "Maximum resident set size"): the child's own ru_maxrss from
// wait4 would not do, because a child spawned from this process starts with this process's peak
// (Linux carries the old address space's high-water mark across exec).
PeerRun Peer(const std::string& script, const std::string& db) {
  const std::string measured = db + ".peer-rss";
  PeerRun run;
  std::string text;
  const auto start = Steady::now();
  if (!RunChild({"/usr/bin/time", "-f", "%M", "-o", measured, "python3", script, db,
                 std::to_string(kYear)},
                text)) {
    std::fprintf(stderr, "python3 %s failed (needs /usr/bin/time and python3)\n", script.c_str());
    std::exit(1);
  }
  run.seconds = std::chrono::duration<double>(Steady::now() - start).count();
  std::ifstream(measured) >> run.peak_kb;
  std::filesystem::remove(measured);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) run.figures[line.substr(0, eq)] = std::stol(line.substr(eq + 1));
  }
  std::erase_if(run.figures, [](const auto& item) { return item.second == 0; });
  return run;
}

// "all 71 agree", or the figures that differ.
std::string Compare(const Figures& ours, const Figures& peer) {
  std::string differ;
  Figures all = ours;
  all.insert(peer.begin(), peer.end());
  for (const auto& [key, unused] : all) {
    const long a = ours.count(key) ? ours.at(key) : 0;
    const long b = peer.count(key) ? peer.at(key) : 0;
    if (a != b)
      differ += " " + key + " (ours " + std::to_string(a) + ", peer " + std::to_string(b) + ")";
  }
  if (differ.empty()) return "all " + std::to_string(all.size()) + " agree";
  return "DIFFER:" + differ;
}

}  // namespace

int main(int argc, char** argv) {
  const long cases = argc > 1 ? std::stol(argv[1]) : 1000000;
  const std::string path = argc > 2 ? argv[2] : "/tmp/complaintsd-report-bench.db";
  const int runs = argc > 3 ? std::stoi(argv[3]) : 3;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  const BusinessHours hours(complaints::WorkingCalendar(), std::chrono::hours{17});
  auto store = std::move(complaints::SqliteCaseStore::Open(path)).value();
  const auto fill_start = Steady::now();
  const Generated g = Fill(path, cases, hours);
  std::printf("filled %ld cases (%ld stages, %ld deadlines, %ld learning actions) in %.1f s\n",
              g.cases, g.stages, g.deadlines, g.learning,
              std::chrono::duration<double>(Steady::now() - fill_start).count());

  const complaints::Policy policy = *complaints::LoadPolicy(std::string(COMPLAINTSD_SOURCE_DIR) +
                                                            "/config/policies/hos-code-2024.json");
  const std::string script = std::string(COMPLAINTSD_SOURCE_DIR) + "/bench/report/peer_report.py";
  std::vector<double> ours_s, report_s, documents_s, peer_s;
  OursRun ours;
  PeerRun peer;
  long ours_peak = 0, ours_before = 0, peer_peak = 0;
  for (int i = 0; i < runs; ++i) {
    ours = Ours(*store, hours, policy);
    ours_s.push_back(ours.report_s + ours.documents_s);
    report_s.push_back(ours.report_s);
    documents_s.push_back(ours.documents_s);
    ours_peak = std::max(ours_peak, ours.peak_kb);
    if (i == 0) ours_before = ours.before_kb;  // the process before its first report
    peer = Peer(script, path);
    peer_s.push_back(peer.seconds);
    peer_peak = std::max(peer_peak, peer.peak_kb);
  }
  std::printf(
      "financial year 2025-26: stage one received %ld (generated %ld), stage two %ld "
      "(generated %ld); responded %ld / %ld, on time %ld / %ld; escalation requests %ld "
      "(generated %ld)\n",
      ours.tsm.stage1_received, g.stage1_received, ours.tsm.stage2_received, g.stage2_received,
      ours.tsm.stage1_responded, ours.tsm.stage2_responded, ours.tsm.stage1_on_time,
      ours.tsm.stage2_on_time, ours.escalation_requests, g.escalation_requests);
  std::printf(
      "complaintsd: ComputeAnnualReport + HTML + CSV + PDF  %8.2f s  (report %.2f s, "
      "documents %.2f s; HTML %zu kB, CSV %zu kB, PDF %zu kB)  peak RSS %6.1f MB "
      "(VmHWM; %.1f MB before the first)  median of %d\n",
      Median(ours_s), Median(report_s), Median(documents_s), ours.html / 1024, ours.csv / 1024,
      ours.pdf / 1024, ours_peak / 1024.0, ours_before / 1024.0, runs);
  std::printf(
      "peer: python3 sqlite3 GROUP BY queries (child)        %8.2f s  peak RSS %6.1f MB "
      "(/usr/bin/time -v's maximum RSS)  median of %d\n",
      Median(peer_s), peer_peak / 1024.0, runs);
  std::printf("headline figures, ours against the peer's: %s\n",
              Compare(ours.figures, peer.figures).c_str());
  return 0;
}
