#include "daemon/privacy/sqlite_privacy_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "daemon/cases/sqlite_case_store.h"
#include "daemon/privacy/store_files.h"
#include "parsers/ascii_case.h"
#include "parsers/mail_parser.h"

namespace complaints {
namespace {

// A statement prepared for one use, finalised on destruction.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      error_ = sqlite3_errmsg(db);
      stmt_ = nullptr;
    }
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int i, int64_t v) {
    if (stmt_) sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& Bind(int i, Instant v) { return Bind(i, int64_t{v.time_since_epoch().count()}); }
  Stmt& Bind(int i, const std::string& v) {
    if (stmt_) sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, const std::optional<std::string>& v) {
    if (!v) {
      if (stmt_) sqlite3_bind_null(stmt_, i);
      return *this;
    }
    return Bind(i, *v);
  }
  int Step() {
    if (!stmt_) return SQLITE_ERROR;
    const int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) error_ = sqlite3_errmsg(db_);
    return rc;
  }
  Status Run() {
    const int rc = Step();
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? Status::Ok() : Status::Error(error());
  }
  // Runs it and gives the number of rows it changed.
  Result<long> Changes() {
    if (Status s = Run(); !s) return Result<long>(s);
    return static_cast<long>(sqlite3_changes(db_));
  }
  std::string error() const {
    return "database: " + (error_.empty() ? "statement failed" : error_);
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  Instant At(int col) const { return Instant{std::chrono::seconds{Int(col)}}; }
  std::string Text(int col) const {
    const void* t = sqlite3_column_blob(stmt_, col);
    return t ? std::string(static_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
};

std::string IdsJson(const PersonIds& ids) { return nlohmann::json(ids).dump(); }

// The cases being cleared in this transaction, with the rule or reason each one is cleared under,
// and the contacts to clear with them.
constexpr const char* kScratch = R"sql(
CREATE TEMP TABLE IF NOT EXISTS privacy_cases (case_id INTEGER PRIMARY KEY, rule TEXT NOT NULL,
                                               complaint INTEGER NOT NULL DEFAULT 0);
CREATE TEMP TABLE IF NOT EXISTS privacy_contacts (id INTEGER PRIMARY KEY);
DELETE FROM temp.privacy_cases;
DELETE FROM temp.privacy_contacts;
)sql";

// Contacts of the cases being cleared that no case still kept needs.
constexpr const char* kContactsToClear = R"sql(
INSERT OR IGNORE INTO temp.privacy_contacts(id)
SELECT x.id FROM (
  SELECT c.contact_id AS id FROM cases c JOIN temp.privacy_cases p ON p.case_id = c.id
  UNION
  SELECT c.representative_id FROM cases c JOIN temp.privacy_cases p ON p.case_id = c.id
  WHERE c.representative_id IS NOT NULL) x
WHERE NOT EXISTS (SELECT 1 FROM cases k WHERE k.contact_id = x.id
                  AND k.id NOT IN (SELECT case_id FROM temp.privacy_cases)
                  AND k.id NOT IN (SELECT case_id FROM case_redactions))
  AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.representative_id = x.id
                  AND k.id NOT IN (SELECT case_id FROM temp.privacy_cases)
                  AND k.id NOT IN (SELECT case_id FROM case_redactions))
)sql";

