// The real edges, chosen by the configuration: the mailbox (IMAP or Maildir), the mail transport
// (SMTP or a pickup folder), the OAuth2 tokens they may share, the MIME reader and the classifier.
// The only place that names their concrete types, so the rest of the daemon sees the narrow
// interfaces.
#pragma once

#include <functional>
#include <memory>

#include "daemon/cases/policy.h"
#include "daemon/credentials/oauth2_tokens.h"
#include "daemon/intake/imap_source.h"
#include "daemon/intake/intake.h"
#include "daemon/intake/mailbox_watcher.h"
#include "daemon/outgoing/outbox_sender.h"
#include "daemon/outgoing/smtp_transport.h"
#include "daemon/service/daemon_config.h"
#include "parsers/result.h"

namespace complaints {

// The OAuth2 token source that IMAP and SMTP share (null when neither uses oauth2). `warn` hears
// about a certificate near its expiry (at most daily); `clock` must outlive the result.
std::shared_ptr<OAuth2Tokens> MakeOAuth2Tokens(const DaemonConfig& config, const Clock& clock,
                                               std::function<void(const std::string&)> warn);

// With `tokens`, an `auth = oauth2` mailbox or sender logs in with its tokens.
Result<std::unique_ptr<MailSource>> MakeMailSource(const MailboxConfig& config,
                                                   std::shared_ptr<OAuth2Tokens> tokens = nullptr);
Result<std::unique_ptr<MailTransport>> MakeMailTransport(
    const SenderConfig& config, const MailSettings& mail,
    std::shared_ptr<OAuth2Tokens> tokens = nullptr);
// The same, as their concrete types, for `complaintsctl mailbox test`.
ImapSettings MakeImapSettings(const MailboxConfig& config, std::shared_ptr<OAuth2Tokens> tokens);
SmtpSettings MakeSmtpSettings(const SenderConfig& config, const MailSettings& mail,
                              std::shared_ptr<OAuth2Tokens> tokens);
Result<std::unique_ptr<MailReader>> MakeMailReader(const Policy& policy);
Result<std::unique_ptr<MessageClassifier>> MakeClassifier(const DaemonConfig& config);

}  // namespace complaints
