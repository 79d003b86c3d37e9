// bench/web: the workbench's queue (GET /cases, its first page of 50 sorted by the next due date)
// with 100,000 cases in the store, served by the real complaintsd, beside `complaintsctl cases
// list` on the same store (the peer: what staff ran before the workbench). Prints the median and
// 95th percentile of each, and the daemon's memory while serving.
//
//   build/bench/web/web_bench [CASES] [REQUESTS] [DIR]
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon/calendar/london_time.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/staff/staff_accounts.h"

extern char** environ;

namespace {

using complaints::Instant;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n", error);
    std::exit(1);
  }
}

// CASES cases straight through SQLite, shaped like a landlord's store: one resident each, a
// stage with one of twelve handlers, acknowledge and respond deadlines spread over the coming
// weeks (many already breached, and recorded so), a fifth of them closed.
void Fill(const std::string& path, long cases, Instant now) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  Exec(db, "PRAGMA synchronous = OFF");
  Exec(db, "BEGIN");
  sqlite3_stmt *contact = nullptr, *email = nullptr, *c = nullptr, *stage = nullptr,
               *deadline = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO contacts(id, name, address, created_at) VALUES(?1, ?2, ?3, 0)",
                     -1, &contact, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO contact_emails(contact_id, email) VALUES(?1, ?2)", -1, &email,
                     nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO cases(id, reference, policy_id, type, channel, status, stage, "
                     "received_at, contact_id, summary, next_due_at) VALUES(?1, ?2, 'westway', "
                     "?3, 'email', ?4, 1, ?5, ?1, 'The boiler is still broken', ?6)",
                     -1, &c, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO stages(case_id, number, name, opened_at, handler) VALUES(?1, 1, "
                     "'Stage one', ?2, ?3)",
                     -1, &stage, nullptr);
  sqlite3_prepare_v2(
      db,
      "INSERT INTO deadlines(case_id, stage, kind, due_at, met_at, warned_at, breached_at) "
      "VALUES(?1, 1, ?2, ?3, ?4, ?5, ?5)",
      -1, &deadline, nullptr);
  const int64_t base = now.time_since_epoch().count();
  for (long i = 1; i <= cases; ++i) {
    const std::string name = "Resident " + std::to_string(i);
    const std::string address =
        std::to_string(i % 200 + 1) + " Westway Road, W12 " + std::to_string(i % 9 + 1) + "AB";
    sqlite3_bind_int64(contact, 1, i);
    sqlite3_bind_text(contact, 2, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(contact, 3, address.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(contact);
    sqlite3_reset(contact);
    const std::string mail = "resident" + std::to_string(i) + "@example.org";
    sqlite3_bind_int64(email, 1, i);
    sqlite3_bind_text(email, 2, mail.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(email);
    sqlite3_reset(email);
    const bool closed = i % 5 == 0;
    const int64_t received = base - (cases - i) * 600;  // one every ten minutes
    const int64_t respond = received + 14 * 86400;
    const std::string ref = "WW-2026-" + std::to_string(100000 + i);
    sqlite3_bind_int64(c, 1, i);
    sqlite3_bind_text(c, 2, ref.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(c, 3, i % 7 == 0 ? "service_request" : "complaint", -1, SQLITE_STATIC);
    sqlite3_bind_text(c, 4, closed ? "closed" : "open", -1, SQLITE_STATIC);
    sqlite3_bind_int64(c, 5, received);
    sqlite3_bind_int64(c, 6, closed ? 253402300799 : respond);
    sqlite3_step(c);
    sqlite3_reset(c);
    const std::string handler = "officer" + std::to_string(i % 12);
    sqlite3_bind_int64(stage, 1, i);
    sqlite3_bind_int64(stage, 2, received);
    sqlite3_bind_text(stage, 3, handler.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(stage);
    sqlite3_reset(stage);
    for (int k = 0; k < 2; ++k) {
      sqlite3_bind_int64(deadline, 1, i);
      sqlite3_bind_text(deadline, 2, k == 0 ? "acknowledge" : "respond", -1, SQLITE_STATIC);
      sqlite3_bind_int64(deadline, 3, k == 0 ? received + 2 * 86400 : respond);
      const int64_t due_at = k == 0 ? received + 2 * 86400 : respond;
      if (k == 0 || closed) {
        sqlite3_bind_int64(deadline, 4, received + 3600);
      } else {
        sqlite3_bind_null(deadline, 4);
      }
      // Deadlines already past were warned about and recorded as breached long ago, so the
      // daemon's deadline watcher has nothing to write while the pages are timed.
      if (due_at < base) {
        sqlite3_bind_int64(deadline, 5, due_at);
      } else {
        sqlite3_bind_null(deadline, 5);
      }
      sqlite3_step(deadline);
      sqlite3_reset(deadline);
    }
  }
  for (auto* s : {contact, email, c, stage, deadline}) sqlite3_finalize(s);
  Exec(db, "COMMIT");
  sqlite3_close(db);
}

struct Figures {
  double median = 0, p95 = 0;
};
Figures Summary(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)]};
}

pid_t Spawn(const std::vector<std::string>& argv, const std::string& out) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&files, 2, (out + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], &files, nullptr, args.data(), environ) != 0) {
    std::fprintf(stderr, "cannot start %s\n", args[0]);
    std::exit(1);
  }
  posix_spawn_file_actions_destroy(&files);
  return pid;
}