// The removal itself, statement by statement: each one a set, whatever the number of cases.
struct Removal {
  const char* sql;
  long RemovalCounts::*count;  // what its changed rows count as, or null
};
constexpr Removal kRemovals[] = {
    {"UPDATE history SET detail = '[removed]' WHERE case_id IN "
     "(SELECT case_id FROM temp.privacy_cases) AND detail <> '' AND detail NOT LIKE '[removed%'",
     nullptr},
    {"UPDATE cases SET summary = '', definition = '', outcome_sought = '', version = version + 1 "
     "WHERE id IN (SELECT case_id FROM temp.privacy_cases)",
     nullptr},
    {"UPDATE actions SET description = '[removed]' WHERE case_id IN "
     "(SELECT case_id FROM temp.privacy_cases) AND description <> '[removed]'",
     nullptr},
    {"UPDATE attachments SET bytes = X'', text = '', filename = '' WHERE (case_id IN "
     "(SELECT case_id FROM temp.privacy_cases) OR message_id IN (SELECT m.id FROM messages m "
     "JOIN temp.privacy_cases p ON m.case_id = p.case_id)) AND length(bytes) > 0",
     &RemovalCounts::attachments},
    {"UPDATE messages SET raw = X'', reason = '' WHERE case_id IN "
     "(SELECT case_id FROM temp.privacy_cases) AND length(raw) > 0",
     &RemovalCounts::messages},
    {"DELETE FROM outbox_recipients WHERE outbox_id IN (SELECT o.id FROM outbox o JOIN "
     "temp.privacy_cases p ON o.case_id = p.case_id WHERE o.state <> 'queued')",
     nullptr},
    {"UPDATE outbox SET raw = X'', recipients = '[]', last_error = '' WHERE case_id IN "
     "(SELECT case_id FROM temp.privacy_cases) AND state <> 'queued' AND length(raw) > 0",
     &RemovalCounts::outgoing},
    {"UPDATE contacts SET name = '', phone = '', address = '', tenancy_ref = '', "
     "vulnerabilities = '', adjustments = '', restrictions = '' "
     "WHERE id IN (SELECT id FROM temp.privacy_contacts)",
     &RemovalCounts::contacts},
    {"DELETE FROM contact_emails WHERE contact_id IN (SELECT id FROM temp.privacy_contacts)",
     nullptr},
    {"INSERT OR REPLACE INTO case_redactions(case_id, rule, at) "
     "SELECT case_id, rule, ?1 FROM temp.privacy_cases",
     nullptr},
    {"INSERT INTO history(case_id, at, actor, action, detail) "
     "SELECT case_id, ?1, ?2, 'personal-data-removed', rule || ': the resident''s name, address, "
     "emails and phone, the summary, notes and action descriptions, mail in and out, and scanned "
     "letters were removed; the case''s stages, dates, outcome, deadlines and remedies are kept' "
     "FROM temp.privacy_cases",
     nullptr},
};

// Mail on no case, past its time: suspected spam and quarantine (?1), other (?2).
constexpr const char* kUnfiledWhere =
    "case_id IS NULL AND direction = 'in' AND length(raw) > 0 AND "
    "((state IN ('spam', 'quarantined') AND received_at < ?1) OR "
    "(state NOT IN ('spam', 'quarantined', 'stored') AND received_at < ?2))";

}  // namespace

struct SqlitePrivacyStore::Impl {
  sqlite3* db = nullptr;
  std::mutex mutex;  // one transaction at a time on this connection

  ~Impl() { sqlite3_close(db); }

