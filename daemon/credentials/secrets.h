// Secrets (mailbox and SMTP passwords, OAuth tokens, the Message-ID signing key) are read from
// files, never from the main configuration file, and never logged.
//
// A name without a slash is looked up in systemd's $CREDENTIALS_DIRECTORY (LoadCredential=);
// a path is read as it is. (The configuration decides which it passes: see daemon_config.cc.) A
// file that its group or others may read is refused, saying how to fix it. Trailing newlines are
// dropped.
#pragma once

#include <string>

#include "parsers/result.h"

namespace complaints {

Result<std::string> ReadSecret(const std::string& name_or_path);

}  // namespace complaints
