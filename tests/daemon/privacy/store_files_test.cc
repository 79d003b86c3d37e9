// The store's files are made readable by their owner alone, and a folder open to others is
// reported, not changed.
#include "daemon/privacy/store_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "daemon/cases/sqlite_case_store.h"

namespace complaints {
namespace {

namespace fs = std::filesystem;

mode_t Mode(const fs::path& p) {
  struct stat st {};
  stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

TEST(StoreFilesTest, TheStoreAndItsWalBecomeOwnerOnlyAndAnOpenFolderIsReported) {
  const fs::path dir = fs::temp_directory_path() / ("store_files_test_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  chmod(dir.c_str(), 0755);
  const std::string db = (dir / "c.db").string();
  {
    auto store = SqliteCaseStore::Open(db);
    ASSERT_TRUE(store.ok()) << store.error();
    chmod(db.c_str(), 0644);
    std::ofstream(db + "-wal", std::ios::app).close();
    chmod((db + "-wal").c_str(), 0644);
    EXPECT_GE(StoreFileProblems(db).size(), 3u);  // the file, the WAL (and -shm), the folder
    ASSERT_TRUE(KeepStoreFilesPrivate(db).ok());
    EXPECT_EQ(Mode(db), 0600u);
    EXPECT_EQ(Mode(db + "-wal"), 0600u);
    const std::vector<std::string> left = StoreFileProblems(db);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_NE(left[0].find("folder mode 0755"), std::string::npos) << left[0];
  }
  chmod(dir.c_str(), 0700);
  EXPECT_TRUE(StoreFileProblems(db).empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace complaints
