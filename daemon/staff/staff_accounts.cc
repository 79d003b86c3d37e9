#include "daemon/staff/staff_accounts.h"

#include <sodium.h>
#include <sqlite3.h>

#include <cctype>

namespace complaints {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS staff (
  username TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('officer', 'manager', 'admin')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE TABLE IF NOT EXISTS staff_sessions (
  id_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL REFERENCES staff(username),
  csrf TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE TABLE IF NOT EXISTS staff_tokens (
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL REFERENCES staff(username),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
)sql";

// One prepared statement, finalised on scope exit. Values are bound, never spliced into SQL.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return stmt_ != nullptr; }
  Stmt& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return stmt_ ? sqlite3_step(stmt_) : SQLITE_ERROR; }
  // Ends the statement's read, so a write on this connection may follow: a read left open would
  // pin an old snapshot, and the write would fail "database is locked" whenever another
  // connection (the daemon) had written since, without waiting.
  void Reset() { sqlite3_reset(stmt_); }
  std::string Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : "";
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

Status Done(Stmt& s, const std::string& what) {
  if (!s.ok() || s.Step() != SQLITE_DONE) {
    return Status::Error("staff accounts: " + what + ": " + s.Error());
  }
  return Status::Ok();
}

int64_t Seconds(Instant at) { return at.time_since_epoch().count(); }
Instant FromSeconds(int64_t s) { return Instant(std::chrono::seconds(s)); }

// A keyed-free hash of a secret for lookup: BLAKE2b-256, hex. The secrets are 256 random bits,
// so no salt or slow hash is needed for them (passwords get Argon2id).
std::string LookupHash(const std::string& secret) {
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  char hex[crypto_generichash_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

Result<std::string> HashPassword(const std::string& password) {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Result<std::string>::Error("staff accounts: out of memory hashing the password");
  }
  return std::string(hash);
}

Status CheckUsername(const std::string& username) {
  if (username.size() < 2 || username.size() > 64) {
    return Status::Error("username '" + username + "': 2 to 64 characters");
  }
  for (char ch : username) {
    const auto c = static_cast<unsigned char>(ch);
    if (!(std::islower(c) || std::isdigit(c) || ch == '.' || ch == '_' || ch == '-')) {
      return Status::Error("username '" + username +
                           "': lower-case letters, digits, '.', '_' and '-' only");
    }
  }
  return Status::Ok();
}

Status CheckPassword(const std::string& password) {
  if (password.size() < 12) return Status::Error("the password needs at least 12 characters");
  if (password.size() > 1024) return Status::Error("the password is longer than 1024 characters");
  return Status::Ok();
}

constexpr const char* kAccountColumns =
    "username, name, role, disabled, failed_logins, locked_until";

StaffAccount ReadAccount(const Stmt& s, int first) {
  StaffAccount a;
  a.username = s.Text(first);
  a.name = s.Text(first + 1);
  Result<StaffRole> role = ParseStaffRole(s.Text(first + 2));
  a.role = role ? *role : StaffRole::kOfficer;  // the table's CHECK allows only the three
  a.disabled = s.Int(first + 3) != 0;
  a.failed_logins = static_cast<int>(s.Int(first + 4));
  if (!s.IsNull(first + 5)) a.locked_until = FromSeconds(s.Int(first + 5));
  return a;
}

}  // namespace

std::string_view StaffRoleName(StaffRole role) {
  switch (role) {
    case StaffRole::kOfficer:
      return "officer";
    case StaffRole::kManager:
      return "manager";
    case StaffRole::kAdmin:
      return "admin";
  }
  return "officer";
}

Result<StaffRole> ParseStaffRole(std::string_view name) {
  if (name == "officer") return StaffRole::kOfficer;
  if (name == "manager") return StaffRole::kManager;
  if (name == "admin") return StaffRole::kAdmin;
  return Result<StaffRole>::Error("unknown role '" + std::string(name) +
                                  "': officer, manager or admin");
}

bool RoleAtLeast(StaffRole have, StaffRole need) {
  return static_cast<int>(have) >= static_cast<int>(need);
}

std::string RandomToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::unique_ptr<StaffAccounts>> StaffAccounts::Open(const std::string& path,
                                                           LoginPolicy policy) {
  using R = Result<std::unique_ptr<StaffAccounts>>;
  if (sodium_init() < 0) return R::Error("libsodium could not start");
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return R::Error(path + ": " + why);
  }
  sqlite3_busy_timeout(db, 10000);
  char* error = nullptr;
  if (sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;", nullptr, nullptr,
                   nullptr) != SQLITE_OK ||
      sqlite3_exec(db, kSchema, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    sqlite3_close(db);
    return R::Error(path + ": cannot create the staff tables: " + why);
  }
  return std::unique_ptr<StaffAccounts>(new StaffAccounts(db, policy));
}

StaffAccounts::StaffAccounts(sqlite3* db, LoginPolicy policy) : db_(db), policy_(policy) {}
StaffAccounts::~StaffAccounts() { sqlite3_close(db_); }

Status StaffAccounts::Add(const std::string& username, const std::string& name, StaffRole role,
                          const std::string& password) {
  if (Status s = CheckUsername(username); !s) return s;
  if (name.empty()) return Status::Error("give the person's full name (--name)");
  if (Status s = CheckPassword(password); !s) return s;
  Result<std::string> hash = HashPassword(password);
  if (!hash) return hash.status();
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "INSERT INTO staff (username, name, role, password_hash) VALUES (?, ?, ?, ?) "
         "ON CONFLICT(username) DO NOTHING");
  s.Bind(1, username).Bind(2, name).Bind(3, std::string(StaffRoleName(role))).Bind(4, *hash);
  if (Status st = Done(s, "adding " + username); !st) return st;
  if (sqlite3_changes(db_) == 0) {
    return Status::Error("there is already an account '" + username +
                         "' (staff password to change its password, staff enable to enable it)");
  }
  return Status::Ok();
}

