#include "daemon/credentials/secrets.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace complaints {
namespace {

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("secrets_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    unsetenv("CREDENTIALS_DIRECTORY");
  }
  std::string Write(const std::string& name, const std::string& text, mode_t mode) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(SecretsTest, ReadsAPrivateFileWithoutItsNewline) {
  EXPECT_EQ(*ReadSecret(Write("key", "s3cret\n", 0600)), "s3cret");
}

TEST_F(SecretsTest, RefusesAFileOthersCanRead) {
  Result<std::string> r = ReadSecret(Write("key", "s3cret", 0644));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("chmod 600"), std::string::npos);
  EXPECT_EQ(r.error().find("s3cret"), std::string::npos);  // never in a message
}

TEST_F(SecretsTest, CredentialNamesComeFromSystemd) {
  Write("imap-password", "pw", 0400);
  EXPECT_FALSE(ReadSecret("imap-password").ok());
  setenv("CREDENTIALS_DIRECTORY", dir_.c_str(), 1);
  EXPECT_EQ(*ReadSecret("imap-password"), "pw");
}

TEST_F(SecretsTest, MissingAndEmptyAreClearErrors) {
  EXPECT_NE(ReadSecret((dir_ / "nope").string()).error().find("does not exist"), std::string::npos);
  EXPECT_NE(ReadSecret(Write("empty", "\n", 0600)).error().find("empty"), std::string::npos);
}

}  // namespace
}  // namespace complaints
