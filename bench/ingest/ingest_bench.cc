// bench/ingest: a backlog of the SpamAssassin ham (2,750 real messages) in a real Dovecot,
// processed end to end by `complaintsd --once` (fetch, store, parse, classify, open cases, queue
// acknowledgements, move to Processed), beside the peers on the same mailbox in the same run:
// mbsync (isync) copying it to a Maildir, and one raw `UID FETCH 1:* BODY.PEEK[]` (the floor).
// Then the delay from delivery to a committed case with IDLE, over 50 messages one at a time.
// Peak resident memory of complaintsd and mbsync is read from wait4's rusage.
//
//   build/bench/ingest/ingest_bench [CORPUS_DIR]   (default ../shared/corpora/mime/spamassassin)
//
// Messages reach Dovecot by IMAP APPEND (libcurl), so Dovecot's own index knows of them at once, as
// with LMTP delivery. (Files dropped straight into a Maildir are seen by IDLE only when Dovecot
// next notices the folder changed, which can take until the client's next IDLE.)
#include <curl/curl.h>
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon/intake/imap_source.h"
#include "tests/integration/dovecot.h"
#include "tests/integration/processes.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using complaints::integration::Child;
using complaints::integration::Dovecot;
using Steady = std::chrono::steady_clock;

struct Run {
  double seconds = 0;
  long max_rss_kb = 0;
  int status = -1;
};

Run Timed(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const auto start = Steady::now();
  pid_t pid = -1;
  Run run;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) return run;
  struct rusage usage {};
  int status = 0;
  wait4(pid, &status, 0, &usage);
  run.seconds = std::chrono::duration<double>(Steady::now() - start).count();
  run.max_rss_kb = usage.ru_maxrss;
  run.status = status;
  posix_spawn_file_actions_destroy(&actions);
  return run;
}

std::vector<std::string> Corpus(const std::string& dir) {
  std::vector<fs::path> files;
  for (const char* sub : {"easy-ham-1", "hard-ham-1"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir + "/" + sub, ec)) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const fs::path& f : files) {
    std::string raw = complaints::integration::ReadFile(f.string());
    if (raw.rfind("From ", 0) == 0) raw.erase(0, raw.find('\n') + 1);  // the mbox separator
    if (!raw.empty()) out.push_back(std::move(raw));
  }
  return out;
}

size_t Files(const std::string& dir) { return complaints::integration::MaildirFiles(dir); }

long Count(const std::string& db, const char* sql) {
  sqlite3* h = nullptr;
  long n = -1;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(h, 1000);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(h, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
      n = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(h);
  return n;
}

// APPEND over IMAP through libcurl (one connection, reused), as a mail server's delivery would
// reach Dovecot's own index.
class Appender {
 public:
  Appender(int port) : curl_(curl_easy_init()) {
    url_ = "imap://127.0.0.1:" + std::to_string(port) + "/INBOX";
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_USERNAME, "complaints");
    curl_easy_setopt(curl_, CURLOPT_PASSWORD, "secret");
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, Read);
    curl_easy_setopt(curl_, CURLOPT_READDATA, this);
  }
  ~Appender() { curl_easy_cleanup(curl_); }
  bool Append(const std::string& raw) {
    // IMAP wants CRLF line ends in an APPEND literal.
    body_.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) body_ += '\r';
      body_ += raw[i];
    }
    offset_ = 0;
    curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_.size()));
    return curl_easy_perform(curl_) == CURLE_OK;
  }

 private:
  static size_t Read(char* to, size_t size, size_t n, void* self) {
    auto* a = static_cast<Appender*>(self);
    const size_t take = std::min(size * n, a->body_.size() - a->offset_);
    std::memcpy(to, a->body_.data() + a->offset_, take);
    a->offset_ += take;
    return take;
  }
  CURL* curl_;
  std::string url_, body_;
  size_t offset_ = 0;
};

