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

#include "daemon/cases/case_record.h"
#include "parsers/result.h"

namespace complaints {

// A message as it arrived, before anything acts on it.
struct IncomingMessage {
  std::string raw;
  std::string sha256;                     // of raw, hex
  std::optional<std::string> message_id;  // without angle brackets
  Instant received_at{};                  // INTERNALDATE, or the file's time
  std::string mailbox;                    // "imap://host/INBOX", "maildir:/path"
  std::optional<uint32_t> uidvalidity;
  std::optional<uint32_t> uid;
};

struct StoredMessage {
  int64_t id = 0;
  bool duplicate = false;  // already stored (the same bytes)
  std::string state;       // stored | processed | quarantined | automatic | review | copy ...
  std::optional<int64_t> case_id;
};

// An incoming message as staff lists see it.
struct MessageListing {
  int64_t id = 0;
  Instant received_at{};
  std::string state;
  std::string reason;
  std::optional<std::string> case_reference;  // the case it opened or joined, if any
};

struct MessageQuery {
  std::vector<std::string> states;  // any of these (all states when empty)
  Instant since{};                  // received at or after
  int64_t after_id = 0;             // stored after this message
  std::optional<int64_t> case_id;   // only those on this case
  int limit = 1000;
};

// An earlier incoming message with the same Message-ID as one just stored.
struct EarlierCopy {
  int64_t id = 0;
  std::string state;
  std::optional<std::string> case_reference;  // the case it opened or joined, if any
};

// A document kept on a case: a scanned letter, with the text read from it.
struct CaseDocument {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t message_id = 0;  // the stored message it came in
  std::string filename;
  std::string content_type;
  std::string bytes;
  std::string text;
  std::string method;  // "text-layer", "ocr", ...
  int pages = 0;
  Instant added_at{};
};

// Where a mailbox folder was read up to.
struct FolderCursor {
  uint32_t uidvalidity = 0;
  uint32_t last_uid = 0;
};

// A message waiting in the outbox (or sent from it).
struct OutboxItem {
  int64_t id = 0;
  std::optional<int64_t> case_id;
  std::string kind;       // "ack-stage1", "deadline-warning", ...
  bool automatic = true;  // sent without a person writing it (RFC 3834): counts for the loop guard
  std::string envelope_from;
  std::vector<std::string> recipients;
  std::string message_id;
  std::string raw;
  std::string state;  // queued | sent | failed
  int attempts = 0;
  Instant next_attempt_at{};
  std::string last_error;
  std::optional<Instant> sent_at;
};

struct FailedMail {
  OutboxItem item;
  std::string reference;
};

// An open deadline the watcher looks at, with what has been done about it.
struct WatchedDeadline {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string reference;
  int stage = 0;
  std::string kind;
  Instant due_at{};
  std::optional<Instant> warned_at;
  std::optional<Instant> breached_at;
};

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
  // When the case's latest recorded event happened (none for a case without history).
  virtual Result<std::optional<Instant>> LatestEventAt(int64_t case_id) = 0;
  // Keeps a document on a case; assigns document.id.
  virtual Status AddDocument(CaseDocument& document) = 0;

  // Stores the raw message once; the same bytes again are reported as a duplicate with the first
  // copy's id and state (other bytes with the same Message-ID are stored: see ClaimMessageId).
  virtual Result<StoredMessage> StoreIncoming(const IncomingMessage& message) = 0;
  virtual Status SetMessageState(int64_t message_id, const std::string& state,
                                 const std::string& reason, std::optional<int64_t> case_id) = 0;
  // Records the Message-ID the stored message `row` carries, and returns the earliest other
  // incoming message with the same one (the same mail delivered twice with different bytes, say
  // through two aliases), if any.
  virtual Result<std::optional<EarlierCopy>> ClaimMessageId(int64_t row,
                                                            const std::string& message_id) = 0;

  virtual Result<std::optional<FolderCursor>> GetCursor(const std::string& mailbox,
                                                        const std::string& folder) = 0;
  virtual Status SetCursor(const std::string& mailbox, const std::string& folder,
                           const FolderCursor& cursor) = 0;

  // Queues mail in the same transaction as the change that causes it; assigns item.id.
  virtual Status QueueOutgoing(OutboxItem& item) = 0;
  // Marks a deadline warned (or breached) once: false when it already was, or is no longer open.
  virtual Result<bool> MarkDeadlineWarned(int64_t deadline_id, Instant at) = 0;
  virtual Result<bool> MarkDeadlineBreached(int64_t deadline_id, Instant at) = 0;

  // Whether mail with this Message-ID was ever queued (once-only notices such as the digest).
  virtual Result<bool> OutboxHas(const std::string& message_id) = 0;