int FreePort() {
  Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
  return s.address().port();
}

// Kilobytes of the process's resident set now and at its peak.
std::pair<long, long> Memory(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  long rss = 0, hwm = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::stol(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) hwm = std::stol(line.substr(6));
  }
  return {rss, hwm};
}

}  // namespace

int main(int argc, char** argv) {
  const long cases = argc > 1 ? std::stol(argv[1]) : 100000;
  const int requests = argc > 2 ? std::stoi(argv[2]) : 200;
  const std::string dir = argc > 3 ? argv[3] : "/tmp/complaintsd-web-bench";
  fs::remove_all(dir);
  fs::create_directories(dir + "/Maildir/new");
  fs::create_directories(dir + "/outbox");
  std::ofstream(dir + "/key") << "bench-key\n";
  fs::permissions(dir + "/key", fs::perms::owner_read | fs::perms::owner_write);
  const std::string store = dir + "/c.db";
  const Instant now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  {
    auto opened = complaints::SqliteCaseStore::Open(store);
    if (!opened) {
      std::fprintf(stderr, "%s\n", opened.error().c_str());
      return 1;
    }
  }
  const auto fill_start = Steady::now();
  Fill(store, cases, now);
  std::printf("filled %ld cases in %.1f s\n", cases,
              std::chrono::duration<double>(Steady::now() - fill_start).count());
  std::string session;
  {
    auto accounts = complaints::StaffAccounts::Open(store, complaints::LoginPolicy{});
    (void)(*accounts)->Add("bench", "Bench Officer", complaints::StaffRole::kManager,
                           "a long enough passphrase");
    session = (*accounts)->LogIn("bench", "a long enough passphrase", now)->session_id;
  }
  const int web_port = FreePort();
  std::ofstream(dir + "/c.properties")
      << "store.path = c.db\nmailbox.maildir = Maildir\noutbox.kind = pickup\n"
      << "outbox.pickup-dir = outbox\nmail.from = complaints@westway.example\n"
      << "mail.signing-key-file = key\npolicy.file = " << COMPLAINTSD_SOURCE_DIR
      << "/config/policies/westway.json\nhttp.listen = 127.0.0.1:" << FreePort()
      << "\nweb.listen = 127.0.0.1:" << web_port << "\nweb.assets-dir = " << COMPLAINTSD_SOURCE_DIR
      << "/web\n";
  const pid_t daemon =
      Spawn({COMPLAINTSD_BINARY_DIR "/daemon/complaintsd", "--config", dir + "/c.properties"},
            dir + "/daemon.log");
  auto get = [&](Poco::Net::HTTPClientSession& http, const std::string& path, std::string* body) {
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::NameValueCollection cookies;
    cookies.add("complaints_session", session);
    request.setCookies(cookies);
    http.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = http.receiveResponse(response);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    if (body) *body = std::move(text);
    return static_cast<int>(response.getStatus());
  };
  Poco::Net::HTTPClientSession http("127.0.0.1", static_cast<Poco::UInt16>(web_port));
  http.setKeepAlive(true);
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    try {
      up = get(http, "/healthz", nullptr) == 200;
    } catch (const Poco::Exception&) {
      http.reset();
      std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
  }
  if (!up) {
    std::fprintf(stderr, "the daemon did not start; see %s/daemon.log.err\n", dir.c_str());
    kill(daemon, SIGTERM);
    return 1;
  }
  const auto [idle_rss, idle_hwm] = Memory(daemon);
  std::string page;
  if (get(http, "/cases", &page) != 200 || page.find("WW-2026-") == std::string::npos) {
    std::fprintf(stderr, "GET /cases did not give the queue\n");
    kill(daemon, SIGTERM);
    return 1;
  }
  auto time_path = [&](const std::string& path) {
    std::vector<double> ms;
    for (int i = 0; i < requests; ++i) {
      const auto start = Steady::now();
      get(http, path, nullptr);
      ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
    }
    return Summary(ms);
  };
  const Figures queue = time_path("/cases");
  const Figures queue_page = time_path("/cases?page=100");
  const Figures search = time_path("/cases?q=resident4242%40example.org");
  const Figures by_name = time_path("/cases?q=resident+4242");
  const Figures home = time_path("/");
  const auto [rss, hwm] = Memory(daemon);

  // The peer, on the same store while the daemon runs: a process per listing, as staff ran it.
  std::vector<double> ctl_ms;
  const int ctl_runs = std::max(5, requests / 10);
  for (int i = 0; i < ctl_runs; ++i) {
    const auto start = Steady::now();
    const pid_t ctl =
        Spawn({COMPLAINTSD_BINARY_DIR "/daemon/complaintsctl", "--db", store, "--policy",
               COMPLAINTSD_SOURCE_DIR "/config/policies/westway.json", "cases", "list"},
              dir + "/ctl.out");
    int status = 0;
    waitpid(ctl, &status, 0);
    ctl_ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
  }
  const Figures ctl = Summary(ctl_ms);
  long ctl_lines = 0;
  {
    std::ifstream in(dir + "/ctl.out");
    for (std::string line; std::getline(in, line);) ++ctl_lines;
  }
  kill(daemon, SIGTERM);
  int status = 0;
  waitpid(daemon, &status, 0);

  std::printf("%ld cases (%ld open), %d requests each, one keep-alive connection\n", cases,
              cases - cases / 5, requests);
  std::printf("%-52s %10s %10s\n", "", "median ms", "p95 ms");
  std::printf("%-52s %10.2f %10.2f\n", "workbench GET /cases (first 50 by next due date)",
              queue.median, queue.p95);
  std::printf("%-52s %10.2f %10.2f\n", "workbench GET /cases?page=100", queue_page.median,
              queue_page.p95);
  std::printf("%-52s %10.2f %10.2f\n", "workbench GET /cases?q=EMAIL (search)", search.median,
              search.p95);
  std::printf("%-52s %10.2f %10.2f\n", "workbench GET /cases?q=NAME (search, part of a name)",
              by_name.median, by_name.p95);
  std::printf("%-52s %10.2f %10.2f\n", "workbench GET / (home: due, breached, triage)", home.median,
              home.p95);
  std::printf("%-52s %10.2f %10.2f\n",
              ("peer: complaintsctl cases list (" + std::to_string(ctl_lines) + " lines)").c_str(),
              ctl.median, ctl.p95);
  std::printf("daemon memory: %.1f MB resident before the requests, %.1f MB after, peak %.1f MB\n",
              idle_rss / 1024.0, rss / 1024.0, std::max(idle_hwm, hwm) / 1024.0);
  return 0;
}
