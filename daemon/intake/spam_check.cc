#include "daemon/intake/spam_check.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "daemon/base/subprocess.h"
#include "parsers/result.h"

namespace complaints {
namespace {

// The message in a new private temporary file (mkostemp: mode 0600); removed by the destructor.
class TempMessage {
 public:
  static Result<std::unique_ptr<TempMessage>> Write(std::string_view raw) {
    using R = Result<std::unique_ptr<TempMessage>>;
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    std::string path = (dir / "complaintsd-spamc-XXXXXX").string();
    const int fd = mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) return R::Error("no temporary file in " + dir.string() + ": " + strerror(errno));
    auto file = std::unique_ptr<TempMessage>(new TempMessage(path));
    for (size_t done = 0; done < raw.size();) {
      const ssize_t n = write(fd, raw.data() + done, raw.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int error = errno;
        close(fd);
        return R::Error("cannot write " + path + ": " + strerror(error));
      }
      done += static_cast<size_t>(n);
    }
    if (close(fd) != 0) return R::Error("cannot write " + path + ": " + strerror(errno));
    return file;
  }
  ~TempMessage() { unlink(path_.c_str()); }
  TempMessage(const TempMessage&) = delete;
  TempMessage& operator=(const TempMessage&) = delete;
  const std::string& path() const { return path_; }

 private:
  explicit TempMessage(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// spamc with the message file as its standard input. -x: a failure is an exit code, not the
// message passed through as if clean; -R: the score line and the rules hit, for ham and spam.
Result<ChildExit> RunSpamc(const std::string& input, const SpamdSettings& s) {
  const std::string seconds = std::to_string(std::max<long long>(1, s.timeout.count()));
  ChildRun run;
  run.argv = {"/bin/sh",
              "-c",
              "exec \"$0\" \"$@\" < \"$COMPLAINTSD_SPAMC_INPUT\"",
              s.spamc,
              "-x",
              "-R",
              "-d",
              s.host,
              "-p",
              std::to_string(s.port),
              "-t",
              seconds,
              "-n",
              seconds,
              "--connect-retries=1",
              "-s",
              std::to_string(s.max_bytes)};
  run.extra_env = {"COMPLAINTSD_SPAMC_INPUT=" + input};
  run.timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(s.timeout) + std::chrono::seconds{2};
  return RunChild(run);
}

struct SpamdReport {
  std::string score, required;  // as spamd printed them ("7.9", "5.0")
  bool spam = false;
  std::vector<std::string> rules;  // those that added points, most first
};

std::optional<double> Number(std::string_view s) {
  double d = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return d;
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// "7.9/5.0" and then the report's table:
//   " pts rule name              description"
//   "---- ---------------------- ---------------"
//   " 1000 GTUBE                  BODY: Generic Test for Unsolicited Bulk Email"
// "0/0" is spamc's "not checked".
std::optional<SpamdReport> ParseReport(std::string_view out) {
  const size_t eol = out.find('\n');
  std::string_view first = out.substr(0, eol);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  const size_t slash = first.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  SpamdReport r;
  r.score = first.substr(0, slash);
  r.required = first.substr(slash + 1);
  const std::optional<double> score = Number(r.score), required = Number(r.required);
  if (!score || !required || *required <= 0) return std::nullopt;
  r.spam = *score >= *required;
  std::vector<std::pair<double, std::string>> hits;
  bool table = false;
  for (std::string_view rest = eol == std::string_view::npos ? "" : out.substr(eol + 1);
       !rest.empty();) {
    const size_t end = rest.find('\n');
    const std::string_view line = TrimLeft(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (line.substr(0, 4) == "----") {
      table = true;
      continue;
    }
    if (!table) continue;
    const size_t gap = line.find_first_of(" \t");
    const std::optional<double> points = Number(line.substr(0, gap));
    if (!points || *points <= 0 || gap == std::string_view::npos) continue;
    const std::string_view after = TrimLeft(line.substr(gap));
    const std::string_view name = after.substr(0, after.find_first_of(" \t\r"));
    const bool rule_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (rule_name) hits.emplace_back(*points, std::string(name));
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < hits.size() && i < 5; ++i) r.rules.push_back(hits[i].second);
  return r;
}

std::string Kilobytes(size_t bytes) { return std::to_string((bytes + 1023) / 1024) + " KB"; }

// Why spamc gave no verdict, for the evidence line.
std::string Failure(const ChildExit& e, const SpamdSettings& s) {
  const auto limit =
      std::chrono::duration_cast<std::chrono::milliseconds>(s.timeout) + std::chrono::seconds{2};
  std::string why = "spamc: " + e.Describe(limit);
  if (e.timed_out) return why;
  const std::string where = s.host + ":" + std::to_string(s.port);
  if (e.exit_code == 69) why += " (cannot reach spamd at " + where + ")";
  if (e.exit_code == 74 || e.exit_code == 76) why += " (spamd at " + where + " broke off)";
  if (e.exit_code == 75) why += " (spamd at " + where + " failed for now)";
  if (e.exit_code == 126 || e.exit_code == 127) why += " (" + s.spamc + " cannot be run)";
  // A view of the child's own text, never of a temporary copy of it.
  std::string_view err(e.err);
  err = err.substr(0, std::min(err.find('\n'), size_t{160}));
  if (!err.empty()) why += ": " + std::string(err);
  return why;
}

}  // namespace

SpamVerdict AskSpamd(std::string_view raw, const SpamdSettings& settings) {
  SpamVerdict v;
  if (raw.size() > settings.max_bytes) {
    v.evidence.push_back("not checked by spamd: " + Kilobytes(raw.size()) + " is over its " +
                         Kilobytes(settings.max_bytes) + " limit");
    return v;
  }
  Result<std::unique_ptr<TempMessage>> file = TempMessage::Write(raw);
  if (!file.ok()) {
    v.evidence.push_back("spamd unavailable: " + file.error());
    return v;
  }
  const Result<ChildExit> ran = RunSpamc((*file)->path(), settings);
  if (!ran.ok()) {
    v.evidence.push_back("spamd unavailable: " + ran.error());
    return v;
  }
  const std::optional<SpamdReport> report = ran->timed_out ? std::nullopt : ParseReport(ran->out);
  if (!report) {
    v.evidence.push_back("spamd unavailable: " + Failure(*ran, settings));
    return v;
  }
  std::string line = "spamd: " + report->score + " points (" + report->required + " required)";
  if (report->spam) {
    std::string rules;
    for (const std::string& r : report->rules) rules += (rules.empty() ? ": " : ", ") + r;
    v.reasons.push_back(line + rules);
    v.suspected = true;
  } else {
    v.evidence.push_back(line);
  }
  return v;
}

SpamChecker::SpamChecker(SpamSettings settings, std::optional<SpamdSettings> spamd)
    : settings_(std::move(settings)), spamd_(std::move(spamd)) {}

SpamVerdict SpamChecker::Check(const SpamInput& in) const {
  SpamVerdict v = JudgeSpam(in, settings_);
  if (v.suspected || !spamd_) return v;
  SpamVerdict asked = AskSpamd(in.raw, *spamd_);
  v.reasons.insert(v.reasons.end(), asked.reasons.begin(), asked.reasons.end());
  v.evidence.insert(v.evidence.end(), asked.evidence.begin(), asked.evidence.end());
  v.suspected = !v.reasons.empty();
  return v;
}

}  // namespace complaints