  Status Exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return Status::Ok();
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return Status::Error("database: " + text);
  }

  // Runs `work` in a write transaction: committed when it returns Ok (and `keep`), else rolled
  // back.
  Status Transaction(const std::function<Status()>& work, bool keep = true) {
    if (Status s = Exec("BEGIN IMMEDIATE"); !s) return s;
    Status result = work();
    if (result && keep) result = Exec("COMMIT");
    if (!result || !keep) Exec("ROLLBACK");
    return result;
  }

  Result<std::optional<int64_t>> CaseId(const std::string& reference) {
    Stmt s(db, "SELECT id FROM cases WHERE reference = ?1");
    s.Bind(1, reference);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<int64_t>();
    if (rc != SQLITE_ROW) return Result<std::optional<int64_t>>::Error(s.error());
    return std::optional<int64_t>(s.Int(0));
  }

  Status History(int64_t case_id, Instant at, const std::string& actor, const std::string& action,
                 const std::string& detail) {
    Stmt s(db,
           "INSERT INTO history(case_id, at, actor, action, detail) VALUES(?1, ?2, ?3, ?4, ?5)");
    s.Bind(1, case_id).Bind(2, at).Bind(3, actor).Bind(4, action).Bind(5, detail);
    return s.Run();
  }

  Status Log(Instant at, const std::string& actor, const std::string& action,
             std::optional<int64_t> contact, std::optional<int64_t> case_id,
             const std::string& detail) {
    Stmt s(db,
           "INSERT INTO privacy_log(at, actor, action, contact_id, case_id, detail) "
           "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    s.Bind(1, at).Bind(2, actor).Bind(3, action).Bind(6, detail);
    if (contact) s.Bind(4, *contact);
    if (case_id) s.Bind(5, *case_id);
    return s.Run();
  }

  // The first hold on any of the person's cases, described, or "" when none.
  Result<std::string> HoldOnPerson(const PersonIds& person) {
    Stmt s(db,
           "SELECT c.reference, h.reason, h.actor FROM cases c JOIN case_holds h ON h.case_id = "
           "c.id WHERE c.contact_id IN (SELECT value FROM json_each(?1)) OR c.representative_id "
           "IN (SELECT value FROM json_each(?1)) ORDER BY c.id LIMIT 1");
    s.Bind(1, IdsJson(person));
    const int rc = s.Step();
    if (rc == SQLITE_DONE) return std::string();
    if (rc != SQLITE_ROW) return Result<std::string>::Error(s.error());
    return "case " + s.Text(0) + " is under a legal hold (" + s.Text(1) + ", by " + s.Text(2) +
           "): release it first with 'complaintsctl cases unhold " + s.Text(0) + " --reason ...'";
  }

  // Clears the cases in temp.privacy_cases and the contacts in temp.privacy_contacts.
  Status Remove(Instant now, const std::string& actor, RemovalCounts& counts) {
    {
      Stmt n(db, "SELECT count(*), coalesce(sum(complaint), 0) FROM temp.privacy_cases");
      if (n.Step() != SQLITE_ROW) return Status::Error(n.error());
      counts.cases = static_cast<long>(n.Int(0));
      counts.complaint_cases = static_cast<long>(n.Int(1));
    }
    {
      Stmt refs(db,
                "SELECT c.reference FROM cases c JOIN temp.privacy_cases p ON p.case_id = c.id "
                "ORDER BY c.id LIMIT 1000");
      int rc;
      while ((rc = refs.Step()) == SQLITE_ROW) counts.references.push_back(refs.Text(0));
      if (rc != SQLITE_DONE) return Status::Error(refs.error());
    }
    if (Status s = Stmt(db, kContactsToClear).Run(); !s) return s;
    for (const Removal& r : kRemovals) {
      Stmt s(db, r.sql);
      s.Bind(1, now).Bind(2, actor);
      Result<long> changed = s.Changes();
      if (!changed) return changed.status();
      if (r.count) counts.*(r.count) += *changed;
    }
    return Status::Ok();
  }

  // Mail from the person that joined no case (quarantined, suspected spam, "other"): its bytes,
  // reason and attachments go, when its From, Sender or Reply-To is one of their addresses. Mail
  // that only names them is someone else's and stays; mail that cannot be read as mail (so has no
  // sender to go by) waits for its retention rule.
  Status EraseUnfiledFrom(const PersonIds& person, RemovalCounts& counts) {
    std::set<std::string> theirs;
    {
      Stmt e(db,
             "SELECT email FROM contact_emails WHERE contact_id IN (SELECT value FROM "
             "json_each(?1))");
      e.Bind(1, IdsJson(person));
      int rc;
      while ((rc = e.Step()) == SQLITE_ROW) theirs.insert(LowerAscii(e.Text(0)));
      if (rc != SQLITE_DONE) return Status::Error(e.error());
    }
    if (theirs.empty()) return Status::Ok();
    std::vector<int64_t> ids;
    {
      Stmt m(db,
             "SELECT id, state, raw FROM messages WHERE case_id IS NULL AND direction = 'in' AND "
             "length(raw) > 0 AND EXISTS (SELECT 1 FROM json_each(?1) a WHERE "
             "instr(lower(CAST(raw AS TEXT)), a.value) > 0)");
      m.Bind(1, nlohmann::json(std::vector<std::string>(theirs.begin(), theirs.end())).dump());
      int rc;
      while ((rc = m.Step()) == SQLITE_ROW) {
        Result<ParsedMail> mail = ParseMail(m.Text(2));
        if (!mail) continue;
        std::vector<std::string> senders = {mail->from.address};
        if (mail->sender) senders.push_back(mail->sender->address);
        if (mail->reply_to) senders.push_back(mail->reply_to->address);
        if (std::none_of(senders.begin(), senders.end(),
                         [&](const std::string& a) { return theirs.count(LowerAscii(a)) > 0; })) {
          continue;
        }
        ids.push_back(m.Int(0));
        const std::string state = m.Text(1);
        (state == "spam" || state == "quarantined" ? counts.spam : counts.unfiled) += 1;
      }
      if (rc != SQLITE_DONE) return Status::Error(m.error());
    }
    if (ids.empty()) return Status::Ok();
    const std::string json = nlohmann::json(ids).dump();
    Stmt a(db,
           "UPDATE attachments SET bytes = X'', text = '', filename = '' WHERE message_id IN "
           "(SELECT value FROM json_each(?1)) AND length(bytes) > 0");
    a.Bind(1, json);
    Result<long> attachments = a.Changes();
    if (!attachments) return attachments.status();
    counts.attachments += *attachments;
    Stmt m(db,
           "UPDATE messages SET raw = X'', reason = '' WHERE case_id IS NULL AND id IN (SELECT "
           "value FROM json_each(?1))");
    m.Bind(1, json);
    return m.Run();
  }

  Status RemoveUnfiled(const RetentionCutoffs& cutoffs, RemovalCounts& counts) {
    const std::string where = kUnfiledWhere;
    {
      Stmt n(db, ("SELECT coalesce(sum(state IN ('spam', 'quarantined')), 0), count(*) FROM "
                  "messages WHERE " +
                  where)
                     .c_str());
      n.Bind(1, cutoffs.spam).Bind(2, cutoffs.unfiled);
      if (n.Step() != SQLITE_ROW) return Status::Error(n.error());
      counts.spam = static_cast<long>(n.Int(0));
      counts.unfiled = static_cast<long>(n.Int(1) - n.Int(0));
    }
    Stmt a(db, ("UPDATE attachments SET bytes = X'', text = '', filename = '' WHERE message_id "
                "IN (SELECT id FROM messages WHERE " +
                where + ") AND length(bytes) > 0")
                   .c_str());
    a.Bind(1, cutoffs.spam).Bind(2, cutoffs.unfiled);
    Result<long> attachments = a.Changes();
    if (!attachments) return attachments.status();
    counts.attachments += *attachments;
    Stmt m(db, ("UPDATE messages SET raw = X'', reason = '' WHERE " + where).c_str());
    m.Bind(1, cutoffs.spam).Bind(2, cutoffs.unfiled);
    return m.Run();
  }
};