Status StaffAccounts::SetPassword(const std::string& username, const std::string& password) {
  if (Status s = CheckPassword(password); !s) return s;
  Result<std::string> hash = HashPassword(password);
  if (!hash) return hash.status();
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "UPDATE staff SET password_hash = ?, failed_logins = 0, locked_until = NULL "
         "WHERE username = ?");
  s.Bind(1, *hash).Bind(2, username);
  if (Status st = Done(s, "setting the password"); !st) return st;
  if (sqlite3_changes(db_) == 0) return Status::Error("no account '" + username + "'");
  return Status::Ok();
}

Status StaffAccounts::Disable(const std::string& username) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "UPDATE staff SET disabled = 1 WHERE username = ?");
  s.Bind(1, username);
  if (Status st = Done(s, "disabling " + username); !st) return st;
  if (sqlite3_changes(db_) == 0) return Status::Error("no account '" + username + "'");
  Stmt end(db_,
           "UPDATE staff_sessions SET ended_at = unixepoch() "
           "WHERE username = ? AND ended_at IS NULL");
  end.Bind(1, username);
  if (Status st = Done(end, "ending sessions"); !st) return st;
  Stmt revoke(db_,
              "UPDATE staff_tokens SET revoked_at = unixepoch() "
              "WHERE username = ? AND revoked_at IS NULL");
  revoke.Bind(1, username);
  return Done(revoke, "revoking tokens");
}

Status StaffAccounts::Enable(const std::string& username) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "UPDATE staff SET disabled = 0, failed_logins = 0, locked_until = NULL "
         "WHERE username = ?");
  s.Bind(1, username);
  if (Status st = Done(s, "enabling " + username); !st) return st;
  if (sqlite3_changes(db_) == 0) return Status::Error("no account '" + username + "'");
  return Status::Ok();
}

