#include "daemon/intake/maildir_source.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace complaints {
namespace {

namespace fs = std::filesystem;

constexpr const char* kList = "complaintsd-uidlist";

std::string BaseName(const std::string& file) { return file.substr(0, file.find(':')); }

Result<std::string> ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<std::string>::Error(path.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

MaildirSource::MaildirSource(std::string root, const Clock& clock)
    : root_(std::move(root)), clock_(clock) {}

MaildirSource::~MaildirSource() {
  if (inotify_ >= 0) close(inotify_);
}

Result<uint32_t> MaildirSource::Open() {
  std::error_code ec;
  for (const char* sub : {"new", "cur", "tmp"}) {
    fs::create_directories(fs::path(root_) / sub, ec);
    if (ec) return Result<uint32_t>::Error(root_ + ": cannot create " + sub + "/: " + ec.message());
  }
  if (uidvalidity_ == 0) {
    files_.clear();
    std::ifstream in(fs::path(root_) / kList);
    std::string line;
    if (in && std::getline(in, line) && line.size() > 1 && line[0] == 'V') {
      std::istringstream header(line.substr(1));
      char n = 0;
      header >> uidvalidity_ >> n >> next_uid_;
      uint32_t uid = 0;
      std::string base;
      while (in >> uid >> base) files_[uid] = base;
    }
    if (uidvalidity_ == 0) {
      uidvalidity_ = static_cast<uint32_t>(clock_.Now().time_since_epoch().count());
      next_uid_ = 1;
      files_.clear();
    }
  }
  if (Status s = Scan(); !s) return Result<uint32_t>(s);
  return uidvalidity_;
}

Status MaildirSource::Scan() {
  paths_.clear();
  std::set<std::string> fresh;
  std::error_code ec;
  for (const char* sub : {"cur", "new"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(root_) / sub, ec)) {
      if (!entry.is_regular_file()) continue;
      const std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      paths_[BaseName(name)] = entry.path().string();
      fresh.insert(BaseName(name));
    }
    if (ec) return Status::Error(root_ + "/" + sub + ": " + ec.message());
  }
  // Forget files that are gone; number the new ones in name order (Maildir names start with
  // the delivery time, so this is arrival order).
  bool changed = false;
  for (auto it = files_.begin(); it != files_.end();) {
    if (paths_.count(it->second) == 0) {
      it = files_.erase(it);
      changed = true;
    } else {
      fresh.erase(it->second);
      ++it;
    }
  }
  for (const std::string& base : fresh) {
    files_[next_uid_++] = base;
    changed = true;
  }
  return changed ? SaveList() : Status::Ok();
}

Status MaildirSource::SaveList() const {
  const fs::path path = fs::path(root_) / kList;
  const fs::path tmp = fs::path(root_) / (std::string(kList) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << 'V' << uidvalidity_ << " N " << next_uid_ << '\n';
    for (const auto& [uid, base] : files_) out << uid << ' ' << base << '\n';
    if (!out) return Status::Error(tmp.string() + ": cannot be written");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::Error(path.string() + ": " + ec.message());
  return Status::Ok();
}

std::string MaildirSource::PathOf(uint32_t uid) const {
  const auto file = files_.find(uid);
  if (file == files_.end()) return "";
  const auto path = paths_.find(file->second);
  return path == paths_.end() ? "" : path->second;
}

Result<std::vector<uint32_t>> MaildirSource::UidsAfter(uint32_t uid) {
  std::vector<uint32_t> out;
  for (auto it = files_.upper_bound(uid); it != files_.end(); ++it) out.push_back(it->first);
  return out;
}

Result<std::vector<FetchedMessage>> MaildirSource::Fetch(const std::vector<uint32_t>& uids) {
  std::vector<FetchedMessage> out;
  for (uint32_t uid : uids) {
    const std::string path = PathOf(uid);
    if (path.empty()) continue;
    Result<std::string> raw = ReadAll(path);
    if (!raw) continue;  // removed meanwhile by someone else: not ours to report
    std::error_code ec;
    const auto mtime = fs::last_write_time(path, ec);
    Instant when = clock_.Now();
    if (!ec) {
      when = std::chrono::floor<std::chrono::seconds>(std::chrono::file_clock::to_sys(mtime));
    }
    out.push_back({uid, when, std::move(raw).value()});
  }
  return out;
}

Status MaildirSource::Move(const std::vector<uint32_t>& uids, const std::string& folder) {
  if (folder.empty() || folder.find('/') != std::string::npos || folder[0] == '.') {
    return Status::Error("invalid folder name '" + folder + "'");
  }
  const fs::path target = fs::path(root_) / ("." + folder);
  std::error_code ec;
  for (const char* sub : {"new", "cur", "tmp"}) fs::create_directories(target / sub, ec);
  if (ec) return Status::Error(target.string() + ": " + ec.message());
  for (uint32_t uid : uids) {
    const std::string path = PathOf(uid);
    if (path.empty()) continue;
    std::string name = fs::path(path).filename().string();
    if (name.find(":2,") == std::string::npos) name += ":2,";
    fs::rename(path, target / "cur" / name, ec);
    if (ec) return Status::Error(path + ": cannot be moved to " + folder + ": " + ec.message());
    paths_.erase(files_[uid]);
    files_.erase(uid);
  }
  return SaveList();
}

Status MaildirSource::WaitForMail(std::chrono::milliseconds timeout) {
  if (inotify_ < 0) {
    inotify_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_ < 0) return Status::Error("inotify: cannot watch " + root_);
    for (const char* sub : {"new", "cur"}) {
      inotify_add_watch(inotify_, (fs::path(root_) / sub).c_str(), IN_CREATE | IN_MOVED_TO);
    }
  }
  pollfd p{inotify_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) > 0) {
    char buffer[4096];
    while (read(inotify_, buffer, sizeof buffer) > 0) {
    }
  }
  return Status::Ok();
}

}  // namespace complaints