SqlitePrivacyStore::SqlitePrivacyStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqlitePrivacyStore::~SqlitePrivacyStore() = default;

Result<std::unique_ptr<SqlitePrivacyStore>> SqlitePrivacyStore::Open(const std::string& path) {
  using R = Result<std::unique_ptr<SqlitePrivacyStore>>;
  {
    // Creates and migrates the schema (and waits out another program doing so).
    Result<std::unique_ptr<SqliteCaseStore>> cases = SqliteCaseStore::Open(path);
    if (!cases) return R(cases.status());
  }
  // The store holds residents' personal data: its files are the owner's alone.
  if (Status s = KeepStoreFilesPrivate(path); !s) return R(s);
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    return R::Error(path + ": cannot open the database: " +
                    (impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  sqlite3_busy_timeout(impl->db, 10000);
  // A retention pass rewrites many pages in one transaction: a 32 MB page cache (the default is
  // 2 MB) spills to the WAL less often. Temporary tables and statement journals stay in files,
  // so a pass over a million cases runs in tens of megabytes.
  for (const char* pragma :
       {"PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL", "PRAGMA cache_size = -32768"}) {
    if (Status s = impl->Exec(pragma); !s) return R::Error(path + ": " + s.error());
  }
  return std::unique_ptr<SqlitePrivacyStore>(new SqlitePrivacyStore(std::move(impl)));
}

Status SqlitePrivacyStore::Record(const AccessRecord& read) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Stmt s(impl_->db,
         "INSERT INTO access_log(at, actor, channel, what, case_id, message_id, detail) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  s.Bind(1, read.at).Bind(2, read.actor).Bind(3, read.channel).Bind(4, read.what);
  s.Bind(7, read.detail);
  if (read.case_id) s.Bind(5, *read.case_id);
  if (read.message_id) s.Bind(6, *read.message_id);
  return s.Run();
}

Status SqlitePrivacyStore::Hold(const std::string& reference, const std::string& reason,
                                const std::string& actor, Instant at) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->Transaction([&]() -> Status {
    Result<std::optional<int64_t>> id = impl_->CaseId(reference);
    if (!id) return id.status();
    if (!*id) return Status::Error("no case " + reference);
    Stmt s(impl_->db,
           "INSERT INTO case_holds(case_id, reason, actor, at) VALUES(?1, ?2, ?3, ?4) "
           "ON CONFLICT(case_id) DO NOTHING");
    s.Bind(1, **id).Bind(2, reason).Bind(3, actor).Bind(4, at);
    Result<long> added = s.Changes();
    if (!added) return added.status();
    if (*added == 0) return Status::Error(reference + " is already under a legal hold");
    if (Status h = impl_->History(**id, at, actor, "legal-hold", reason); !h) return h;
    return impl_->Log(at, actor, "hold", std::nullopt, **id, reason);
  });
}

Status SqlitePrivacyStore::Unhold(const std::string& reference, const std::string& reason,
                                  const std::string& actor, Instant at) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->Transaction([&]() -> Status {
    Result<std::optional<int64_t>> id = impl_->CaseId(reference);
    if (!id) return id.status();
    if (!*id) return Status::Error("no case " + reference);
    Stmt s(impl_->db, "DELETE FROM case_holds WHERE case_id = ?1");
    s.Bind(1, **id);
    Result<long> removed = s.Changes();
    if (!removed) return removed.status();
    if (*removed == 0) return Status::Error(reference + " is not under a legal hold");
    if (Status h = impl_->History(**id, at, actor, "legal-hold-released", reason); !h) return h;
    return impl_->Log(at, actor, "unhold", std::nullopt, **id, reason);
  });
}