std::string Complaint(int i) {
  return "From: Resident " + std::to_string(i) + " <r" + std::to_string(i) +
         "@example.org>\r\nTo: complaints@westway.example\r\nSubject: Still no heating\r\n"
         "Message-ID: <lat" +
         std::to_string(i) +
         "@example.org>\r\nDate: Mon, 9 Nov 2026 10:00:00 +0000\r\n\r\nThis is the third time "
         "I have asked. Nobody came on Tuesday and nobody rang. I am not happy.\r\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string corpus_dir =
      argc > 1 ? argv[1] : COMPLAINTSD_SOURCE_DIR "/../shared/corpora/mime/spamassassin";
  const std::vector<std::string> messages = Corpus(corpus_dir);
  if (messages.empty()) {
    std::fprintf(stderr, "ingest_bench: no messages under %s\n", corpus_dir.c_str());
    return 1;
  }
  size_t bytes = 0;
  for (const std::string& m : messages) bytes += m.size();
  const std::string dir = complaints::integration::TempDir("ib");
  Dovecot dovecot(dir + "/d", Dovecot::Options{});
  Appender appender(dovecot.port());
  const auto append_start = Steady::now();
  size_t appended = 0;
  for (const std::string& m : messages) appended += appender.Append(m);
  const double append_seconds = std::chrono::duration<double>(Steady::now() - append_start).count();
  const std::string inbox = dovecot.Maildir("complaints");
  std::printf(
      "backlog: %zu of %zu messages, %.1f MB, APPENDed in %.1f s to Dovecot on "
      "127.0.0.1:%d\n",
      appended, messages.size(), static_cast<double>(bytes) / 1e6, append_seconds, dovecot.port());

  // mbsync: the same mailbox copied to a local Maildir.
  std::ofstream(dir + "/mbsyncrc")
      << "IMAPAccount bench\nHost 127.0.0.1\nPort " << dovecot.port()
      << "\nUser complaints\nPass secret\nSSLType None\nAuthMechs LOGIN\n\n"
      << "IMAPStore remote\nAccount bench\n\nMaildirStore local\nPath " << dir << "/copy/\nInbox "
      << dir << "/copy/INBOX\n\n"
      << "Channel bench\nFar :remote:INBOX\nNear :local:INBOX\nSync Pull\nCreate Near\n"
      << "SyncState *\n";
  chmod((dir + "/mbsyncrc").c_str(), 0600);
  fs::create_directories(dir + "/copy");
  const Run mbsync =
      Timed({"/usr/bin/mbsync", "-q", "-c", dir + "/mbsyncrc", "bench"}, dir + "/mbsync.log");
  const size_t copied = Files(dir + "/copy/INBOX");

  // The floor: one connection, one UID FETCH of everything.
  complaints::ImapSettings imap;
  imap.url = dovecot.url();
  imap.user = "complaints";
  imap.password = "secret";
  imap.require_tls = false;
  double raw_seconds = 0;
  size_t raw_count = 0;
  {
    complaints::ImapSource source(imap);
    const auto start = Steady::now();
    auto opened = source.Open();
    auto uids = opened ? source.UidsAfter(0) : decltype(source.UidsAfter(0))::Error("no");
    auto fetched = uids ? source.Fetch(*uids) : decltype(source.Fetch({}))::Error("no");
    raw_seconds = std::chrono::duration<double>(Steady::now() - start).count();
    raw_count = fetched ? fetched->size() : 0;
  }

  // complaintsd, one pass over the whole backlog.
  std::ofstream(dir + "/key") << "bench-key\n";
  std::ofstream(dir + "/imap-password") << "secret\n";
  chmod((dir + "/key").c_str(), 0600);
  chmod((dir + "/imap-password").c_str(), 0600);
  std::ofstream(dir + "/c.properties")
      << "store.path = c.db\nmailbox.kind = imap\nmailbox.url = " << dovecot.url()
      << "\nmailbox.user = complaints\nmailbox.password-file = imap-password\n"
      << "mailbox.starttls = false\noutbox.kind = pickup\noutbox.pickup-dir = outbox\n"
      << "mail.from = complaints@westway.example\nmail.signing-key-file = key\n"
      << "policy.file = " << COMPLAINTSD_SOURCE_DIR << "/config/policies/westway.json\n"
      << "http.listen = 127.0.0.1:" << complaints::integration::FreeTcpPort() << "\n";
  const std::string daemon = COMPLAINTSD_BINARY_DIR "/daemon/complaintsd";
  const Run ours = Timed({daemon, "--config", dir + "/c.properties", "--once"}, dir + "/once.log");
  const size_t processed = Files(inbox + "/.Processed") + Files(inbox + "/.Quarantine");
  const long stored = Count(dir + "/c.db", "SELECT count(*) FROM messages WHERE direction = 'in'");
  const long cases = Count(dir + "/c.db", "SELECT count(*) FROM cases");
  const long queued = Count(dir + "/c.db", "SELECT count(*) FROM outbox");

  std::printf("%-46s %7.2f s  %6.0f msg/s  peak RSS %5.1f MB  (%zu copied)\n",
              "mbsync (isync) to a Maildir (peer)", mbsync.seconds,
              messages.size() / mbsync.seconds, mbsync.max_rss_kb / 1024.0, copied);
  std::printf("%-46s %7.2f s  %6.0f msg/s  (%zu fetched)\n",
              "one UID FETCH 1:* BODY.PEEK[] (floor)", raw_seconds, messages.size() / raw_seconds,
              raw_count);
  std::printf("%-46s %7.2f s  %6.0f msg/s  peak RSS %5.1f MB\n", "complaintsd --once, end to end",
              ours.seconds, messages.size() / ours.seconds, ours.max_rss_kb / 1024.0);
  std::printf(
      "  %zu moved out of INBOX, %ld stored, %ld cases, %ld messages queued; "
      "%.2f x mbsync's time (goal: at most 1.5)\n",
      processed, stored, cases, queued, ours.seconds / mbsync.seconds);

  // Delay from delivery to a committed case, with the daemon idling on the (now empty) INBOX.
  Child running({daemon, "--config", dir + "/c.properties"}, dir + "/daemon.log");
  std::this_thread::sleep_for(std::chrono::seconds{2});  // connected and idling
  std::vector<double> delays;
  for (int i = 0; i < 50; ++i) {
    const long before = Count(dir + "/c.db", "SELECT count(*) FROM cases");
    const auto start = Steady::now();
    appender.Append(Complaint(i));
    while (Count(dir + "/c.db", "SELECT count(*) FROM cases") <= before) {
      if (Steady::now() - start > std::chrono::seconds{30}) break;
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
    }
    delays.push_back(std::chrono::duration<double>(Steady::now() - start).count());
  }
  running.Stop(SIGTERM, std::chrono::seconds{10});
  std::sort(delays.begin(), delays.end());
  std::printf(
      "delivery to committed case with IDLE, 50 messages: median %.3f s, 95th percentile "
      "%.3f s, worst %.3f s (goal: 95th under 2 s)\n",
      delays[delays.size() / 2], delays[delays.size() * 95 / 100], delays.back());
  if (std::getenv("INGEST_BENCH_KEEP")) {
    std::printf("kept: %s\n", dir.c_str());
  } else {
    fs::remove_all(dir);
  }
  return 0;
}
