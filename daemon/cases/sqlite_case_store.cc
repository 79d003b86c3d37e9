#include "daemon/cases/sqlite_case_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

namespace complaints {
namespace {

using nlohmann::json;

// Forward migrations; schema version N is the state after kMigrations[N-1]. Never edit a shipped
// migration: append a new one.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  tenancy_ref TEXT NOT NULL DEFAULT '',
  vulnerabilities TEXT NOT NULL DEFAULT '',
  adjustments TEXT NOT NULL DEFAULT '',
  restrictions TEXT NOT NULL DEFAULT '',
  representative INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE contact_emails (
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  email TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (contact_id, email)
);
CREATE INDEX contact_emails_by_email ON contact_emails(email);
CREATE TABLE sequences (
  key TEXT PRIMARY KEY,
  last INTEGER NOT NULL
);
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  reference TEXT NOT NULL UNIQUE,
  policy_id TEXT NOT NULL,
  type TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  stage INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  representative_id INTEGER REFERENCES contacts(id),
  summary TEXT NOT NULL DEFAULT '',
  definition TEXT NOT NULL DEFAULT '',
  outcome_sought TEXT NOT NULL DEFAULT '',
  refusal_reason TEXT NOT NULL DEFAULT '',
  needs_review INTEGER NOT NULL DEFAULT 0,
  flags TEXT NOT NULL DEFAULT '[]',
  closed_at INTEGER
);
CREATE INDEX cases_by_status ON cases(status);
CREATE TABLE stages (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  number INTEGER NOT NULL,
  name TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  acknowledged_at INTEGER,
  defined_at INTEGER,
  handler TEXT NOT NULL DEFAULT '',
  panel TEXT NOT NULL DEFAULT '[]',
  extension_days INTEGER NOT NULL DEFAULT 0,
  responded_at INTEGER,
  outcome TEXT NOT NULL DEFAULT '',
  apology INTEGER NOT NULL DEFAULT 0,
  financial TEXT NOT NULL DEFAULT '[]',
  escalation_requested_at INTEGER,
  escalation_late INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stages_by_case ON stages(case_id);
CREATE TABLE deadlines (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  stage INTEGER NOT NULL,
  kind TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  met_at INTEGER,
  superseded_at INTEGER,
  warned_at INTEGER,
  breached_at INTEGER
);
CREATE INDEX deadlines_by_case ON deadlines(case_id);
CREATE INDEX deadlines_open_by_due ON deadlines(due_at)
  WHERE met_at IS NULL AND superseded_at IS NULL;
CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  stage INTEGER NOT NULL,
  description TEXT NOT NULL,
  due_on INTEGER,
  done_at INTEGER
);
CREATE INDEX actions_by_case ON actions(case_id);
CREATE TABLE history (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX history_by_case ON history(case_id);
CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  case_id INTEGER REFERENCES cases(id),
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  message_id TEXT,
  sha256 TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  mailbox TEXT NOT NULL DEFAULT '',
  uidvalidity INTEGER,
  uid INTEGER,
  state TEXT NOT NULL DEFAULT 'stored',
  reason TEXT NOT NULL DEFAULT '',
  raw BLOB NOT NULL
);
CREATE UNIQUE INDEX messages_by_hash ON messages(direction, sha256);
CREATE INDEX messages_by_message_id ON messages(message_id);
CREATE INDEX messages_by_case ON messages(case_id);
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  filename TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  case_id INTEGER REFERENCES cases(id),
  created_at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  recipients TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  raw BLOB NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at INTEGER
);
CREATE INDEX outbox_waiting ON outbox(next_attempt_at) WHERE state = 'queued';
CREATE TABLE mailbox_cursors (
  mailbox TEXT NOT NULL,
  folder TEXT NOT NULL,
  uidvalidity INTEGER NOT NULL,
  last_uid INTEGER NOT NULL,
  PRIMARY KEY (mailbox, folder)
);
)sql",
    // 2: who each outgoing message went to, for the automatic-reply cap.
    R"sql(
ALTER TABLE outbox ADD COLUMN automatic INTEGER NOT NULL DEFAULT 1;
CREATE TABLE outbox_recipients (
  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
  recipient TEXT NOT NULL COLLATE NOCASE,
  automatic INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX outbox_recipients_by_recipient ON outbox_recipients(recipient, created_at);
)sql",
    // 3: the deadline watcher's index: open, unbreached deadlines by due time.
    R"sql(
CREATE INDEX deadlines_pending ON deadlines(due_at)
  WHERE met_at IS NULL AND superseded_at IS NULL AND breached_at IS NULL;
)sql",
    // 4: documents kept on a case (a scanned letter and the text read from it).
    R"sql(
ALTER TABLE attachments ADD COLUMN case_id INTEGER REFERENCES cases(id);
ALTER TABLE attachments ADD COLUMN text TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN method TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN pages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN added_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX attachments_by_case ON attachments(case_id);
)sql",
    // 5: the workbench's queue: each case's next deadline we owe (acknowledge, respond, resolve
    // the pre-formal step), or 253402300799 (the last second of 9999) when none, kept by
    // InsertCase and UpdateCase, so the queue's first page is read through an index.
    R"sql(
ALTER TABLE cases ADD COLUMN next_due_at INTEGER NOT NULL DEFAULT 253402300799;
UPDATE cases SET next_due_at = coalesce((SELECT min(d.due_at) FROM deadlines d
  WHERE d.case_id = cases.id AND d.met_at IS NULL AND d.superseded_at IS NULL
  AND d.kind IN ('acknowledge', 'respond', 'pre_formal_resolve')), 253402300799);
CREATE INDEX cases_queue ON cases(next_due_at, id) WHERE status NOT IN ('closed', 'refused', 'withdrawn');
CREATE INDEX cases_by_contact ON cases(contact_id);
CREATE INDEX outbox_failed ON outbox(id) WHERE state = 'failed';
ALTER TABLE history ADD COLUMN recorded_at INTEGER;
)sql",
    // 6: the annual report's themes and learning (issue 19): each case's service area, suggested
    // with a confidence and confirmed by staff; the Ombudsman's involvement; learning actions.
    R"sql(
ALTER TABLE cases ADD COLUMN service_area TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN service_area_confidence REAL;
ALTER TABLE cases ADD COLUMN service_area_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN ombudsman_at INTEGER;
ALTER TABLE cases ADD COLUMN ombudsman_outcome TEXT NOT NULL DEFAULT '';
CREATE TABLE learning_actions (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  what TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  due_on INTEGER,
  done_at INTEGER,
  added_at INTEGER NOT NULL
);
CREATE INDEX learning_actions_by_case ON learning_actions(case_id);
)sql",
    // privacy (issue 21): residents' data, kept by daemon/privacy/. Legal holds; the cases whose
    // personal data retention or erasure removed (and under which rule); the log of who read
    // what; the privacy actions themselves. History stays append-only, except that a detail may
    // be replaced by a "[removed ...]" marker (nothing else on the row may change).
    R"sql(
CREATE TABLE case_holds (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE case_redactions (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  rule TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE access_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  channel TEXT NOT NULL,
  what TEXT NOT NULL,
  case_id INTEGER,
  message_id INTEGER,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_by_case ON access_log(case_id);
CREATE TABLE privacy_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  contact_id INTEGER,
  case_id INTEGER,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cases_by_representative ON cases(representative_id)
  WHERE representative_id IS NOT NULL;
CREATE INDEX outbox_by_case ON outbox(case_id);
CREATE INDEX messages_unfiled ON messages(received_at) WHERE case_id IS NULL;
DROP TRIGGER history_is_append_only_update;
CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
  WHEN NOT (NEW.detail LIKE '[removed%' AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id
            AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.action = OLD.action
            AND NEW.recorded_at IS OLD.recorded_at)
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
)sql",
    // 8: the reports read every case in receipt order (ListCases pages by received_at, id); without
    // this index each page sorted the whole table (bench/report: 21.4 s at 100,000 cases, 4.5 s
    // with it).
    R"sql(
CREATE INDEX cases_by_received ON cases(received_at, id);
)sql",
};