Result<std::vector<CaseHold>> SqlitePrivacyStore::Holds() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Stmt s(impl_->db,
         "SELECT c.reference, h.reason, h.actor, h.at FROM case_holds h JOIN cases c ON c.id = "
         "h.case_id ORDER BY h.at, c.id");
  std::vector<CaseHold> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.At(3)});
  if (rc != SQLITE_DONE) return Result<std::vector<CaseHold>>::Error(s.error());
  return out;
}

Result<std::optional<CaseHold>> SqlitePrivacyStore::HoldOn(const std::string& reference) {
  using R = Result<std::optional<CaseHold>>;
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Stmt s(impl_->db,
         "SELECT c.reference, h.reason, h.actor, h.at FROM case_holds h JOIN cases c ON c.id = "
         "h.case_id WHERE c.reference = ?1");
  s.Bind(1, reference);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return std::optional<CaseHold>({s.Text(0), s.Text(1), s.Text(2), s.At(3)});
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return std::optional<CaseHold>();
}

Result<RemovalCounts> SqlitePrivacyStore::RemoveExpired(const RetentionCutoffs& cutoffs,
                                                        Instant now, bool dry_run) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  RemovalCounts counts;
  // An ended case's clock runs from closure, else from its latest event, else from receipt.
  const std::string expired =
      "c.status IN ('closed', 'refused', 'withdrawn', 'resolved') "
      "AND NOT EXISTS (SELECT 1 FROM case_redactions r WHERE r.case_id = c.id) "
      "AND coalesce(c.closed_at, (SELECT max(h.at) FROM history h WHERE h.case_id = c.id), "
      "c.received_at) < CASE WHEN c.type = 'complaint' THEN ?1 ELSE ?2 END";
  Status s = impl_->Transaction(
      [&]() -> Status {
        if (Status t = impl_->Exec(kScratch); !t) return t;
        Stmt fill(impl_->db,
                  ("INSERT INTO temp.privacy_cases(case_id, rule, complaint) "
                   "SELECT c.id, CASE WHEN c.type = 'complaint' THEN ?3 ELSE ?4 END, "
                   "c.type = 'complaint' FROM cases c WHERE " +
                   expired + " AND NOT EXISTS (SELECT 1 FROM case_holds k WHERE k.case_id = c.id)")
                      .c_str());
        fill.Bind(1, cutoffs.complaint).Bind(2, cutoffs.other_case);
        fill.Bind(3, std::string("retention rule complaint (kept for a set time after closure)"));
        fill.Bind(4, std::string("retention rule other-case (kept for a set time after it ended)"));
        if (Status f = fill.Run(); !f) return f;
        Stmt held(impl_->db, ("SELECT count(*) FROM cases c JOIN case_holds k ON k.case_id = "
                              "c.id WHERE " +
                              expired)
                                 .c_str());
        held.Bind(1, cutoffs.complaint).Bind(2, cutoffs.other_case);
        if (held.Step() != SQLITE_ROW) return Status::Error(held.error());
        counts.held = static_cast<long>(held.Int(0));
        if (Status r = impl_->Remove(now, "retention", counts); !r) return r;
        if (Status u = impl_->RemoveUnfiled(cutoffs, counts); !u) return u;
        return impl_->Log(now, "retention", dry_run ? "retention-dry-run" : "retention",
                          std::nullopt, std::nullopt,
                          std::to_string(counts.cases) + " cases, " +
                              std::to_string(counts.contacts) + " contacts, " +
                              std::to_string(counts.messages + counts.spam + counts.unfiled) +
                              " messages, " + std::to_string(counts.outgoing) + " outgoing, " +
                              std::to_string(counts.attachments) + " attachments; " +
                              std::to_string(counts.held) + " held");
      },
      !dry_run);
  if (!s) return Result<RemovalCounts>(s);
  return counts;
}