  // Automatic mail queued or sent to `recipient` since `since` (the loop guard).
  virtual Result<int> CountAutomaticTo(const std::string& recipient, Instant since) = 0;
};

struct CaseQuery {
  std::optional<std::string> status;  // only cases in this status
  bool include_closed = false;
  std::optional<CaseType> type;
  std::optional<int> stage;
  std::optional<std::string> handler;  // the current stage's handler or a panel member
  std::optional<std::string> flag;     // "triage", or a prefix such as "triage-alternative"
  std::optional<std::string> search;   // in the reference, or the resident's name, email, address
  bool needs_review = false;           // only cases flagged for a person's review
  enum class Order { kReceived, kNextDue } order = Order::kReceived;
  int limit = 1000;
  int offset = 0;
  // With Order::kReceived: only cases after this one in that order (its received_at and id), the
  // way to page through every case without OFFSET, which reads all the skipped rows again.
  struct Position {
    Instant received_at;
    int64_t id = 0;
  };
  std::optional<Position> after;
  // The cases' stages and learning actions only: no deadlines or actions (the reports, which read
  // every case and need neither, read a third as many rows).
  bool stages_and_learning_only = false;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  virtual Status InTransaction(const std::function<Status(StoreTransaction&)>& work) = 0;
  // Runs `work` (which commits transactions as usual) with those commits reaching the disk
  // together at its end, in one flush, instead of one flush each. Returns an error when that
  // flush fails (whatever `work` returned): then nothing `work` committed may be relied on
  // surviving a power cut. The mailbox watcher wraps a fetched batch in it and moves the batch
  // out of the inbox only after it returns success.
  virtual Status CommitTogether(const std::function<void()>& work) = 0;

  virtual Result<CaseRecord> FindCase(const std::string& reference) = 0;
  virtual Result<std::vector<CaseRecord>> ListCases(const CaseQuery& query) = 0;
  // How many cases ListCases would give without its limit and offset.
  virtual Result<long> CountCases(const CaseQuery& query) = 0;
  virtual Result<std::vector<HistoryEntry>> History(int64_t case_id) = 0;
  virtual Result<Contact> GetContact(int64_t id) = 0;
  virtual Result<std::vector<CaseDocument>> Documents(int64_t case_id) = 0;
  virtual Result<std::optional<StoredMessage>> FindMessage(int64_t id) = 0;
  // Incoming messages in the order they were stored, at most `limit`.
  virtual Result<std::vector<MessageListing>> ListMessages(const MessageQuery& query) = 0;
  virtual Result<std::optional<MessageListing>> DescribeMessage(int64_t id) = 0;
  // Stage acknowledgements sent but not recorded on their stage (a crash between the send and
  // the record): each open case whose current stage has no acknowledgement, with the time an
  // ack-stage mail queued since that stage opened was sent.
  virtual Result<std::vector<std::pair<std::string, Instant>>> UnrecordedAcknowledgements() = 0;
  // Raw bytes of a stored incoming message (for re-processing and for staff).
  virtual Result<std::string> MessageRaw(int64_t id) = 0;
  // Staff's corrections of the classifier: for every case relabelled by a person, its label now
  // and the raw bytes of the first message that opened it (training data for a landlord's model).
  virtual Result<std::vector<std::pair<std::string, std::string>>> RelabelledCases() = 0;

  // Open deadlines of the kinds we owe (acknowledge, respond, pre_formal_resolve), not yet
  // breached, due at or before `until`; through an index, so the cost follows the number due.
  virtual Result<std::vector<WatchedDeadline>> PendingDeadlines(Instant until, int limit) = 0;
  // Every open deadline of those kinds due by `until`, breached or not (for staff listings).
  virtual Result<std::vector<WatchedDeadline>> OpenDeadlines(Instant until, int limit) = 0;

  // Outbox items due at `now`, oldest first.
  virtual Result<std::vector<OutboxItem>> DueOutgoing(Instant now, int limit) = 0;
  virtual Result<std::vector<OutboxItem>> OutboxFor(int64_t case_id) = 0;
  // Mail that failed for good, newest first, with its case's reference ("" for none): for staff.
  virtual Result<std::vector<FailedMail>> FailedOutgoing(int limit) = 0;
  virtual Status MarkSent(int64_t item_id, Instant at) = 0;
  // A failed attempt: retried at `next_attempt_at`, or failed for good when `permanent`.
  virtual Status MarkAttemptFailed(int64_t item_id, const std::string& error,
                                   Instant next_attempt_at, bool permanent) = 0;
};

}  // namespace complaints
