// Where cases, contacts, messages, history and the outbox live.
//
// An interface, so that a PostgreSQL store can follow the SQLite one. All changes happen inside
// InTransaction: either everything the callback did is committed or nothing is. Several processes
// may use one store at once (the daemon and complaintsctl); reference numbers never repeat.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "daemon/case_record.h"
#include "parsers/result.h"

namespace complaints {

class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;

  // The next number in the sequence named `key` (e.g. "WW-2026"): 1, 2, 3, ... Writers are
  // serialised, so two processes never get the same number; a number taken by a transaction
  // that rolls back was never used and is handed out again (the sequence has no gaps).
  virtual Result<long> NextSequence(const std::string& key) = 0;

  virtual Result<int64_t> InsertContact(const Contact& contact) = 0;
  virtual Result<std::optional<int64_t>> FindContactByEmail(const std::string& email) = 0;

  virtual Result<CaseRecord> LoadCase(const std::string& reference) = 0;
  // Assigns ids to the case and its stages, deadlines and actions.
  virtual Status InsertCase(CaseRecord& record) = 0;
  // Writes the case row (refused if another writer changed it since it was loaded), updates
  // existing child rows and inserts new ones (id 0); bumps record.version.
  virtual Status UpdateCase(CaseRecord& record) = 0;
  virtual Status AppendHistory(int64_t case_id, const HistoryEntry& entry) = 0;
};

struct CaseQuery {
  std::optional<std::string> status;  // only cases in this status
  bool include_closed = false;
  int limit = 1000;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  virtual Status InTransaction(const std::function<Status(StoreTransaction&)>& work) = 0;

  virtual Result<CaseRecord> FindCase(const std::string& reference) = 0;
  virtual Result<std::vector<CaseRecord>> ListCases(const CaseQuery& query) = 0;
  virtual Result<std::vector<HistoryEntry>> History(int64_t case_id) = 0;
  virtual Result<Contact> GetContact(int64_t id) = 0;
};

}  // namespace complaints