Result<RemovalCounts> SqlitePrivacyStore::ErasePerson(const PersonIds& person,
                                                      const std::string& reason,
                                                      const std::string& actor, Instant at) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  RemovalCounts counts;
  Status s = impl_->Transaction([&]() -> Status {
    Result<std::string> held = impl_->HoldOnPerson(person);
    if (!held) return held.status();
    if (!held->empty()) return Status::Error("refused: " + *held);
    if (Status t = impl_->Exec(kScratch); !t) return t;
    Stmt fill(impl_->db,
              "INSERT INTO temp.privacy_cases(case_id, rule, complaint) SELECT id, ?2, type = "
              "'complaint' FROM cases WHERE contact_id IN (SELECT value FROM json_each(?1))");
    fill.Bind(1, IdsJson(person)).Bind(2, "erasure (" + reason + ")");
    if (Status f = fill.Run(); !f) return f;
    Stmt them(impl_->db,
              "INSERT OR IGNORE INTO temp.privacy_contacts(id) SELECT value FROM json_each(?1)");
    them.Bind(1, IdsJson(person));
    if (Status f = them.Run(); !f) return f;
    // Before Remove, which clears their addresses.
    if (Status u = impl_->EraseUnfiledFrom(person, counts); !u) return u;
    if (Status r = impl_->Remove(at, actor, counts); !r) return r;
    for (int64_t id : person) {
      if (Status l = impl_->Log(at, actor, "erasure", id, std::nullopt, reason); !l) return l;
    }
    return Status::Ok();
  });
  if (!s) return Result<RemovalCounts>(s);
  return counts;
}

