// Reads new mail from the shared mailbox and hands each message to intake, never losing or
// repeating one: a cursor (UIDVALIDITY and the last UID handled) lives in the store; a message is
// moved to the processed (or quarantine, or spam) folder only after intake has committed it;
// nothing is deleted and the \Seen flag plays no part. If the process dies anywhere, the next pass
// fetches the same messages again, intake recognises them as duplicates, and they are simply moved.
// A UIDVALIDITY change restarts the cursor; stored hashes prevent duplicates (and intake's
// Message-ID check, second copies with other bytes). A UID listed but not fetched holds the
// cursor below it, so it is tried again at every pass.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "daemon/cases/case_store.h"
#include "daemon/intake/intake.h"
#include "parsers/result.h"

namespace complaints {

struct FetchedMessage {
  uint32_t uid = 0;
  Instant internal_date{};  // when the server received it
  std::string raw;
};

// What the watcher needs from a mailbox (IMAP or a local Maildir).
class MailSource {
 public:
  virtual ~MailSource() = default;
  // Names the mailbox in the cursor table and in logs (no password), e.g. "imaps://host/INBOX".
  virtual std::string Name() const = 0;
  // Connects or reconnects as needed and selects the folder; its UIDVALIDITY.
  virtual Result<uint32_t> Open() = 0;
  virtual Result<std::vector<uint32_t>> UidsAfter(uint32_t uid) = 0;
  // Without setting \Seen. Missing UIDs (deleted meanwhile) are left out.
  virtual Result<std::vector<FetchedMessage>> Fetch(const std::vector<uint32_t>& uids) = 0;
  // Moves to `folder`, creating it if needed.
  virtual Status Move(const std::vector<uint32_t>& uids, const std::string& folder) = 0;
  // Waits until new mail may have arrived (IDLE or polling) or `timeout` passes.
  virtual Status WaitForMail(std::chrono::milliseconds timeout) = 0;
};

struct WatcherFolders {
  std::string processed = "Processed";
  std::string quarantine = "Quarantine";
  size_t batch = 100;
  std::string spam = "Suspected spam";
};

class MailboxWatcher {
 public:
  MailboxWatcher(MailSource& source, CaseStore& store, Intake& intake, WatcherFolders folders);

  struct Pass {
    int fetched = 0;
    std::vector<IntakeOutcome> outcomes;
    // Listed in the mailbox but not returned by the fetch (unreadable, or gone meanwhile): the
    // cursor stays below them, so they are tried again at every pass.
    std::vector<uint32_t> not_fetched;
  };
  // One pass: everything new is fetched, handled and moved. When `stop` is given and becomes
  // true, the pass ends after the message in hand (what was handled is moved; the rest waits).
  Result<Pass> RunOnce(const std::atomic<bool>* stop = nullptr);
  // Called before each message is handled and after each fetch: a sign of life for a watchdog.
  void SetAlive(std::function<void()> alive) { alive_ = std::move(alive); }

 private:
  Status Handle(const std::vector<uint32_t>& asked, const std::vector<FetchedMessage>& batch,
                uint32_t uidvalidity, Pass& pass, const std::atomic<bool>* stop);

  MailSource& source_;
  CaseStore& store_;
  Intake& intake_;
  WatcherFolders folders_;
  std::function<void()> alive_;
};

}  // namespace complaints
