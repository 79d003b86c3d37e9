// The privacy store on the SQLite case database: its own connection to the file the case store
// migrated (Open migrates it first). The connection is opened in SQLite's serialized mode and
// every call prepares its own statements, so one SqlitePrivacyStore may be shared by threads (the
// workbench's access log); writes wait up to ten seconds for another process's lock.
#pragma once

#include <memory>
#include <string>

#include "daemon/privacy/privacy_store.h"

namespace complaints {

class SqlitePrivacyStore : public PrivacyStore {
 public:
  static Result<std::unique_ptr<SqlitePrivacyStore>> Open(const std::string& path);
  ~SqlitePrivacyStore() override;

  Status Record(const AccessRecord& read) override;
  Status Hold(const std::string& reference, const std::string& reason, const std::string& actor,
              Instant at) override;
  Status Unhold(const std::string& reference, const std::string& reason, const std::string& actor,
                Instant at) override;
  Result<std::vector<CaseHold>> Holds() override;
  Result<std::optional<CaseHold>> HoldOn(const std::string& reference) override;
  Result<RemovalCounts> RemoveExpired(const RetentionCutoffs& cutoffs, Instant now,
                                      bool dry_run) override;
  Result<RemovalCounts> ErasePerson(const PersonIds& person, const std::string& reason,
                                    const std::string& actor, Instant at) override;
  Status CorrectPerson(const PersonIds& person, const ContactCorrection& correction,
                       const std::string& reason, const std::string& actor, Instant at) override;
  Result<std::vector<AccessRecord>> AccessLogFor(const PersonIds& person) override;
  Result<PersonIds> ContactsWithEmail(const std::string& email) override;
  Result<std::vector<Contact>> Contacts(const PersonIds& person) override;
  Result<std::vector<PersonCase>> CasesOf(const PersonIds& person) override;
  Result<std::vector<HeldMessage>> MessagesFor(const std::vector<int64_t>& case_ids,
                                               const std::vector<std::string>& emails) override;
  Result<std::vector<Contact>> OtherContacts(const PersonIds& person) override;

  struct Impl;

 private:
  explicit SqlitePrivacyStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace complaints
