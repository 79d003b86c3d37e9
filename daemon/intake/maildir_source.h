// A local Maildir as the mailbox: the embedded default and the demo's source.
//
// Messages are the files in new/ and cur/. Each gets a UID, kept with the Maildir's UIDVALIDITY
// in a "complaintsd-uidlist" file in the Maildir (as Dovecot keeps dovecot-uidlist), so UIDs stay
// stable across restarts; deleting that file starts a new UIDVALIDITY. Folders are Maildir++
// subfolders (".Processed"); a move is a rename into the folder's cur/, so nothing is copied or
// deleted. New mail is noticed through inotify. One process per Maildir; not thread-safe.
#pragma once

#include <map>
#include <string>

#include "daemon/calendar/clock.h"
#include "daemon/intake/mailbox_watcher.h"

namespace complaints {

class MaildirSource : public MailSource {
 public:
  // `root` holds new/, cur/ and tmp/ (created if missing).
  MaildirSource(std::string root, const Clock& clock);
  ~MaildirSource() override;

  std::string Name() const override { return "maildir:" + root_; }
  Result<uint32_t> Open() override;
  Result<std::vector<uint32_t>> UidsAfter(uint32_t uid) override;
  Result<std::vector<FetchedMessage>> Fetch(const std::vector<uint32_t>& uids) override;
  Status Move(const std::vector<uint32_t>& uids, const std::string& folder) override;
  Status WaitForMail(std::chrono::milliseconds timeout) override;

 private:
  Status Scan();
  Status SaveList() const;
  std::string PathOf(uint32_t uid) const;

  std::string root_;
  const Clock& clock_;
  uint32_t uidvalidity_ = 0;
  uint32_t next_uid_ = 1;
  std::map<uint32_t, std::string> files_;     // uid -> base name (before ":2,...")
  std::map<std::string, std::string> paths_;  // base name -> current path
  int inotify_ = -1;
};

}  // namespace complaints