Result<std::vector<StaffAccount>> StaffAccounts::List() {
  using R = Result<std::vector<StaffAccount>>;
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string("SELECT ") + kAccountColumns + " FROM staff ORDER BY username").c_str());
  std::vector<StaffAccount> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadAccount(s, 0));
  if (rc != SQLITE_DONE) return R::Error("staff accounts: " + s.Error());
  return out;
}

Result<std::optional<StaffAccount>> StaffAccounts::Find(const std::string& username) {
  using R = Result<std::optional<StaffAccount>>;
  std::lock_guard lock(mu_);
  Stmt s(db_,
         (std::string("SELECT ") + kAccountColumns + " FROM staff WHERE username = ?").c_str());
  s.Bind(1, username);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<StaffAccount>();
  if (rc != SQLITE_ROW) return R::Error("staff accounts: " + s.Error());
  return std::optional<StaffAccount>(ReadAccount(s, 0));
}

Result<StaffAccounts::Login> StaffAccounts::LogIn(const std::string& username,
                                                  const std::string& password, Instant now) {
  using R = Result<Login>;
  Login out;
  std::string hash;
  StaffAccount account;
  {
    std::lock_guard lock(mu_);
    Stmt s(db_, (std::string("SELECT ") + kAccountColumns +
                 ", password_hash FROM staff WHERE username = ?")
                    .c_str());
    s.Bind(1, username);
    const int rc = s.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return R::Error("staff accounts: " + s.Error());
    if (rc == SQLITE_DONE) {
      // Spend the same effort as a real check, so timing does not tell which usernames exist.
      (void)HashPassword(password);
      out.why = "no such account";
      return out;
    }
    account = ReadAccount(s, 0);
    hash = s.Text(6);
  }
  if (account.disabled) {
    out.why = "account disabled";
    return out;
  }
  if (account.locked_until && *account.locked_until > now) {
    out.why = "account locked";
    out.locked_until = account.locked_until;
    out.failed_logins = account.failed_logins;
    return out;
  }
  const bool right = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  std::lock_guard lock(mu_);
  if (!right) {
    // Counted in the store, so failures at the same moment from two requests all count.
    Stmt s(db_,
           "UPDATE staff SET failed_logins = failed_logins + 1, locked_until = CASE WHEN "
           "failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE username = ? "
           "RETURNING failed_logins, locked_until");
    s.Bind(1, static_cast<int64_t>(policy_.lock_after));
    s.Bind(2, Seconds(now + policy_.lock_for));
    s.Bind(3, username);
    if (s.Step() != SQLITE_ROW) {
      return R::Error("staff accounts: counting a failed login: " + s.Error());
    }
    out.failed_logins = static_cast<int>(s.Int(0));
    if (!s.IsNull(1) && out.failed_logins >= policy_.lock_after) {
      out.locked_until = FromSeconds(s.Int(1));
    }
    s.Reset();
    out.why = out.locked_until ? "wrong password; account locked" : "wrong password";
    return out;
  }
  Stmt reset(db_, "UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE username = ?");
  reset.Bind(1, username);
  if (Status st = Done(reset, "recording the login"); !st) return R(st);
  return StartSession(account, now);
}

Result<StaffAccounts::Login> StaffAccounts::StartSession(StaffAccount account, Instant now) {
  using R = Result<Login>;
  Login out;
  StaffSession session;
  account.failed_logins = 0;
  account.locked_until.reset();
  session.account = account;
  session.csrf = RandomToken();
  session.started = now;
  session.last_seen = now;
  out.session_id = RandomToken();
  Stmt insert(db_,
              "INSERT INTO staff_sessions (id_hash, username, csrf, started_at, last_seen_at) "
              "VALUES (?, ?, ?, ?, ?)");
  insert.Bind(1, LookupHash(out.session_id))
      .Bind(2, account.username)
      .Bind(3, session.csrf)
      .Bind(4, Seconds(now))
      .Bind(5, Seconds(now));
  if (Status st = Done(insert, "starting a session"); !st) return R(st);
  out.ok = true;
  out.session = session;
  return out;
}

