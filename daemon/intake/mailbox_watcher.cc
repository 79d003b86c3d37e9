#include "daemon/intake/mailbox_watcher.h"

#include <algorithm>

#include "daemon/base/digest.h"

namespace complaints {
namespace {

const std::string kFolder = "INBOX";

}  // namespace

MailboxWatcher::MailboxWatcher(MailSource& source, CaseStore& store, Intake& intake,
                               WatcherFolders folders)
    : source_(source), store_(store), intake_(intake), folders_(std::move(folders)) {}

Result<MailboxWatcher::Pass> MailboxWatcher::RunOnce(const std::atomic<bool>* stop) {
  Result<uint32_t> uidvalidity = source_.Open();
  if (!uidvalidity) return Result<Pass>(uidvalidity.status());
  FolderCursor cursor;
  Status read = store_.InTransaction([&](StoreTransaction& txn) -> Status {
    Result<std::optional<FolderCursor>> c = txn.GetCursor(source_.Name(), kFolder);
    if (!c) return c.status();
    if (c.value() && c.value()->uidvalidity == *uidvalidity) cursor = **c;
    cursor.uidvalidity = *uidvalidity;  // a new UIDVALIDITY starts again from UID 0
    return Status::Ok();
  });
  if (!read) return Result<Pass>(read);
  Result<std::vector<uint32_t>> uids = source_.UidsAfter(cursor.last_uid);
  if (!uids) return Result<Pass>(uids.status());
  std::vector<uint32_t> todo = *uids;
  std::sort(todo.begin(), todo.end());
  Pass pass;
  for (size_t i = 0; i < todo.size() && !(stop && stop->load()); i += folders_.batch) {
    const std::vector<uint32_t> slice(
        todo.begin() + static_cast<long>(i),
        todo.begin() + static_cast<long>(std::min(todo.size(), i + folders_.batch)));
    Result<std::vector<FetchedMessage>> batch = source_.Fetch(slice);
    if (!batch) return Result<Pass>(batch.status());
    if (alive_) alive_();
    pass.fetched += static_cast<int>(batch->size());
    if (Status s = Handle(slice, *batch, *uidvalidity, pass, stop); !s) return Result<Pass>(s);
  }
  return pass;
}

Status MailboxWatcher::Handle(const std::vector<uint32_t>& asked,
                              const std::vector<FetchedMessage>& batch, uint32_t uidvalidity,
                              Pass& pass, const std::atomic<bool>* stop) {
  std::vector<uint32_t> processed, quarantined, spam;
  uint32_t last = 0;
  Status failure = Status::Ok();
  // One flush to disk for the batch's commits, before any of it leaves the inbox.
  Status flushed = store_.CommitTogether([&] {
    for (const FetchedMessage& m : batch) {
      if (stop && stop->load()) break;  // asked to stop: the rest waits for the next start
      if (alive_) alive_();
      IncomingMessage in;
      in.raw = m.raw;
      in.sha256 = Sha256Hex(m.raw);
      in.received_at = m.internal_date;
      in.mailbox = source_.Name();
      in.uidvalidity = uidvalidity;
      in.uid = m.uid;
      Result<IntakeOutcome> outcome = intake_.Process(in);
      if (!outcome) {  // the store failed: stop here and try this message again next pass
        failure = Status::Error("UID " + std::to_string(m.uid) + ": " + outcome.error());
        break;
      }
      (outcome->kind == IntakeOutcome::Kind::kQuarantined ? quarantined
       : outcome->kind == IntakeOutcome::Kind::kSpam      ? spam
                                                          : processed)
          .push_back(m.uid);
      pass.outcomes.push_back(*outcome);
      last = m.uid;
    }
  });
  // Not known to be on disk: move nothing; the batch comes back next pass, as duplicates.
  if (!flushed) return flushed;
  // Moves come only after intake committed; a failed move leaves the cursor where it was, so
  // the messages come back as duplicates and are moved next time.
  if (!processed.empty()) {
    if (Status s = source_.Move(processed, folders_.processed); !s) return s;
  }
  if (!quarantined.empty()) {
    if (Status s = source_.Move(quarantined, folders_.quarantine); !s) return s;
  }
  if (!spam.empty()) {
    if (Status s = source_.Move(spam, folders_.spam); !s) return s;
  }
  // The cursor never passes a UID that was asked for and not returned, in this batch or an
  // earlier one of the pass: left in the inbox, it would otherwise never be seen again.
  for (uint32_t uid : asked) {
    const bool returned = std::any_of(batch.begin(), batch.end(),
                                      [&](const FetchedMessage& m) { return m.uid == uid; });
    if (!returned) pass.not_fetched.push_back(uid);
  }
  for (uint32_t uid : pass.not_fetched) {
    if (last >= uid) last = uid - 1;  // above the cursor, so never below where it was
  }
  if (last != 0) {
    Status s = store_.InTransaction([&](StoreTransaction& txn) {
      return txn.SetCursor(source_.Name(), kFolder, FolderCursor{uidvalidity, last});
    });
    if (!s) return s;
  }
  return failure;
}

}  // namespace complaints
