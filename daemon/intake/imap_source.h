// The shared mailbox over IMAP, through libcurl: libcurl connects (imaps://, or imap:// with
// STARTTLS required), verifies the certificate and logs in (LOGIN/PLAIN, or XOAUTH2 with a bearer
// token); the commands run on that one connection through curl_easy_send/recv with a reader that
// understands literals, because libcurl has no IDLE and loses literals from custom commands.
//
// Fetches with BODY.PEEK[] (the \Seen flag is never set or read), in batches; moves with UID MOVE,
// or UID COPY + \Deleted + UID EXPUNGE where MOVE is missing; waits with IDLE (renewed every
// 25 minutes) or polls where IDLE is missing. Any protocol or network error drops the connection;
// the next Open() reconnects. Not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/credentials/token_source.h"
#include "daemon/intake/mailbox_watcher.h"

namespace complaints {

struct ImapSettings {
  std::string url;  // imaps://host[:port]/FOLDER or imap://host[:port]/FOLDER
  std::string user;
  std::string password;
  std::string bearer_token;         // XOAUTH2 instead of a password
  TokenSource bearer_token_source;  // when set: asked for a fresh token at each connection
  std::function<void()> bearer_token_refused;  // optional: the server refused that token
  std::string ca_file;
  bool verify_tls = true;
  bool require_tls = true;  // for imap://: STARTTLS or fail (false only for a loopback test server)
  std::chrono::seconds poll_interval{60};
  std::chrono::seconds timeout{60};
};

class ImapSource : public MailSource {
 public:
  explicit ImapSource(ImapSettings settings);
  ~ImapSource() override;

  std::string Name() const override;
  Result<uint32_t> Open() override;
  Result<std::vector<uint32_t>> UidsAfter(uint32_t uid) override;
  Result<std::vector<FetchedMessage>> Fetch(const std::vector<uint32_t>& uids) override;
  Status Move(const std::vector<uint32_t>& uids, const std::string& folder) override;
  Status WaitForMail(std::chrono::milliseconds timeout) override;

  // For `complaintsctl mailbox test`: logs in, selects the folder and counts its messages, and
  // says which of `folders` exist (LIST). Leaves the connection open.
  struct Survey {
    long messages = 0;
    std::vector<std::pair<std::string, bool>> folders;  // name, present
  };
  Result<Survey> Inspect(const std::vector<std::string>& folders);

  struct Connection;

 private:
  ImapSettings settings_;
  std::string folder_;
  std::unique_ptr<Connection> connection_;
};

// IMAP's INTERNALDATE ("17-Jul-1996 02:44:25 -0700").
std::optional<std::chrono::sys_seconds> ParseInternalDate(std::string_view text);
// A compact UID set: {1,2,3,7} -> "1:3,7".
std::string UidSet(std::vector<uint32_t> uids);

}  // namespace complaints