constexpr int64_t kNoDeadline = 253402300799;  // 9999-12-31T23:59:59Z: no deadline we owe

constexpr int kSchemaVersion = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

// How long any step waits for another program's lock on the database before it is an error.
constexpr std::chrono::milliseconds kBusyWait{10000};

bool IsBusy(int code) { return (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED; }

// A connection and the statements it has prepared, kept for reuse: compiling SQL costs more than
// running most of these statements (a message's intake runs about forty). The cache has its own
// lock: SQLite serialises calls on the connection (FULLMUTEX), not our map.
struct Connection {
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;  // taken by a Statement; another use of the same SQL prepares its own
  };
  sqlite3* handle = nullptr;
  std::mutex mutex;  // guards `statements` and every `in_use`
  std::unordered_map<std::string, Cached> statements;

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    for (auto& [sql, cached] : statements) sqlite3_finalize(cached.stmt);
    sqlite3_close(handle);
  }
  operator sqlite3*() const { return handle; }
};

// One prepared statement: from the connection's cache (reset and unbound on destruction) or,
// given a bare handle, prepared for this use alone (finalised on destruction).
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if ((code_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr)) != SQLITE_OK) {
      error_ = sqlite3_errmsg(db);
      stmt_ = nullptr;
    }
  }
  Statement(Connection& c, const char* sql) : db_(c.handle), connection_(&c) {
    {
      std::lock_guard<std::mutex> lock(c.mutex);
      Connection::Cached& cached = c.statements[sql];
      if (!cached.in_use) {
        if (cached.stmt == nullptr) {
          code_ =
              sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &cached.stmt, nullptr);
          if (code_ != SQLITE_OK) {
            error_ = sqlite3_errmsg(db_);
            cached.stmt = nullptr;
            return;
          }
        }
        cached.in_use = true;
        cached_ = &cached;
        stmt_ = cached.stmt;
        return;
      }
    }
    // The same SQL is still stepping (nested, or on another thread): a statement of its own.
    if ((code_ = sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr)) != SQLITE_OK) {
      error_ = sqlite3_errmsg(db_);
      stmt_ = nullptr;
    }
  }
  ~Statement() {
    if (cached_ == nullptr) {
      sqlite3_finalize(stmt_);
      return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    std::lock_guard<std::mutex> lock(connection_->mutex);
    cached_->in_use = false;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int i, int64_t v) {
    if (stmt_) sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, const std::string& v) {
    if (stmt_) sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindBlob(int i, const std::string& v) {
    if (stmt_) sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, std::optional<int64_t> v) {
    if (stmt_) v ? sqlite3_bind_int64(stmt_, i, *v) : sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Statement& Bind(int i, std::optional<Instant> v) {
    return Bind(i, v ? std::optional<int64_t>(v->time_since_epoch().count()) : std::nullopt);
  }
  Statement& Bind(int i, Instant v) { return Bind(i, int64_t{v.time_since_epoch().count()}); }
  Statement& Bind(int i, std::optional<double> v) {
    if (stmt_) v ? sqlite3_bind_double(stmt_, i, *v) : sqlite3_bind_null(stmt_, i);
    return *this;
  }

  // SQLITE_ROW: a row is ready; SQLITE_DONE: finished; anything else: error().
  int Step() {
    if (!stmt_) return SQLITE_ERROR;
    const int rc = code_ = sqlite3_step(stmt_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) error_ = sqlite3_errmsg(db_);
    return rc;
  }
  Status Run() {
    const int rc = Step();
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? Status::Ok() : Status::Error(error());
  }
  std::string error() const {
    return "database: " + (error_.empty() ? "statement failed" : error_);
  }
  // Another connection holds the lock this statement needed.
  bool busy() const { return IsBusy(code_); }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::string Blob(int col) const {
    const void* b = sqlite3_column_blob(stmt_, col);
    return b ? std::string(static_cast<const char*>(b),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::optional<Instant> MaybeInstant(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Instant{std::chrono::seconds{Int(col)}};
  }
  Instant At(int col) const { return Instant{std::chrono::seconds{Int(col)}}; }
  std::optional<double> MaybeReal(int col) const {
    if (IsNull(col)) return std::nullopt;
    return sqlite3_column_double(stmt_, col);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  Connection* connection_ = nullptr;
  Connection::Cached* cached_ = nullptr;  // not null: the statement belongs to the cache
  std::string error_;
  int code_ = SQLITE_OK;
};

Status Exec(sqlite3* db, const char* sql, bool* busy = nullptr) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (busy) *busy = IsBusy(rc);
  if (rc == SQLITE_OK) return Status::Ok();
  const std::string text = message ? message : "unknown error";
  sqlite3_free(message);
  return Status::Error("database: " + text);
}

std::string ToJson(const std::vector<std::string>& items) { return json(items).dump(); }

std::vector<std::string> StringsFromJson(const std::string& text) {
  const json doc = json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (doc.is_array()) {
    for (const json& item : doc) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

std::string FinancialToJson(const std::vector<FinancialRemedy>& items) {
  json out = json::array();
  for (const FinancialRemedy& f : items) {
    out.push_back({{"amount_pence", f.amount_pence}, {"what_for", f.what_for}});
  }
  return out.dump();
}

std::vector<FinancialRemedy> FinancialFromJson(const std::string& text) {
  const json doc = json::parse(text, nullptr, false);
  std::vector<FinancialRemedy> out;
  if (!doc.is_array()) return out;
  for (const json& item : doc) {
    if (!item.is_object()) continue;
    out.push_back({item.value("amount_pence", 0L), item.value("what_for", std::string())});
  }
  return out;
}

constexpr const char* kCaseColumns =
    "id, version, reference, policy_id, type, channel, status, stage, received_at, contact_id, "
    "representative_id, summary, definition, outcome_sought, refusal_reason, needs_review, flags, "
    "closed_at, service_area, service_area_confidence, service_area_by, ombudsman_at, "
    "ombudsman_outcome";

Result<CaseRecord> CaseFromRow(const Statement& s) {
  CaseRecord c;
  c.id = s.Int(0);
  c.version = s.Int(1);
  c.reference = s.Text(2);
  c.policy_id = s.Text(3);
  Result<CaseType> type = ParseCaseType(s.Text(4));
  Result<Channel> channel = ParseChannel(s.Text(5));
  if (!type || !channel)
    return Result<CaseRecord>::Error("database: case " + c.reference +
                                     " has an unknown type or channel");
  c.type = *type;
  c.channel = *channel;
  c.status = s.Text(6);
  c.stage = static_cast<int>(s.Int(7));
  c.received_at = s.At(8);
  c.contact_id = s.Int(9);
  if (!s.IsNull(10)) c.representative_id = s.Int(10);
  c.summary = s.Text(11);
  c.definition = s.Text(12);
  c.outcome_sought = s.Text(13);
  c.refusal_reason = s.Text(14);
  c.needs_review = s.Int(15) != 0;
  c.flags = StringsFromJson(s.Text(16));
  c.closed_at = s.MaybeInstant(17);
  c.service_area = s.Text(18);
  c.service_area_confidence = s.MaybeReal(19);
  c.service_area_by = s.Text(20);
  c.ombudsman_at = s.MaybeInstant(21);
  c.ombudsman_outcome = s.Text(22);
  return c;
}

}  // namespace

struct SqliteCaseStore::Impl : public StoreTransaction {
  Connection db;
  int version = 0;
  bool wal = false;           // journal_mode is WAL (CommitTogether relies on it)
  std::string flush_failure;  // set for good when a flush to disk has failed

  // The connection's settings, then the schema brought up to date.
  // *busy says whether a failure was another connection's lock, worth trying again.
  Status Prepare(bool* busy) {
    *busy = false;
    for (const char* pragma :
         {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL"}) {
      Statement s(db, pragma);
      const int rc = s.Step();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *busy = s.busy();
        return Status::Error(s.error());
      }
      // Some file systems cannot hold a WAL; then SQLite keeps its rollback journal.
      if (rc == SQLITE_ROW && std::string_view(pragma).find("journal_mode") != std::string::npos) {
        wal = s.Text(0) == "wal";
      }
    }
    return Migrate(busy);
  }

  Status Migrate(bool* busy) {
    Statement get(db, "PRAGMA user_version");
    if (get.Step() != SQLITE_ROW) {
      *busy = get.busy();
      return Status::Error(get.error());
    }
    version = static_cast<int>(get.Int(0));
    if (version > kSchemaVersion) {
      return Status::Error("database schema version " + std::to_string(version) +
                           " is newer than this program's " + std::to_string(kSchemaVersion) +
                           ": upgrade complaintsd");
    }
    while (version < kSchemaVersion) {
      if (Status s = Exec(db, "BEGIN IMMEDIATE", busy); !s) return s;
      Statement again(db, "PRAGMA user_version");  // another process may have migrated meanwhile
      if (again.Step() != SQLITE_ROW) {
        Exec(db, "ROLLBACK");
        return Status::Error(again.error());
      }
      version = static_cast<int>(again.Int(0));
      if (version >= kSchemaVersion) {
        Exec(db, "COMMIT");
        break;
      }
      Status s = Exec(db, kMigrations[version]);
      const std::string bump = "PRAGMA user_version = " + std::to_string(version + 1);
      if (s) s = Exec(db, bump.c_str());  // a number we produce, not input: PRAGMA takes no ?
      if (!s) {
        Exec(db, "ROLLBACK");
        return Status::Error("migrating the database to version " + std::to_string(version + 1) +
                             ": " + s.error());
      }
      if (Status c = Exec(db, "COMMIT", busy); !c) {
        Exec(db, "ROLLBACK");
        return c;
      }
      ++version;
    }
    return Status::Ok();
  }

  Result<long> NextSequence(const std::string& key) override {
    Statement s(db,
                "INSERT INTO sequences(key, last) VALUES(?1, 1) "
                "ON CONFLICT(key) DO UPDATE SET last = last + 1 RETURNING last");
    s.Bind(1, key);
    if (s.Step() != SQLITE_ROW) return Result<long>::Error(s.error());
    return static_cast<long>(s.Int(0));
  }

  Result<int64_t> InsertContact(const Contact& c) override {
    Statement s(db,
                "INSERT INTO contacts(name, phone, address, tenancy_ref, vulnerabilities, "
                "adjustments, restrictions, representative, created_at) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%s','now'))");
    s.Bind(1, c.name).Bind(2, c.phone).Bind(3, c.address).Bind(4, c.tenancy_ref);
    s.Bind(5, c.vulnerabilities).Bind(6, c.adjustments).Bind(7, c.restrictions);
    s.Bind(8, int64_t{c.representative ? 1 : 0});
    if (Status st = s.Run(); !st) return Result<int64_t>(st);
    const int64_t id = sqlite3_last_insert_rowid(db);
    for (const std::string& email : c.emails) {
      Statement e(db, "INSERT OR IGNORE INTO contact_emails(contact_id, email) VALUES(?1, ?2)");
      e.Bind(1, id).Bind(2, email);
      if (Status st = e.Run(); !st) return Result<int64_t>(st);
    }
    return id;
  }

  Result<std::optional<int64_t>> FindContactByEmail(const std::string& email) override {
    Statement s(db,
                "SELECT contact_id FROM contact_emails WHERE email = ?1 ORDER BY contact_id "
                "LIMIT 1");
    s.Bind(1, email);
    const int rc = s.Step();
    if (rc == SQLITE_ROW) return std::optional<int64_t>(s.Int(0));
    if (rc == SQLITE_DONE) return std::optional<int64_t>();
    return Result<std::optional<int64_t>>::Error(s.error());
  }

  // The stages, deadlines, actions and learning actions of `cases`, four queries in all (not
  // four per case): the ids go in as one JSON array, and each query walks its table's index on
  // case_id in order, so a page of a report's thousands of cases reads its rows together.
  // Without `deadlines_and_actions`, only stages and learning actions (what reports read).
  Status LoadChildren(std::vector<CaseRecord>& cases, bool deadlines_and_actions = true) {
    if (cases.empty()) return Status::Ok();
    std::unordered_map<int64_t, CaseRecord*> by_id;
    std::string ids = "[";
    for (CaseRecord& c : cases) {
      by_id[c.id] = &c;
      ids += (ids.size() > 1 ? "," : "") + std::to_string(c.id);
    }
    ids += "]";
    // Runs `sql` (its ?1 the id array; its first column the case id) and gives each row to `add`.
    const auto each = [&](const char* sql, const auto& add) -> Status {
      Statement st(db, sql);
      st.Bind(1, ids);
      int rc;
      while ((rc = st.Step()) == SQLITE_ROW) add(*by_id.at(st.Int(0)), st);
      return rc == SQLITE_DONE ? Status::Ok() : Status::Error(st.error());
    };
    Status loaded = each(
        "SELECT case_id, id, number, name, opened_at, acknowledged_at, defined_at, handler, panel, "
        "extension_days, responded_at, outcome, apology, financial, escalation_requested_at, "
        "escalation_late FROM stages WHERE case_id IN (SELECT value FROM json_each(?1)) "
        "ORDER BY case_id, id",
        [](CaseRecord& c, const Statement& st) {
          StageRecord s;
          s.id = st.Int(1);
          s.number = static_cast<int>(st.Int(2));
          s.name = st.Text(3);
          s.opened_at = st.At(4);
          s.acknowledged_at = st.MaybeInstant(5);
          s.defined_at = st.MaybeInstant(6);
          s.handler = st.Text(7);
          s.panel = StringsFromJson(st.Text(8));
          s.extension_days = static_cast<int>(st.Int(9));
          s.responded_at = st.MaybeInstant(10);
          s.outcome = st.Text(11);
          s.apology = st.Int(12) != 0;
          s.financial = FinancialFromJson(st.Text(13));
          s.escalation_requested_at = st.MaybeInstant(14);
          s.escalation_late = st.Int(15) != 0;
          c.stages.push_back(std::move(s));
        });
    if (!loaded) return loaded;
    if (deadlines_and_actions) {
      loaded = each(
          "SELECT case_id, id, stage, kind, due_at, met_at, superseded_at FROM deadlines "
          "WHERE case_id IN (SELECT value FROM json_each(?1)) ORDER BY case_id, id",
          [](CaseRecord& c, const Statement& st) {
            c.deadlines.push_back({st.Int(1), static_cast<int>(st.Int(2)), st.Text(3), st.At(4),
                                   st.MaybeInstant(5), st.MaybeInstant(6)});
          });
      if (!loaded) return loaded;
      loaded = each(
          "SELECT case_id, id, stage, description, due_on, done_at FROM actions "
          "WHERE case_id IN (SELECT value FROM json_each(?1)) ORDER BY case_id, id",
          [](CaseRecord& c, const Statement& st) {
            ActionRecord a{st.Int(1), static_cast<int>(st.Int(2)), st.Text(3), std::nullopt,
                           st.MaybeInstant(5)};
            if (!st.IsNull(4)) a.due_on = std::chrono::sys_days{std::chrono::days{st.Int(4)}};
            c.actions.push_back(std::move(a));
          });
      if (!loaded) return loaded;
    }
    return each(
        "SELECT case_id, id, what, owner, due_on, done_at, added_at FROM learning_actions "
        "WHERE case_id IN (SELECT value FROM json_each(?1)) ORDER BY case_id, id",
        [](CaseRecord& c, const Statement& st) {
          LearningAction l{st.Int(1),    st.Text(2),         st.Text(3),
                           std::nullopt, st.MaybeInstant(5), st.At(6)};
          if (!st.IsNull(4)) l.due_on = std::chrono::sys_days{std::chrono::days{st.Int(4)}};
          c.learning.push_back(std::move(l));
        });
  }

  Result<CaseRecord> LoadCase(const std::string& reference) override {
    const std::string sql =
        std::string("SELECT ") + kCaseColumns + " FROM cases WHERE reference = ?1";
    Statement s(db, sql.c_str());
    s.Bind(1, reference);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) return Result<CaseRecord>::Error("no case " + reference);
    if (rc != SQLITE_ROW) return Result<CaseRecord>::Error(s.error());
    Result<CaseRecord> c = CaseFromRow(s);
    if (!c) return c;
    std::vector<CaseRecord> one;
    one.push_back(std::move(c).value());
    if (Status st = LoadChildren(one); !st) return Result<CaseRecord>(st);
    return std::move(one.front());
  }

  Status WriteChildren(CaseRecord& c) {
    for (StageRecord& s : c.stages) {
      Statement st(db, s.id == 0 ? "INSERT INTO stages(case_id, number, name, opened_at, "
                                   "acknowledged_at, defined_at, handler, panel, extension_days, "
                                   "responded_at, outcome, apology, financial, "
                                   "escalation_requested_at, escalation_late, id) VALUES(?1, ?2, "
                                   "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                                   "NULL)"
                                 : "UPDATE stages SET case_id = ?1, number = ?2, name = ?3, "
                                   "opened_at = ?4, acknowledged_at = ?5, defined_at = ?6, "
                                   "handler = ?7, panel = ?8, extension_days = ?9, responded_at "
                                   "= ?10, outcome = ?11, apology = ?12, financial = ?13, "
                                   "escalation_requested_at = ?14, escalation_late = ?15 WHERE "
                                   "id = ?16");
      st.Bind(1, c.id).Bind(2, int64_t{s.number}).Bind(3, s.name).Bind(4, s.opened_at);
      st.Bind(5, s.acknowledged_at).Bind(6, s.defined_at).Bind(7, s.handler);
      st.Bind(8, ToJson(s.panel)).Bind(9, int64_t{s.extension_days}).Bind(10, s.responded_at);
      st.Bind(11, s.outcome).Bind(12, int64_t{s.apology ? 1 : 0});
      st.Bind(13, FinancialToJson(s.financial)).Bind(14, s.escalation_requested_at);
      st.Bind(15, int64_t{s.escalation_late ? 1 : 0});
      if (s.id != 0) st.Bind(16, s.id);
      if (Status r = st.Run(); !r) return r;
      if (s.id == 0) s.id = sqlite3_last_insert_rowid(db);
    }
    for (Deadline& d : c.deadlines) {
      Statement st(db, d.id == 0 ? "INSERT INTO deadlines(case_id, stage, kind, due_at, met_at, "
                                   "superseded_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                                 : "UPDATE deadlines SET case_id = ?1, stage = ?2, kind = ?3, "
                                   "due_at = ?4, met_at = ?5, superseded_at = ?6 WHERE id = ?7");
      st.Bind(1, c.id).Bind(2, int64_t{d.stage}).Bind(3, d.kind).Bind(4, d.due_at);
      st.Bind(5, d.met_at).Bind(6, d.superseded_at);
      if (d.id != 0) st.Bind(7, d.id);
      if (Status r = st.Run(); !r) return r;
      if (d.id == 0) d.id = sqlite3_last_insert_rowid(db);
    }
    for (ActionRecord& a : c.actions) {
      Statement st(db, a.id == 0 ? "INSERT INTO actions(case_id, stage, description, due_on, "
                                   "done_at) VALUES(?1, ?2, ?3, ?4, ?5)"
                                 : "UPDATE actions SET case_id = ?1, stage = ?2, description = "
                                   "?3, due_on = ?4, done_at = ?5 WHERE id = ?6");
      st.Bind(1, c.id).Bind(2, int64_t{a.stage}).Bind(3, a.description);
      st.Bind(4, a.due_on ? std::optional<int64_t>(a.due_on->time_since_epoch().count())
                          : std::nullopt);
      st.Bind(5, a.done_at);
      if (a.id != 0) st.Bind(6, a.id);
      if (Status r = st.Run(); !r) return r;
      if (a.id == 0) a.id = sqlite3_last_insert_rowid(db);
    }
    for (LearningAction& l : c.learning) {
      Statement st(db, l.id == 0 ? "INSERT INTO learning_actions(case_id, what, owner, due_on, "
                                   "done_at, added_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                                 : "UPDATE learning_actions SET case_id = ?1, what = ?2, owner = "
                                   "?3, due_on = ?4, done_at = ?5, added_at = ?6 WHERE id = ?7");
      st.Bind(1, c.id).Bind(2, l.what).Bind(3, l.owner);
      st.Bind(4, l.due_on ? std::optional<int64_t>(l.due_on->time_since_epoch().count())
                          : std::nullopt);
      st.Bind(5, l.done_at).Bind(6, l.added_at);
      if (l.id != 0) st.Bind(7, l.id);
      if (Status r = st.Run(); !r) return r;
      if (l.id == 0) l.id = sqlite3_last_insert_rowid(db);
    }
    return Status::Ok();
  }

  // The next deadline we owe on `c` (the queue's order), or the end of time.
  static int64_t NextDue(const CaseRecord& c) {
    int64_t next = kNoDeadline;
    for (const Deadline& d : c.deadlines) {
      if (!d.open()) continue;
      if (d.kind != deadline_kind::kAcknowledge && d.kind != deadline_kind::kRespond &&
          d.kind != deadline_kind::kPreFormalResolve) {
        continue;
      }
      next = std::min<int64_t>(next, d.due_at.time_since_epoch().count());
    }
    return next;
  }

  void BindCase(Statement& s, const CaseRecord& c) {
    s.Bind(1, c.reference).Bind(2, c.policy_id).Bind(3, std::string(CaseTypeName(c.type)));
    s.Bind(4, std::string(ChannelName(c.channel))).Bind(5, c.status).Bind(6, int64_t{c.stage});
    s.Bind(7, c.received_at).Bind(8, c.contact_id).Bind(9, c.representative_id);
    s.Bind(10, c.summary).Bind(11, c.definition).Bind(12, c.outcome_sought);
    s.Bind(13, c.refusal_reason).Bind(14, int64_t{c.needs_review ? 1 : 0});
    s.Bind(15, ToJson(c.flags)).Bind(16, c.closed_at);
    s.Bind(20, c.service_area).Bind(21, c.service_area_confidence).Bind(22, c.service_area_by);
    s.Bind(23, c.ombudsman_at).Bind(24, c.ombudsman_outcome);
  }

  Status InsertCase(CaseRecord& c) override {
    Statement s(db,
                "INSERT INTO cases(reference, policy_id, type, channel, status, stage, "
                "received_at, contact_id, representative_id, summary, definition, outcome_sought, "
                "refusal_reason, needs_review, flags, closed_at, version, next_due_at, "
                "service_area, service_area_confidence, service_area_by, ombudsman_at, "
                "ombudsman_outcome) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                "?13, ?14, ?15, ?16, 1, ?19, ?20, ?21, ?22, ?23, ?24)");
    BindCase(s, c);
    s.Bind(19, NextDue(c));
    if (Status r = s.Run(); !r) return r;
    c.id = sqlite3_last_insert_rowid(db);
    c.version = 1;
    return WriteChildren(c);
  }

  Status UpdateCase(CaseRecord& c) override {
    Statement s(db,
                "UPDATE cases SET reference = ?1, policy_id = ?2, type = ?3, channel = ?4, "
                "status = ?5, stage = ?6, received_at = ?7, contact_id = ?8, representative_id = "
                "?9, summary = ?10, definition = ?11, outcome_sought = ?12, refusal_reason = ?13, "
                "needs_review = ?14, flags = ?15, closed_at = ?16, version = version + 1, "
                "next_due_at = ?19, service_area = ?20, service_area_confidence = ?21, "
                "service_area_by = ?22, ombudsman_at = ?23, ombudsman_outcome = ?24 WHERE id = "
                "?17 AND version = ?18");
    BindCase(s, c);
    s.Bind(17, c.id).Bind(18, c.version).Bind(19, NextDue(c));
    if (Status r = s.Run(); !r) return r;
    if (sqlite3_changes(db) != 1) {
      return Status::Error("case " + c.reference +
                           " was changed by someone else meanwhile: reload it and try again");
    }
    ++c.version;
    return WriteChildren(c);
  }

  Result<StoredMessage> StoreIncoming(const IncomingMessage& m) override {
    // Only the same bytes are a duplicate here: a Message-ID is the sender's word, and a copy
    // with other bytes is stored and then judged by intake (ClaimMessageId).
    Statement find(
        db, "SELECT id, state, case_id FROM messages WHERE direction = 'in' AND sha256 = ?1");
    find.Bind(1, m.sha256);
    const int rc = find.Step();
    if (rc == SQLITE_ROW) {
      StoredMessage out{find.Int(0), true, find.Text(1), std::nullopt};
      if (!find.IsNull(2)) out.case_id = find.Int(2);
      return out;
    }
    if (rc != SQLITE_DONE) return Result<StoredMessage>::Error(find.error());
    Statement s(db,
                "INSERT INTO messages(direction, message_id, sha256, received_at, mailbox, "
                "uidvalidity, uid, state, raw) VALUES('in', ?1, ?2, ?3, ?4, ?5, ?6, 'stored', ?7)");
    if (m.message_id) {
      s.Bind(1, *m.message_id);
    } else {
      s.Bind(1, std::optional<int64_t>());
    }
    s.Bind(2, m.sha256).Bind(3, m.received_at).Bind(4, m.mailbox);
    s.Bind(5, m.uidvalidity ? std::optional<int64_t>(*m.uidvalidity) : std::nullopt);
    s.Bind(6, m.uid ? std::optional<int64_t>(*m.uid) : std::nullopt);
    s.BindBlob(7, m.raw);
    if (Status st = s.Run(); !st) return Result<StoredMessage>(st);
    return StoredMessage{sqlite3_last_insert_rowid(db), false, "stored", std::nullopt};
  }

  Result<std::optional<EarlierCopy>> ClaimMessageId(int64_t row,
                                                    const std::string& message_id) override {
    using R = Result<std::optional<EarlierCopy>>;
    Statement set(db, "UPDATE messages SET message_id = ?1 WHERE id = ?2");
    set.Bind(1, message_id).Bind(2, row);
    if (Status st = set.Run(); !st) return R(st);
    Statement find(db,
                   "SELECT m.id, m.state, c.reference FROM messages m LEFT JOIN cases c ON "
                   "c.id = m.case_id WHERE m.direction = 'in' AND m.message_id = ?1 AND "
                   "m.id <> ?2 ORDER BY m.id LIMIT 1");
    find.Bind(1, message_id).Bind(2, row);
    const int rc = find.Step();
    if (rc == SQLITE_DONE) return std::optional<EarlierCopy>();
    if (rc != SQLITE_ROW) return R::Error(find.error());
    EarlierCopy first{find.Int(0), find.Text(1), std::nullopt};
    if (!find.IsNull(2)) first.case_reference = find.Text(2);
    return std::optional<EarlierCopy>(first);
  }

  Status SetMessageState(int64_t id, const std::string& state, const std::string& reason,
                         std::optional<int64_t> case_id) override {
    Statement s(db,
                "UPDATE messages SET state = ?1, reason = ?2, case_id = COALESCE(?3, case_id) "
                "WHERE id = ?4");
    s.Bind(1, state).Bind(2, reason).Bind(3, case_id).Bind(4, id);
    return s.Run();
  }

  Result<std::optional<FolderCursor>> GetCursor(const std::string& mailbox,
                                                const std::string& folder) override {
    using R = Result<std::optional<FolderCursor>>;
    Statement s(db,
                "SELECT uidvalidity, last_uid FROM mailbox_cursors WHERE mailbox = ?1 AND "
                "folder = ?2");
    s.Bind(1, mailbox).Bind(2, folder);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<FolderCursor>();
    if (rc != SQLITE_ROW) return R::Error(s.error());
    return std::optional<FolderCursor>(
        FolderCursor{static_cast<uint32_t>(s.Int(0)), static_cast<uint32_t>(s.Int(1))});
  }

  Status SetCursor(const std::string& mailbox, const std::string& folder,
                   const FolderCursor& cursor) override {
    Statement s(db,
                "INSERT INTO mailbox_cursors(mailbox, folder, uidvalidity, last_uid) "
                "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(mailbox, folder) DO UPDATE SET "
                "uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid");
    s.Bind(1, mailbox).Bind(2, folder).Bind(3, int64_t{cursor.uidvalidity});
    s.Bind(4, int64_t{cursor.last_uid});
    return s.Run();
  }

  Status QueueOutgoing(OutboxItem& item) override {
    Statement s(db,
                "INSERT INTO outbox(case_id, created_at, kind, envelope_from, recipients, "
                "message_id, raw, state, attempts, next_attempt_at, automatic) VALUES(?1, ?2, "
                "?3, ?4, ?5, ?6, ?7, 'queued', 0, ?8, ?9)");
    s.Bind(1, item.case_id).Bind(2, item.next_attempt_at).Bind(3, item.kind);
    s.Bind(4, item.envelope_from).Bind(5, ToJson(item.recipients)).Bind(6, item.message_id);
    s.BindBlob(7, item.raw).Bind(8, item.next_attempt_at);
    s.Bind(9, int64_t{item.automatic ? 1 : 0});
    if (Status st = s.Run(); !st) return st;
    item.id = sqlite3_last_insert_rowid(db);
    item.state = "queued";
    for (const std::string& r : item.recipients) {
      Statement rec(db,
                    "INSERT INTO outbox_recipients(outbox_id, recipient, automatic, "
                    "created_at) VALUES(?1, ?2, ?3, ?4)");
      rec.Bind(1, item.id).Bind(2, r).Bind(3, int64_t{item.automatic ? 1 : 0});
      rec.Bind(4, item.next_attempt_at);
      if (Status st = rec.Run(); !st) return st;
    }
    return Status::Ok();
  }

  Result<bool> MarkDeadline(const char* sql, int64_t id, Instant at) {
    Statement s(db, sql);
    s.Bind(1, at).Bind(2, id);
    if (Status st = s.Run(); !st) return Result<bool>(st);
    return sqlite3_changes(db) == 1;
  }
  Result<bool> MarkDeadlineWarned(int64_t id, Instant at) override {
    return MarkDeadline(
        "UPDATE deadlines SET warned_at = ?1 WHERE id = ?2 AND warned_at IS NULL "
        "AND met_at IS NULL AND superseded_at IS NULL",
        id, at);
  }
  Result<bool> MarkDeadlineBreached(int64_t id, Instant at) override {
    return MarkDeadline(
        "UPDATE deadlines SET breached_at = ?1 WHERE id = ?2 AND breached_at IS "
        "NULL AND met_at IS NULL AND superseded_at IS NULL",
        id, at);
  }

  Result<bool> OutboxHas(const std::string& message_id) override {
    Statement s(db, "SELECT 1 FROM outbox WHERE message_id = ?1");
    s.Bind(1, message_id);
    const int rc = s.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Result<bool>::Error(s.error());
    return rc == SQLITE_ROW;
  }

  Result<int> CountAutomaticTo(const std::string& recipient, Instant since) override {
    Statement s(db,
                "SELECT COUNT(*) FROM outbox_recipients WHERE recipient = ?1 AND automatic = 1 "
                "AND created_at >= ?2");
    s.Bind(1, recipient).Bind(2, since);
    if (s.Step() != SQLITE_ROW) return Result<int>::Error(s.error());
    return static_cast<int>(s.Int(0));
  }

  Status AddDocument(CaseDocument& d) override {
    Statement s(db,
                "INSERT INTO attachments(message_id, case_id, filename, content_type, size, bytes, "
                "text, method, pages, added_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    s.Bind(1, d.message_id).Bind(2, d.case_id).Bind(3, d.filename).Bind(4, d.content_type);
    s.Bind(5, static_cast<int64_t>(d.bytes.size())).BindBlob(6, d.bytes).Bind(7, d.text);
    s.Bind(8, d.method).Bind(9, int64_t{d.pages}).Bind(10, d.added_at);
    if (Status st = s.Run(); !st) return st;
    d.id = sqlite3_last_insert_rowid(db);
    return Status::Ok();
  }

  Status AppendHistory(int64_t case_id, const HistoryEntry& e) override {
    Statement s(db,
                "INSERT INTO history(case_id, at, actor, action, detail, recorded_at) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    s.Bind(1, case_id).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.detail);
    if (e.recorded_at) {
      s.Bind(6, *e.recorded_at);
    } else {
      s.Bind(6, std::optional<int64_t>());
    }
    return s.Run();
  }
  Result<std::optional<Instant>> LatestEventAt(int64_t case_id) override {
    Statement s(db, "SELECT max(at) FROM history WHERE case_id = ?1");
    s.Bind(1, case_id);
    if (s.Step() != SQLITE_ROW) return Result<std::optional<Instant>>::Error(s.error());
    if (s.IsNull(0)) return std::optional<Instant>();
    return std::optional<Instant>(s.At(0));
  }
};

SqliteCaseStore::SqliteCaseStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteCaseStore::~SqliteCaseStore() = default;

Result<std::unique_ptr<SqliteCaseStore>> SqliteCaseStore::Open(const std::string& path) {
  using R = Result<std::unique_ptr<SqliteCaseStore>>;
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open_v2(path.c_str(), &impl->db.handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    return R::Error(path + ": cannot open the database: " +
                    (impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  sqlite3_busy_timeout(impl->db, static_cast<int>(kBusyWait.count()));
  // Switching a new database to WAL and creating its schema take locks that SQLite's busy handler
  // does not always wait for (it returns SQLITE_BUSY at once where waiting could deadlock), so two
  // programs opening a new database together, the daemon and complaintsctl, would see "database is
  // locked". Each step is retried until the same limit instead.
  const auto give_up = std::chrono::steady_clock::now() + kBusyWait;
  auto pause = std::chrono::milliseconds{5};
  for (;;) {
    bool busy = false;
    Status s = impl->Prepare(&busy);
    if (s) break;
    if (!busy || std::chrono::steady_clock::now() >= give_up) {
      return R::Error(path + ": " + s.error());
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds{200});
  }
  return std::unique_ptr<SqliteCaseStore>(new SqliteCaseStore(std::move(impl)));
}

int SqliteCaseStore::schema_version() const { return impl_->version; }

Status SqliteCaseStore::InTransaction(const std::function<Status(StoreTransaction&)>& work) {
  if (Status s = Statement(impl_->db, "BEGIN IMMEDIATE").Run(); !s) return s;
  Status result = work(*impl_);
  if (result) result = Statement(impl_->db, "COMMIT").Run();
  if (!result) Statement(impl_->db, "ROLLBACK").Run();
  return result;
}

Status SqliteCaseStore::CommitTogether(const std::function<void()>& work) {
  // After a failed flush nothing the disk holds can be trusted to be what was written (Linux may
  // report a later flush as good after dropping the data): refuse, until a restart reads the
  // database afresh.
  if (!impl_->flush_failure.empty()) return Status::Error(impl_->flush_failure);
  if (!impl_->wal) {  // a rollback journal: every commit is flushed on its own anyway
    work();
    return Status::Ok();
  }
  // Within `work`, commits are written to the WAL without waiting for the disk (synchronous =
  // NORMAL keeps the database consistent after a crash; only the latest commits could be lost).
  // Then one fsync of the WAL makes every one of them durable, as FULL would have one by one.
  // A checkpoint meanwhile syncs the WAL before copying it into the database file and syncs that
  // file before the WAL is reused, so whatever is not in the WAL is already on disk.
  if (Status s = Exec(impl_->db, "PRAGMA synchronous = NORMAL"); !s) return s;
  try {
    work();
  } catch (...) {  // FULL again however `work` ends
    Exec(impl_->db, "PRAGMA synchronous = FULL");
    throw;
  }
  Status flushed = Exec(impl_->db, "PRAGMA synchronous = FULL");
  if (!flushed) {  // a transaction left open: the setting cannot change, so neither can we
    impl_->flush_failure = "cannot flush the database to disk: " + flushed.error();
    return Status::Error(impl_->flush_failure);
  }
  sqlite3_file* log = nullptr;
  if (sqlite3_file_control(impl_->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log) != SQLITE_OK ||
      log == nullptr || log->pMethods == nullptr) {
    return Status::Ok();  // no WAL file open: nothing was written to one
  }
  if (const int rc = log->pMethods->xSync(log, SQLITE_SYNC_FULL); rc != SQLITE_OK) {
    impl_->flush_failure =
        std::string("cannot flush the database's log to disk: ") + sqlite3_errstr(rc);
    return Status::Error(impl_->flush_failure);
  }
  return Status::Ok();
}

Result<CaseRecord> SqliteCaseStore::FindCase(const std::string& reference) {
  return impl_->LoadCase(reference);
}

namespace {

// The filters as bound values (NULL: no filter); a search term is matched as a substring of the
// reference, the resident's name, email or address (postcodes with or without their space).
// The SELECT of a case query, `columns` after SELECT: only the conditions the query sets, so that
// the plain queue (open cases by next due date) is exactly the partial index cases_queue's
// condition and reads 50 rows, not every case. Values are bound (?1 .. ?10), never spliced in.
std::string CaseSelect(const std::string& columns, const CaseQuery& query) {
  std::string with;
  std::string sql = "SELECT " + columns + " FROM cases c WHERE 1";
  if (query.status) {
    sql += " AND c.status = ?1";
  } else if (!query.include_closed) {
    sql += " AND c.status NOT IN ('closed', 'refused', 'withdrawn')";
  }
  if (query.type) sql += " AND c.type = ?2";
  if (query.stage) sql += " AND c.stage = ?3";
  if (query.handler) {
    sql +=
        " AND EXISTS (SELECT 1 FROM stages s WHERE s.case_id = c.id AND s.number = c.stage AND "
        "(s.handler = ?4 OR EXISTS (SELECT 1 FROM json_each(s.panel) WHERE value = ?4)))";
  }
  if (query.flag) {
    sql +=
        " AND instr(c.flags, ?5) > 0 AND EXISTS (SELECT 1 FROM json_each(c.flags) WHERE value = "
        "?5 OR value LIKE ?5 || ':%')";  // instr first: most cases carry no flag at all
  }
  if (query.search && query.search->find('@') != std::string::npos &&
      query.search->find(' ') == std::string::npos) {
    // A whole email address: that person, through the index on addresses.
    with = "WITH matching AS (SELECT e.contact_id AS id FROM contact_emails e WHERE e.email = ?6) ";
    sql += " AND (c.contact_id IN matching OR c.representative_id IN matching)";
  } else if (query.search) {
    // The people who match are found once (not once per case), then their cases.
    with =
        "WITH matching AS (SELECT p.id FROM contacts p WHERE instr(lower(p.name), ?6) > 0 OR "
        "instr(replace(lower(p.address), ' ', ''), replace(?6, ' ', '')) > 0 UNION SELECT "
        "e.contact_id FROM contact_emails e WHERE instr(lower(e.email), ?6) > 0) ";
    sql +=
        " AND (instr(lower(c.reference), ?6) > 0 OR c.contact_id IN matching OR "
        "c.representative_id IN matching)";
  }
  if (query.needs_review) sql += " AND c.needs_review = 1";
  if (query.after && query.order == CaseQuery::Order::kReceived) {
    sql += " AND (c.received_at, c.id) > (?9, ?10)";  // a seek in cases_by_received
  }
  return with + sql;
}

void BindCaseQuery(Statement& s, const CaseQuery& query) {
  if (query.status) s.Bind(1, *query.status);
  if (query.type) s.Bind(2, std::string(CaseTypeName(*query.type)));
  if (query.stage) s.Bind(3, int64_t{*query.stage});
  if (query.handler) s.Bind(4, *query.handler);
  if (query.flag) s.Bind(5, *query.flag);
  if (query.search) {
    std::string search = *query.search;
    for (char& ch : search) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    s.Bind(6, search);
  }
  if (query.after && query.order == CaseQuery::Order::kReceived) {
    s.Bind(9, query.after->received_at).Bind(10, query.after->id);
  }
}

}  // namespace

Result<std::vector<CaseRecord>> SqliteCaseStore::ListCases(const CaseQuery& query) {
  using R = Result<std::vector<CaseRecord>>;
  std::string sql =
      CaseSelect(kCaseColumns, query) + (query.order == CaseQuery::Order::kNextDue
                                             ? " ORDER BY c.next_due_at, c.id LIMIT ?7 OFFSET ?8"
                                             : " ORDER BY c.received_at, c.id LIMIT ?7 OFFSET ?8");
  Statement s(impl_->db, sql.c_str());
  BindCaseQuery(s, query);
  s.Bind(7, int64_t{query.limit}).Bind(8, int64_t{query.offset});
  std::vector<CaseRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    Result<CaseRecord> c = CaseFromRow(s);
    if (!c) return R(c.status());
    out.push_back(std::move(c).value());
  }
  if (rc != SQLITE_DONE) return R::Error(s.error());
  if (Status st = impl_->LoadChildren(out, !query.stages_and_learning_only); !st) return R(st);
  return out;
}

Result<long> SqliteCaseStore::CountCases(const CaseQuery& query) {
  Statement s(impl_->db, CaseSelect("count(*)", query).c_str());
  BindCaseQuery(s, query);
  if (s.Step() != SQLITE_ROW) return Result<long>::Error(s.error());
  return static_cast<long>(s.Int(0));
}

Result<std::vector<HistoryEntry>> SqliteCaseStore::History(int64_t case_id) {
  using R = Result<std::vector<HistoryEntry>>;
  Statement s(impl_->db,
              "SELECT at, actor, action, detail, recorded_at FROM history WHERE case_id = ?1 "
              "ORDER BY id");
  s.Bind(1, case_id);
  std::vector<HistoryEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.push_back({s.At(0), s.Text(1), s.Text(2), s.Text(3),
                   s.IsNull(4) ? std::nullopt : std::optional<Instant>(s.At(4))});
  }
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return out;
}

Result<std::vector<CaseDocument>> SqliteCaseStore::Documents(int64_t case_id) {
  using R = Result<std::vector<CaseDocument>>;
  Statement s(impl_->db,
              "SELECT id, message_id, filename, content_type, bytes, text, method, pages, added_at "
              "FROM attachments WHERE case_id = ?1 ORDER BY id");
  s.Bind(1, case_id);
  std::vector<CaseDocument> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    CaseDocument d;
    d.id = s.Int(0);
    d.case_id = case_id;
    d.message_id = s.Int(1);
    d.filename = s.Text(2);
    d.content_type = s.Text(3);
    d.bytes = s.Blob(4);
    d.text = s.Text(5);
    d.method = s.Text(6);
    d.pages = static_cast<int>(s.Int(7));
    d.added_at = s.At(8);
    out.push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return out;
}

Result<Contact> SqliteCaseStore::GetContact(int64_t id) {
  Statement s(impl_->db,
              "SELECT id, name, phone, address, tenancy_ref, vulnerabilities, adjustments, "
              "restrictions, representative FROM contacts WHERE id = ?1");
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return Result<Contact>::Error("no contact " + std::to_string(id));
  if (rc != SQLITE_ROW) return Result<Contact>::Error(s.error());
  Contact c{s.Int(0),  s.Text(1), {},        s.Text(2), s.Text(3),
            s.Text(4), s.Text(5), s.Text(6), s.Text(7), s.Int(8) != 0};
  Statement e(impl_->db, "SELECT email FROM contact_emails WHERE contact_id = ?1 ORDER BY email");
  e.Bind(1, id);
  while (e.Step() == SQLITE_ROW) c.emails.push_back(e.Text(0));
  return c;
}

Result<std::optional<StoredMessage>> SqliteCaseStore::FindMessage(int64_t id) {
  using R = Result<std::optional<StoredMessage>>;
  Statement s(impl_->db, "SELECT id, state, case_id FROM messages WHERE id = ?1");
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<StoredMessage>();
  if (rc != SQLITE_ROW) return R::Error(s.error());
  StoredMessage m{s.Int(0), false, s.Text(1), std::nullopt};
  if (!s.IsNull(2)) m.case_id = s.Int(2);
  return std::optional<StoredMessage>(m);
}

namespace {

constexpr const char* kListingColumns =
    "SELECT m.id, m.received_at, m.state, m.reason, c.reference FROM messages m LEFT JOIN cases c "
    "ON c.id = m.case_id WHERE m.direction = 'in' ";

// One row of kListingColumns.
MessageListing ReadListing(const Statement& s) {
  MessageListing m{s.Int(0), s.At(1), s.Text(2), s.Text(3), std::nullopt};
  if (!s.IsNull(4)) m.case_reference = s.Text(4);
  return m;
}

}  // namespace

Result<std::vector<MessageListing>> SqliteCaseStore::ListMessages(const MessageQuery& query) {
  using R = Result<std::vector<MessageListing>>;
  // The states as one bound JSON array: no SQL built from the caller's words.
  const nlohmann::json states = query.states;
  const std::string sql =
      std::string(kListingColumns) +
      "AND m.id > ?4 AND m.received_at >= ?1 AND (json_array_length(?2) = 0 OR "
      "m.state IN (SELECT value FROM json_each(?2))) AND (?5 IS NULL OR m.case_id = ?5) "
      "ORDER BY m.id LIMIT ?3";
  Statement s(impl_->db, sql.c_str());
  s.Bind(1, query.since).Bind(2, states.dump()).Bind(3, int64_t{query.limit});
  s.Bind(4, query.after_id).Bind(5, query.case_id);
  std::vector<MessageListing> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadListing(s));
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return out;
}

Result<std::optional<MessageListing>> SqliteCaseStore::DescribeMessage(int64_t id) {
  using R = Result<std::optional<MessageListing>>;
  const std::string sql = std::string(kListingColumns) + "AND m.id = ?1";
  Statement s(impl_->db, sql.c_str());
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<MessageListing>();
  if (rc != SQLITE_ROW) return R::Error(s.error());
  return std::optional<MessageListing>(ReadListing(s));
}

Result<std::vector<std::pair<std::string, Instant>>> SqliteCaseStore::UnrecordedAcknowledgements() {
  using R = Result<std::vector<std::pair<std::string, Instant>>>;
  Statement s(impl_->db,
              "SELECT c.reference, MIN(o.sent_at) FROM cases c JOIN stages s ON s.case_id = c.id "
              "AND s.number = c.stage JOIN outbox o ON o.case_id = c.id AND o.kind = 'ack-stage' "
              "AND o.state = 'sent' AND o.created_at >= s.opened_at WHERE c.status = 'open' AND "
              "c.stage >= 1 AND s.acknowledged_at IS NULL GROUP BY c.id ORDER BY c.id");
  std::vector<std::pair<std::string, Instant>> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Text(0), s.At(1)});
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return out;
}

Result<std::string> SqliteCaseStore::MessageRaw(int64_t id) {
  Statement s(impl_->db, "SELECT raw FROM messages WHERE id = ?1");
  s.Bind(1, id);
  if (s.Step() != SQLITE_ROW) return Result<std::string>::Error("no message " + std::to_string(id));
  return s.Blob(0);
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteCaseStore::RelabelledCases() {
  Statement s(impl_->db,
              "SELECT c.type, m.raw FROM cases c JOIN messages m ON m.id = (SELECT min(id) FROM "
              "messages WHERE case_id = c.id AND direction = 'in') WHERE EXISTS (SELECT 1 FROM "
              "history h WHERE h.case_id = c.id AND h.action = 'relabelled') ORDER BY c.id");
  std::vector<std::pair<std::string, std::string>> out;
  while (s.Step() == SQLITE_ROW) out.push_back({s.Text(0), s.Blob(1)});
  return out;
}

namespace {

constexpr const char* kOutboxColumns =
    "id, case_id, kind, envelope_from, recipients, message_id, raw, state, attempts, "
    "next_attempt_at, last_error, sent_at, automatic";

OutboxItem OutboxFromRow(const Statement& s) {
  OutboxItem item;
  item.id = s.Int(0);
  if (!s.IsNull(1)) item.case_id = s.Int(1);
  item.kind = s.Text(2);
  item.envelope_from = s.Text(3);
  item.recipients = StringsFromJson(s.Text(4));
  item.message_id = s.Text(5);
  item.raw = s.Blob(6);
  item.state = s.Text(7);
  item.attempts = static_cast<int>(s.Int(8));
  item.next_attempt_at = s.At(9);
  item.last_error = s.Text(10);
  item.sent_at = s.MaybeInstant(11);
  item.automatic = s.Int(12) != 0;
  return item;
}

}  // namespace

namespace {

Result<std::vector<WatchedDeadline>> QueryDeadlines(sqlite3* db, const char* sql, Instant until,
                                                    int limit) {
  using R = Result<std::vector<WatchedDeadline>>;
  Statement s(db, sql);
  s.Bind(1, until).Bind(2, int64_t{limit});
  std::vector<WatchedDeadline> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.push_back({s.Int(0), s.Int(1), s.Text(2), static_cast<int>(s.Int(3)), s.Text(4), s.At(5),
                   s.MaybeInstant(6), s.MaybeInstant(7)});
  }
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return out;
}

}  // namespace

Result<std::vector<WatchedDeadline>> SqliteCaseStore::PendingDeadlines(Instant until, int limit) {
  return QueryDeadlines(
      impl_->db,
      "SELECT d.id, d.case_id, c.reference, d.stage, d.kind, d.due_at, d.warned_at, d.breached_at "
      "FROM deadlines d INDEXED BY deadlines_pending JOIN cases c ON c.id = d.case_id "
      "WHERE d.met_at IS NULL AND d.superseded_at IS NULL AND d.breached_at IS NULL "
      "AND d.due_at <= ?1 AND d.kind IN ('acknowledge', 'respond', 'pre_formal_resolve') "
      "ORDER BY d.due_at LIMIT ?2",
      until, limit);
}

Result<std::vector<WatchedDeadline>> SqliteCaseStore::OpenDeadlines(Instant until, int limit) {
  return QueryDeadlines(
      impl_->db,
      "SELECT d.id, d.case_id, c.reference, d.stage, d.kind, d.due_at, d.warned_at, d.breached_at "
      "FROM deadlines d INDEXED BY deadlines_open_by_due JOIN cases c ON c.id = d.case_id "
      "WHERE d.met_at IS NULL AND d.superseded_at IS NULL AND d.due_at <= ?1 "
      "AND d.kind IN ('acknowledge', 'respond', 'pre_formal_resolve') "
      "ORDER BY d.due_at LIMIT ?2",
      until, limit);
}

Result<std::vector<OutboxItem>> SqliteCaseStore::DueOutgoing(Instant now, int limit) {
  using R = Result<std::vector<OutboxItem>>;
  // Mail about changes that may not have reached the disk is not sent.
  if (!impl_->flush_failure.empty()) return R::Error(impl_->flush_failure + "; nothing is sent");
  const std::string sql = std::string("SELECT ") + kOutboxColumns +
                          " FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?1 "
                          "ORDER BY next_attempt_at, id LIMIT ?2";
  Statement s(impl_->db, sql.c_str());
  s.Bind(1, now).Bind(2, int64_t{limit});
  std::vector<OutboxItem> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(OutboxFromRow(s));
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return out;
}

Result<std::vector<OutboxItem>> SqliteCaseStore::OutboxFor(int64_t case_id) {
  using R = Result<std::vector<OutboxItem>>;
  const std::string sql =
      std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE case_id = ?1 ORDER BY id";
  Statement s(impl_->db, sql.c_str());
  s.Bind(1, case_id);
  std::vector<OutboxItem> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(OutboxFromRow(s));
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return out;
}

Result<std::vector<FailedMail>> SqliteCaseStore::FailedOutgoing(int limit) {
  using R = Result<std::vector<FailedMail>>;
  const std::string sql = std::string("SELECT ") + kOutboxColumns +
                          ", (SELECT reference FROM cases WHERE cases.id = outbox.case_id) FROM "
                          "outbox INDEXED BY outbox_failed WHERE state = 'failed' ORDER BY id DESC "
                          "LIMIT ?1";
  Statement s(impl_->db, sql.c_str());
  s.Bind(1, int64_t{limit});
  std::vector<FailedMail> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({OutboxFromRow(s), s.Text(13)});
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return out;
}

Status SqliteCaseStore::MarkSent(int64_t item_id, Instant at) {
  Statement s(impl_->db,
              "UPDATE outbox SET state = 'sent', sent_at = ?1, attempts = attempts + 1, "
              "last_error = '' WHERE id = ?2 AND state = 'queued'");
  s.Bind(1, at).Bind(2, item_id);
  return s.Run();
}

Status SqliteCaseStore::MarkAttemptFailed(int64_t item_id, const std::string& error,
                                          Instant next_attempt_at, bool permanent) {
  Statement s(impl_->db,
              "UPDATE outbox SET attempts = attempts + 1, last_error = ?1, next_attempt_at = ?2, "
              "state = CASE WHEN ?3 THEN 'failed' ELSE state END WHERE id = ?4 AND "
              "state = 'queued'");
  s.Bind(1, error).Bind(2, next_attempt_at).Bind(3, int64_t{permanent ? 1 : 0}).Bind(4, item_id);
  return s.Run();
}

}  // namespace complaints