Status SqlitePrivacyStore::CorrectPerson(const PersonIds& person, const ContactCorrection& fix,
                                         const std::string& reason, const std::string& actor,
                                         Instant at) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (fix.empty()) return Status::Error("nothing to correct: give the new values");
  return impl_->Transaction([&]() -> Status {
    Result<std::string> held = impl_->HoldOnPerson(person);
    if (!held) return held.status();
    if (!held->empty()) return Status::Error("refused: " + *held);
    std::string fields;
    auto field = [&](const std::optional<std::string>& v, const char* name) {
      if (v) fields += (fields.empty() ? "" : ", ") + std::string(name);
    };
    field(fix.name, "name");
    field(fix.phone, "phone");
    field(fix.address, "address");
    field(fix.tenancy_ref, "tenancy reference");
    field(fix.vulnerabilities, "vulnerabilities");
    field(fix.adjustments, "adjustments");
    if (!fix.add_emails.empty() || !fix.remove_emails.empty()) {
      fields += (fields.empty() ? "" : ", ") + std::string("email");
    }
    for (int64_t id : person) {
      Stmt u(impl_->db,
             "UPDATE contacts SET name = coalesce(?2, name), phone = coalesce(?3, phone), "
             "address = coalesce(?4, address), tenancy_ref = coalesce(?5, tenancy_ref), "
             "vulnerabilities = coalesce(?6, vulnerabilities), "
             "adjustments = coalesce(?7, adjustments) WHERE id = ?1");
      u.Bind(1, id).Bind(2, fix.name).Bind(3, fix.phone).Bind(4, fix.address);
      u.Bind(5, fix.tenancy_ref).Bind(6, fix.vulnerabilities).Bind(7, fix.adjustments);
      if (Status st = u.Run(); !st) return st;
      for (const std::string& e : fix.remove_emails) {
        Stmt d(impl_->db, "DELETE FROM contact_emails WHERE contact_id = ?1 AND email = ?2");
        d.Bind(1, id).Bind(2, e);
        if (Status st = d.Run(); !st) return st;
      }
      for (const std::string& e : fix.add_emails) {
        Stmt a(impl_->db, "INSERT OR IGNORE INTO contact_emails(contact_id, email) VALUES(?1, ?2)");
        a.Bind(1, id).Bind(2, e);
        if (Status st = a.Run(); !st) return st;
      }
      if (Status l = impl_->Log(at, actor, "correction", id, std::nullopt, fields + ": " + reason);
          !l)
        return l;
    }
    // The history says what was corrected and why, never the old or the new values.
    Stmt h(impl_->db,
           "INSERT INTO history(case_id, at, actor, action, detail) SELECT id, ?2, ?3, "
           "'contact-corrected', ?4 FROM cases WHERE contact_id IN (SELECT value FROM "
           "json_each(?1)) OR representative_id IN (SELECT value FROM json_each(?1))");
    h.Bind(1, IdsJson(person)).Bind(2, at).Bind(3, actor).Bind(4, fields + " corrected: " + reason);
    return h.Run();
  });
}

Result<std::vector<AccessRecord>> SqlitePrivacyStore::AccessLogFor(const PersonIds& person) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Stmt s(impl_->db,
         "SELECT a.at, a.actor, a.channel, a.what, a.case_id, c.reference, a.message_id, a.detail "
         "FROM access_log a JOIN cases c ON c.id = a.case_id WHERE a.case_id IN (SELECT id FROM "
         "cases WHERE contact_id IN (SELECT value FROM json_each(?1)) UNION SELECT id FROM cases "
         "WHERE representative_id IN (SELECT value FROM json_each(?1))) ORDER BY a.id");
  s.Bind(1, IdsJson(person));
  std::vector<AccessRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    AccessRecord r{s.At(0),  s.Text(1), s.Text(2),    s.Text(3),
                   s.Int(4), s.Text(5), std::nullopt, s.Text(7)};
    if (!s.IsNull(6)) r.message_id = s.Int(6);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return Result<std::vector<AccessRecord>>::Error(s.error());
  return out;
}

Result<PersonIds> SqlitePrivacyStore::ContactsWithEmail(const std::string& email) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Stmt s(impl_->db, "SELECT DISTINCT contact_id FROM contact_emails WHERE email = ?1 ORDER BY 1");
  s.Bind(1, email);
  PersonIds out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(s.Int(0));
  if (rc != SQLITE_DONE) return Result<PersonIds>::Error(s.error());
  return out;
}

