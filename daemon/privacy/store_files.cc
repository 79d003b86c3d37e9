#include "daemon/privacy/store_files.h"

#include <sys/stat.h>

#include <filesystem>

namespace complaints {
namespace {

std::vector<std::string> StoreFiles(const std::string& store_path) {
  return {store_path, store_path + "-wal", store_path + "-shm", store_path + "-journal"};
}

std::string Octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

Status KeepStoreFilesPrivate(const std::string& store_path) {
  for (const std::string& file : StoreFiles(store_path)) {
    struct stat st {};
    if (stat(file.c_str(), &st) != 0) continue;  // -wal and -shm come and go
    if ((st.st_mode & 077) == 0) continue;
    if (chmod(file.c_str(), st.st_mode & 0700) != 0) {
      return Status::Error(file + ": cannot make it readable by the service alone (chmod 600)");
    }
  }
  return Status::Ok();
}

std::vector<std::string> StoreFileProblems(const std::string& store_path) {
  std::vector<std::string> problems;
  for (const std::string& file : StoreFiles(store_path)) {
    struct stat st {};
    if (stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      problems.push_back(file + ": mode " + Octal(st.st_mode) + ", others can read it (want 0600)");
    }
  }
  std::filesystem::path folder = std::filesystem::absolute(store_path).parent_path();
  struct stat st {};
  if (stat(folder.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    problems.push_back(folder.string() + ": folder mode " + Octal(st.st_mode) +
                       ", others can list it (want 0700, as systemd's StateDirectoryMode gives)");
  }
  return problems;
}

}  // namespace complaints
