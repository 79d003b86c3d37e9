#include "daemon/staff/staff_accounts.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

Instant At(const std::string& iso) { return testing::Instant(iso); }

class StaffAccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("staff_accounts_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    policy_.lock_after = 3;
    policy_.lock_for = std::chrono::minutes{15};
    policy_.session_idle = std::chrono::minutes{30};
    policy_.session_max = std::chrono::hours{12};
    auto accounts = StaffAccounts::Open(path(), policy_);
    ASSERT_TRUE(accounts.ok()) << accounts.error();
    accounts_ = std::move(accounts).value();
    ASSERT_TRUE(accounts_->Add("pat", "Pat Officer", StaffRole::kOfficer, kPassword).ok());
  }
  void TearDown() override {
    accounts_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string path() const { return (dir_ / "c.db").string(); }
  // Every byte of the store file and its WAL, to look for secrets kept in the clear.
  std::string StoreBytes() const {
    std::string all;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(path() + suffix, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      all += s.str();
    }
    return all;
  }

  static constexpr const char* kPassword = "correct horse battery";
  LoginPolicy policy_;
  std::filesystem::path dir_;
  std::unique_ptr<StaffAccounts> accounts_;
};

TEST_F(StaffAccountsTest, PasswordsAreKeptAsArgon2idAndCheckedOnLogin) {
  const std::string bytes = StoreBytes();
  EXPECT_EQ(bytes.find(kPassword), std::string::npos);
  EXPECT_NE(bytes.find("$argon2id$"), std::string::npos);
  const Instant now = At("2026-06-10T09:00:00Z");
  auto wrong = accounts_->LogIn("pat", "correct horse batterz", now);
  ASSERT_TRUE(wrong.ok()) << wrong.error();
  EXPECT_FALSE(wrong->ok);
  EXPECT_TRUE(wrong->session_id.empty());
  auto right = accounts_->LogIn("pat", kPassword, now);
  ASSERT_TRUE(right.ok());
  ASSERT_TRUE(right->ok) << right->why;
  EXPECT_EQ(right->session_id.size(), 64u);
  ASSERT_TRUE(right->session.has_value());
  EXPECT_EQ(right->session->account.name, "Pat Officer");
  EXPECT_EQ(right->session->csrf.size(), 64u);
  EXPECT_NE(right->session->csrf, right->session_id);
  // Only a hash of the session id is stored.
  EXPECT_EQ(StoreBytes().find(right->session_id), std::string::npos);
  auto unknown = accounts_->LogIn("nobody", kPassword, now);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->ok);
}

TEST_F(StaffAccountsTest, BadUsernamesAndShortPasswordsAreRefused) {
  EXPECT_FALSE(accounts_->Add("Bad Name", "X", StaffRole::kOfficer, kPassword).ok());
  EXPECT_FALSE(accounts_->Add("x", "X", StaffRole::kOfficer, kPassword).ok());
  EXPECT_FALSE(accounts_->Add("sam", "Sam", StaffRole::kOfficer, "short").ok());
  EXPECT_FALSE(accounts_->Add("pat", "Pat Again", StaffRole::kOfficer, kPassword).ok());
  EXPECT_TRUE(accounts_->Add("sam.o-k_1", "Sam", StaffRole::kManager, kPassword).ok());
}

TEST_F(StaffAccountsTest, RepeatedFailuresLockTheAccountForAWhileEvenWithTheRightPassword) {
  Instant now = At("2026-06-10T09:00:00Z");
  for (int i = 1; i <= 3; ++i) {
    auto attempt = accounts_->LogIn("pat", "not the password!", now);
    ASSERT_TRUE(attempt.ok());
    EXPECT_FALSE(attempt->ok);
    EXPECT_EQ(attempt->failed_logins, i);
  }
  auto locked = accounts_->LogIn("pat", kPassword, now + std::chrono::minutes{1});
  ASSERT_TRUE(locked.ok());
  EXPECT_FALSE(locked->ok);
  ASSERT_TRUE(locked->locked_until.has_value());
  EXPECT_EQ(*locked->locked_until, now + std::chrono::minutes{15});
  auto still = accounts_->LogIn("pat", kPassword, now + std::chrono::minutes{14});
  ASSERT_TRUE(still.ok());
  EXPECT_FALSE(still->ok);
  auto later = accounts_->LogIn("pat", kPassword, now + std::chrono::minutes{16});
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->ok) << later->why;
  // A success clears the count: two failures do not lock again.
  EXPECT_FALSE(accounts_->LogIn("pat", "nope nope nope", now + std::chrono::minutes{17})->ok);
  EXPECT_FALSE(accounts_->LogIn("pat", "nope nope nope", now + std::chrono::minutes{17})->ok);
  EXPECT_TRUE(accounts_->LogIn("pat", kPassword, now + std::chrono::minutes{17})->ok);
}