Result<StaffAccounts::Login> StaffAccounts::StartTrustedSession(const std::string& username,
                                                                Instant now) {
  Result<std::optional<StaffAccount>> account = Find(username);
  if (!account) return account.status();
  Login out;
  if (!account.value() || (*account)->disabled ||
      ((*account)->locked_until && *(*account)->locked_until > now)) {
    out.why = "the proxy's user '" + username + "' has no enabled account here";
    return out;
  }
  std::lock_guard lock(mu_);
  return StartSession(**account, now);
}

Result<std::optional<StaffSession>> StaffAccounts::FindSession(const std::string& session_id,
                                                               Instant now) {
  using R = Result<std::optional<StaffSession>>;
  if (session_id.size() != 64) return std::optional<StaffSession>();
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string("SELECT ") + kAccountColumns +
               ", x.csrf, x.started_at, x.last_seen_at FROM staff_sessions x "
               "JOIN staff USING (username) WHERE x.id_hash = ? AND x.ended_at IS NULL")
                  .c_str());
  s.Bind(1, LookupHash(session_id));
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<StaffSession>();
  if (rc != SQLITE_ROW) return R::Error("staff accounts: " + s.Error());
  StaffSession session;
  session.account = ReadAccount(s, 0);
  session.csrf = s.Text(6);
  session.started = FromSeconds(s.Int(7));
  session.last_seen = FromSeconds(s.Int(8));
  s.Reset();
  const bool expired =
      now - session.last_seen > policy_.session_idle || now - session.started > policy_.session_max;
  if (session.account.disabled || expired) {
    Stmt end(db_, "UPDATE staff_sessions SET ended_at = ? WHERE id_hash = ?");
    end.Bind(1, Seconds(now)).Bind(2, LookupHash(session_id));
    if (Status st = Done(end, "ending an expired session"); !st) return R(st);
    return std::optional<StaffSession>();
  }
  Stmt touch(db_, "UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?");
  touch.Bind(1, Seconds(now)).Bind(2, LookupHash(session_id));
  if (Status st = Done(touch, "touching a session"); !st) return R(st);
  session.last_seen = now;
  return std::optional<StaffSession>(session);
}

Status StaffAccounts::EndSession(const std::string& session_id) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "UPDATE staff_sessions SET ended_at = unixepoch() WHERE id_hash = ?");
  s.Bind(1, LookupHash(session_id));
  return Done(s, "ending a session");
}

Result<std::string> StaffAccounts::IssueToken(const std::string& username, Instant now) {
  Result<std::optional<StaffAccount>> account = Find(username);
  if (!account) return account.status();
  if (!account.value()) return Result<std::string>::Error("no account '" + username + "'");
  if ((*account)->disabled) {
    return Result<std::string>::Error("account '" + username + "' is disabled");
  }
  const std::string token = RandomToken();
  std::lock_guard lock(mu_);
  Stmt s(db_, "INSERT INTO staff_tokens (token_hash, username, created_at) VALUES (?, ?, ?)");
  s.Bind(1, LookupHash(token)).Bind(2, username).Bind(3, Seconds(now));
  if (Status st = Done(s, "keeping the token"); !st) return st;
  return token;
}

Result<std::optional<StaffAccount>> StaffAccounts::FindToken(const std::string& token) {
  using R = Result<std::optional<StaffAccount>>;
  if (token.size() != 64) return std::optional<StaffAccount>();
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string("SELECT ") + kAccountColumns +
               " FROM staff_tokens t JOIN staff USING (username) "
               "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND staff.disabled = 0")
                  .c_str());
  s.Bind(1, LookupHash(token));
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<StaffAccount>();
  if (rc != SQLITE_ROW) return R::Error("staff accounts: " + s.Error());
  return std::optional<StaffAccount>(ReadAccount(s, 0));
}

}  // namespace complaints
