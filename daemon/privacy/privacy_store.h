// Where the privacy work reads and changes the store: legal holds, removing expired or erased
// personal data (set-based, in one transaction), corrections, the access log, and what a subject
// access request gathers. An interface beside CaseStore (daemon/cases/case_store.h), so that a
// PostgreSQL store can follow; SqlitePrivacyStore works on the same database file.
//
// Removal keeps the case skeleton that reports count (type, channel, status, stages and their
// dates, outcomes, deadlines, compensation, flags, the history's events) and removes the personal
// data: the resident's name, emails, phone, address, tenancy reference, vulnerabilities and
// adjustments; the case's summary, definition and outcome sought; action descriptions and the
// detail of its history; raw mail in and out and its recipients; scanned letters and their text.
// A contact is cleared only when none of its other cases is still kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/cases/case_record.h"
#include "daemon/privacy/access_log.h"
#include "daemon/privacy/retention_schedule.h"
#include "parsers/result.h"

namespace complaints {

// A person as the store knows them: every contact row that is theirs (one per case opened by
// staff, say, or all those sharing an email address).
using PersonIds = std::vector<int64_t>;

// A case of theirs.
struct PersonCase {
  int64_t id = 0;
  std::string reference;
  bool as_representative = false;  // they act for the resident, who is someone else
};

struct CaseHold {
  std::string reference;
  std::string reason;
  std::string actor;
  Instant at{};
};

// What a removal took away (or, for a dry run, would take).
struct RemovalCounts {
  long cases = 0;
  long complaint_cases = 0;  // of `cases`, under the complaint rule
  long contacts = 0;
  long messages = 0;                    // incoming mail on those cases, raw bytes removed
  long outgoing = 0;                    // outgoing mail on those cases
  long attachments = 0;                 // scans and documents
  long spam = 0;                        // suspected spam and quarantined mail on no case
  long unfiled = 0;                     // other mail on no case
  long held = 0;                        // expired but kept under a legal hold
  std::vector<std::string> references;  // the cases, at most the first 1000
};

// A correction of a contact's details: each field given replaces the old value.
struct ContactCorrection {
  std::optional<std::string> name, phone, address, tenancy_ref, vulnerabilities, adjustments;
  std::vector<std::string> add_emails, remove_emails;
  bool empty() const {
    return !name && !phone && !address && !tenancy_ref && !vulnerabilities && !adjustments &&
           add_emails.empty() && remove_emails.empty();
  }
};

// A stored message as a subject access request sees it.
struct HeldMessage {
  int64_t id = 0;
  bool incoming = true;  // false: from the outbox
  std::optional<int64_t> case_id;
  std::string reference;  // "" when on no case
  Instant at{};
  std::string state;
  std::string kind;  // outgoing: "ack-stage", ...
  std::string raw;
};

class PrivacyStore : public AccessLog {
 public:
  // Holds stop retention and refuse erasure and correction on the case (and on its people).
  virtual Status Hold(const std::string& reference, const std::string& reason,
                      const std::string& actor, Instant at) = 0;
  virtual Status Unhold(const std::string& reference, const std::string& reason,
                        const std::string& actor, Instant at) = 0;
  virtual Result<std::vector<CaseHold>> Holds() = 0;
  // The hold on one case, if any (every front end that shows the case shows it).
  virtual Result<std::optional<CaseHold>> HoldOn(const std::string& reference) = 0;

  // Removes what expired at the cutoffs, in one transaction; with dry_run, counts it only.
  // Each case gets a history entry naming the rule; the pass gets a line in the privacy log.
  virtual Result<RemovalCounts> RemoveExpired(const RetentionCutoffs& cutoffs, Instant now,
                                              bool dry_run) = 0;
  // Erases a person: their cases' personal data and their contact, recorded with the reason.
  // Refused (nothing changed) when a hold applies to any of their cases.
  virtual Result<RemovalCounts> ErasePerson(const PersonIds& person, const std::string& reason,
                                            const std::string& actor, Instant at) = 0;
  virtual Status CorrectPerson(const PersonIds& person, const ContactCorrection& correction,
                               const std::string& reason, const std::string& actor, Instant at) = 0;

  // The reads of the person's cases and their messages, oldest first.
  virtual Result<std::vector<AccessRecord>> AccessLogFor(const PersonIds& person) = 0;

  // Every contact with this email address (none: an empty list).
  virtual Result<PersonIds> ContactsWithEmail(const std::string& email) = 0;
  virtual Result<std::vector<Contact>> Contacts(const PersonIds& person) = 0;
  // Cases where they are the resident or the representative, oldest first.
  virtual Result<std::vector<PersonCase>> CasesOf(const PersonIds& person) = 0;
  // Mail held on those cases, plus mail elsewhere whose raw bytes mention one of `emails`
  // (the caller reads the headers to keep what the person sent or was sent).
  virtual Result<std::vector<HeldMessage>> MessagesFor(const std::vector<int64_t>& case_ids,
                                                       const std::vector<std::string>& emails) = 0;
  // Every other contact's name and emails, for finding other people in a person's records.
  virtual Result<std::vector<Contact>> OtherContacts(const PersonIds& person) = 0;
};

}  // namespace complaints
