// The real edges, chosen by the configuration: the mailbox (IMAP or Maildir), the mail transport
// (SMTP or a pickup folder), the MIME reader and the classifier. The only place that names their
// concrete types, so the rest of the daemon sees the narrow interfaces.
#pragma once

#include <memory>

#include "daemon/cases/policy.h"
#include "daemon/intake/intake.h"
#include "daemon/intake/mailbox_watcher.h"
#include "daemon/outgoing/outbox_sender.h"
#include "daemon/service/daemon_config.h"
#include "parsers/result.h"

namespace complaints {

Result<std::unique_ptr<MailSource>> MakeMailSource(const MailboxConfig& config);
Result<std::unique_ptr<MailTransport>> MakeMailTransport(const SenderConfig& config,
                                                         const MailSettings& mail);
Result<std::unique_ptr<MailReader>> MakeMailReader(const Policy& policy);
Result<std::unique_ptr<MessageClassifier>> MakeClassifier(const DaemonConfig& config);

}  // namespace complaints