TEST_F(StaffAccountsTest, IdleAndOverlongSessionsEndAndLogoutEndsOneOnTheServer) {
  const Instant start = At("2026-06-10T09:00:00Z");
  auto login = accounts_->LogIn("pat", kPassword, start);
  ASSERT_TRUE(login.ok() && login->ok);
  const std::string id = login->session_id;
  // Used every 20 minutes, it lives; 12 hours after login it ends regardless.
  Instant t = start;
  for (int i = 0; i < 35; ++i) {
    t += std::chrono::minutes{20};
    auto s = accounts_->FindSession(id, t);
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(s->has_value()) << "at step " << i;
  }
  t += std::chrono::minutes{20};  // 12 h 0 min
  EXPECT_FALSE(accounts_->FindSession(id, t + std::chrono::minutes{1})->has_value());

  auto second = accounts_->LogIn("pat", kPassword, start);
  ASSERT_TRUE(second->ok);
  EXPECT_TRUE(
      accounts_->FindSession(second->session_id, start + std::chrono::minutes{29})->has_value());
  EXPECT_FALSE(
      accounts_->FindSession(second->session_id, start + std::chrono::minutes{60})->has_value());

  auto third = accounts_->LogIn("pat", kPassword, start);
  ASSERT_TRUE(third->ok);
  ASSERT_TRUE(accounts_->EndSession(third->session_id).ok());
  EXPECT_FALSE(accounts_->FindSession(third->session_id, start)->has_value());
  EXPECT_FALSE(accounts_->FindSession("", start)->has_value());
  EXPECT_FALSE(accounts_->FindSession(std::string(64, '0'), start)->has_value());
}

TEST_F(StaffAccountsTest, DisablingEndsSessionsAndTokensAtOnceAndStopsLogins) {
  const Instant now = At("2026-06-10T09:00:00Z");
  auto login = accounts_->LogIn("pat", kPassword, now);
  ASSERT_TRUE(login->ok);
  auto token = accounts_->IssueToken("pat", now);
  ASSERT_TRUE(token.ok()) << token.error();
  EXPECT_EQ(StoreBytes().find(*token), std::string::npos);  // kept as a hash only
  auto found = accounts_->FindToken(*token);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->username, "pat");
  EXPECT_FALSE(accounts_->FindToken(std::string(token->size(), 'a'))->has_value());

  ASSERT_TRUE(accounts_->Disable("pat").ok());
  EXPECT_FALSE(accounts_->FindSession(login->session_id, now)->has_value());
  EXPECT_FALSE(accounts_->FindToken(*token)->has_value());
  EXPECT_FALSE(accounts_->LogIn("pat", kPassword, now)->ok);
  EXPECT_FALSE(accounts_->StartTrustedSession("pat", now)->ok);
  ASSERT_TRUE(accounts_->Enable("pat").ok());
  EXPECT_TRUE(accounts_->LogIn("pat", kPassword, now)->ok);
  EXPECT_FALSE(accounts_->FindToken(*token)->has_value());  // revoked for good
}

TEST_F(StaffAccountsTest, ANewPasswordReplacesTheOld) {
  const Instant now = At("2026-06-10T09:00:00Z");
  ASSERT_TRUE(accounts_->SetPassword("pat", "a brand new passphrase").ok());
  EXPECT_FALSE(accounts_->LogIn("pat", kPassword, now)->ok);
  EXPECT_TRUE(accounts_->LogIn("pat", "a brand new passphrase", now)->ok);
  EXPECT_FALSE(accounts_->SetPassword("nobody", "a brand new passphrase").ok());
}

TEST(StaffRoleTest, RolesAreOrderedAndNamed) {
  EXPECT_TRUE(RoleAtLeast(StaffRole::kAdmin, StaffRole::kManager));
  EXPECT_TRUE(RoleAtLeast(StaffRole::kManager, StaffRole::kOfficer));
  EXPECT_FALSE(RoleAtLeast(StaffRole::kOfficer, StaffRole::kManager));
  EXPECT_FALSE(RoleAtLeast(StaffRole::kManager, StaffRole::kAdmin));
  EXPECT_EQ(*ParseStaffRole("manager"), StaffRole::kManager);
  EXPECT_FALSE(ParseStaffRole("root").ok());
  EXPECT_EQ(StaffRoleName(StaffRole::kAdmin), "admin");
}

TEST(SameSecretTest, ComparesWholeSecrets) {
  EXPECT_TRUE(SameSecret("abc", "abc"));
  EXPECT_FALSE(SameSecret("abc", "abd"));
  EXPECT_FALSE(SameSecret("abc", "ab"));
  EXPECT_FALSE(SameSecret("", "a"));
  EXPECT_NE(RandomToken(), RandomToken());
}

}  // namespace
}  // namespace complaints
