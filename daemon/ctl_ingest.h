// `complaintsctl --config FILE ingest [--maildir DIR]`: one pass of the mailbox (the configured
// one, or a Maildir folder such as an export) through intake, with the daemon's configuration.
// Prints one line per message; the mail it causes is queued for the daemon to send.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

int RunIngestCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