namespace {

Result<std::vector<Contact>> ReadContacts(sqlite3* db, const char* where, const PersonIds& ids) {
  Stmt s(db, (std::string("SELECT id, name, phone, address, tenancy_ref, vulnerabilities, "
                          "adjustments, restrictions, representative, (SELECT json_group_array("
                          "email) FROM contact_emails e WHERE e.contact_id = contacts.id) FROM "
                          "contacts WHERE ") +
              where + " ORDER BY id")
                 .c_str());
  s.Bind(1, IdsJson(ids));
  std::vector<Contact> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    Contact c;
    c.id = s.Int(0);
    c.name = s.Text(1);
    c.phone = s.Text(2);
    c.address = s.Text(3);
    c.tenancy_ref = s.Text(4);
    c.vulnerabilities = s.Text(5);
    c.adjustments = s.Text(6);
    c.restrictions = s.Text(7);
    c.representative = s.Int(8) != 0;
    const nlohmann::json emails = nlohmann::json::parse(s.Text(9), nullptr, false);
    if (emails.is_array()) {
      for (const auto& e : emails) {
        if (e.is_string()) c.emails.push_back(e.get<std::string>());
      }
    }
    out.push_back(std::move(c));
  }
  if (rc != SQLITE_DONE) return Result<std::vector<Contact>>::Error(s.error());
  return out;
}

}  // namespace

Result<std::vector<Contact>> SqlitePrivacyStore::Contacts(const PersonIds& person) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return ReadContacts(impl_->db, "id IN (SELECT value FROM json_each(?1))", person);
}

Result<std::vector<Contact>> SqlitePrivacyStore::OtherContacts(const PersonIds& person) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return ReadContacts(impl_->db, "id NOT IN (SELECT value FROM json_each(?1))", person);
}

Result<std::vector<PersonCase>> SqlitePrivacyStore::CasesOf(const PersonIds& person) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Stmt s(impl_->db,
         "SELECT id, reference, contact_id NOT IN (SELECT value FROM json_each(?1)) FROM cases "
         "WHERE contact_id IN (SELECT value FROM json_each(?1)) OR representative_id IN "
         "(SELECT value FROM json_each(?1)) ORDER BY id");
  s.Bind(1, IdsJson(person));
  std::vector<PersonCase> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Int(0), s.Text(1), s.Int(2) != 0});
  if (rc != SQLITE_DONE) return Result<std::vector<PersonCase>>::Error(s.error());
  return out;
}

Result<std::vector<HeldMessage>> SqlitePrivacyStore::MessagesFor(
    const std::vector<int64_t>& case_ids, const std::vector<std::string>& emails) {
  using R = Result<std::vector<HeldMessage>>;
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::vector<std::string> lowered;
  for (std::string e : emails) {
    for (char& ch : e) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!e.empty()) lowered.push_back(e);
  }
  const std::string cases = nlohmann::json(case_ids).dump();
  const std::string addresses = nlohmann::json(lowered).dump();
  // A message is theirs when it is on their case, or names one of their addresses anywhere in
  // its bytes (the caller keeps those whose headers do).
  const char* mentions =
      "EXISTS (SELECT 1 FROM json_each(?2) a WHERE instr(lower(CAST(raw AS TEXT)), a.value) > 0)";
  Stmt s(impl_->db,
         (std::string("SELECT 1, m.id, m.case_id, coalesce(c.reference, ''), m.received_at, "
                      "m.state, '', m.raw FROM messages m LEFT JOIN cases c ON c.id = m.case_id "
                      "WHERE m.direction = 'in' AND (m.case_id IN (SELECT value FROM "
                      "json_each(?1)) OR ") +
          mentions +
          ") UNION ALL SELECT 0, o.id, o.case_id, coalesce(c.reference, ''), "
          "coalesce(o.sent_at, o.created_at), o.state, o.kind, o.raw FROM outbox o LEFT JOIN "
          "cases c ON c.id = o.case_id WHERE o.case_id IN (SELECT value FROM json_each(?1)) OR " +
          mentions + " ORDER BY 5, 2")
             .c_str());
  s.Bind(1, cases).Bind(2, addresses);
  std::vector<HeldMessage> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    HeldMessage m;
    m.incoming = s.Int(0) != 0;
    m.id = s.Int(1);
    if (!s.IsNull(2)) m.case_id = s.Int(2);
    m.reference = s.Text(3);
    m.at = s.At(4);
    m.state = s.Text(5);
    m.kind = s.Text(6);
    m.raw = s.Text(7);
    out.push_back(std::move(m));
  }
  if (rc != SQLITE_DONE) return R::Error(s.error());
  return out;
}

}  // namespace complaints
