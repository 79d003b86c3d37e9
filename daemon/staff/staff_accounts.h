// Staff accounts, their web sessions and their API tokens, kept in the case store's SQLite file
// (tables staff, staff_sessions, staff_tokens) through a connection of their own.
//
// Passwords are hashed with Argon2id (libsodium's crypto_pwhash_str); session ids, CSRF tokens and
// API tokens are 32 random bytes, and only a hash of a session id or token is stored, so a copy of
// the store lets nobody in. Repeated failed logins lock the account for a while; a disabled
// account cannot log in, and its sessions and tokens stop working at once.
// Thread-safe: one mutex around the connection (logins and page loads are few and short).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "daemon/cases/case_record.h"
#include "parsers/result.h"

struct sqlite3;

namespace complaints {

enum class StaffRole { kOfficer, kManager, kAdmin };
std::string_view StaffRoleName(StaffRole role);
Result<StaffRole> ParseStaffRole(std::string_view name);
// An admin can do everything a manager can, and a manager everything an officer can.
bool RoleAtLeast(StaffRole have, StaffRole need);

struct StaffAccount {
  std::string username;
  std::string name;
  StaffRole role = StaffRole::kOfficer;
  bool disabled = false;
  int failed_logins = 0;
  std::optional<Instant> locked_until;
};

struct StaffSession {
  StaffAccount account;
  std::string csrf;  // the session's CSRF token, put in every form
  Instant started{};
  Instant last_seen{};
};

struct LoginPolicy {
  int lock_after = 5;                           // failed logins in a row
  std::chrono::seconds lock_for{15 * 60};       // then the account is locked this long
  std::chrono::seconds session_idle{30 * 60};   // a session unused this long has ended
  std::chrono::seconds session_max{12 * 3600};  // and none lasts longer than a working day
};

class StaffAccounts {
 public:
  // Opens (and creates the tables in) the store file at `path`.
  static Result<std::unique_ptr<StaffAccounts>> Open(const std::string& path, LoginPolicy policy);
  ~StaffAccounts();

  // Usernames: 2-64 of a-z 0-9 . _ -; passwords: at least 12 characters.
  Status Add(const std::string& username, const std::string& name, StaffRole role,
             const std::string& password);
  Status SetPassword(const std::string& username, const std::string& password);
  // Disables the account and ends its sessions and tokens.
  Status Disable(const std::string& username);
  Status Enable(const std::string& username);
  Result<std::vector<StaffAccount>> List();
  Result<std::optional<StaffAccount>> Find(const std::string& username);

  struct Login {
    bool ok = false;
    std::string why;  // for the log; the page says less
    std::optional<Instant> locked_until;
    int failed_logins = 0;   // in a row, after this attempt
    std::string session_id;  // set when ok: the cookie's value
    std::optional<StaffSession> session;
  };
  // Checks the password; on success starts a session. A locked or disabled account fails even
  // with the right password.
  Result<Login> LogIn(const std::string& username, const std::string& password, Instant now);
  // A session for a user a trusted reverse proxy has already authenticated (single sign-on): no
  // password; refused for an unknown, disabled or locked account.
  Result<Login> StartTrustedSession(const std::string& username, Instant now);
  // The live session behind a cookie value, touched (last_seen = now); none when it has ended,
  // expired, or its account is disabled.
  Result<std::optional<StaffSession>> FindSession(const std::string& session_id, Instant now);
  Status EndSession(const std::string& session_id);

  // A new API token for `username` (printed once; only its hash is kept).
  Result<std::string> IssueToken(const std::string& username, Instant now);
  Result<std::optional<StaffAccount>> FindToken(const std::string& token);

  const LoginPolicy& policy() const { return policy_; }

 private:
  StaffAccounts(sqlite3* db, LoginPolicy policy);
  // Starts a session for `account` (mu_ held).
  Result<Login> StartSession(StaffAccount account, Instant now);
  sqlite3* db_;
  LoginPolicy policy_;
  std::mutex mu_;
};

// 32 random bytes as 64 hex digits (session ids, CSRF tokens, API tokens).
std::string RandomToken();
// Compares two secrets in time that does not depend on where they differ.
bool SameSecret(const std::string& a, const std::string& b);

}  // namespace complaints
