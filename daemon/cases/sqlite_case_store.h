// The SQLite case store: one file, WAL mode, foreign keys on, forward migrations at open, every
// statement prepared with bound parameters. One SqliteCaseStore holds one connection and is not
// thread-safe; other processes (complaintsctl beside the daemon) open their own.
#pragma once

#include <memory>
#include <string>

#include "daemon/cases/case_store.h"
#include "parsers/result.h"

namespace complaints {

class SqliteCaseStore : public CaseStore {
 public:
  // Opens (creating if needed) and migrates the database at `path`.
  static Result<std::unique_ptr<SqliteCaseStore>> Open(const std::string& path);
  ~SqliteCaseStore() override;

  // The schema version after migration.
  int schema_version() const;

  Status InTransaction(const std::function<Status(StoreTransaction&)>& work) override;
  Status CommitTogether(const std::function<void()>& work) override;
  Result<CaseRecord> FindCase(const std::string& reference) override;
  Result<std::vector<CaseRecord>> ListCases(const CaseQuery& query) override;
  Result<long> CountCases(const CaseQuery& query) override;
  Result<std::vector<HistoryEntry>> History(int64_t case_id) override;
  Result<Contact> GetContact(int64_t id) override;
  Result<std::vector<CaseDocument>> Documents(int64_t case_id) override;
  Result<std::optional<StoredMessage>> FindMessage(int64_t id) override;
  Result<std::vector<MessageListing>> ListMessages(const MessageQuery& query) override;
  Result<std::optional<MessageListing>> DescribeMessage(int64_t id) override;
  Result<std::vector<std::pair<std::string, Instant>>> UnrecordedAcknowledgements() override;
  Result<std::string> MessageRaw(int64_t id) override;
  Result<std::vector<std::pair<std::string, std::string>>> RelabelledCases() override;
  Result<std::vector<WatchedDeadline>> PendingDeadlines(Instant until, int limit) override;
  Result<std::vector<WatchedDeadline>> OpenDeadlines(Instant until, int limit) override;
  Result<std::vector<OutboxItem>> DueOutgoing(Instant now, int limit) override;
  Result<std::vector<OutboxItem>> OutboxFor(int64_t case_id) override;
  Result<std::vector<FailedMail>> FailedOutgoing(int limit) override;
  Status MarkSent(int64_t item_id, Instant at) override;
  Status MarkAttemptFailed(int64_t item_id, const std::string& error, Instant next_attempt_at,
                           bool permanent) override;

  struct Impl;

 private:
  explicit SqliteCaseStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace complaints
