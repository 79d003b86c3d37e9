// Sends outbox items over SMTP through libcurl: smtps:// (TLS from the start) or smtp:// with
// STARTTLS required (unless explicitly turned off for a loopback test server), certificates
// verified by default, AUTH with a password or an XOAUTH2 bearer token. The server's answer
// decides: 2xx sent, 4xx and connection trouble temporary (retried), 5xx permanent.
// Secrets are held in memory only and never appear in outcomes or logs.
#pragma once

#include <functional>
#include <string>

#include "daemon/credentials/token_source.h"
#include "daemon/outgoing/outbox_sender.h"

namespace complaints {

struct SmtpSettings {
  std::string url;  // smtps://host:465 or smtp://host:587
  std::string user;
  std::string password;
  std::string bearer_token;                    // XOAUTH2 instead of a password
  TokenSource bearer_token_source;             // when set: asked for a fresh token for each message
  std::function<void()> bearer_token_refused;  // optional: the server refused that token
  std::string ca_file;
  bool verify_tls = true;
  bool require_tls = true;  // for smtp://: STARTTLS or fail
  std::string helo_name = "localhost";
  long timeout_seconds = 60;
};

class SmtpTransport : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings settings);
  SendOutcome Send(const OutboxItem& item) override;
  // Connects and logs in (AUTH, when a user is set), sending nothing: `complaintsctl mailbox
  // test`. The error says what failed, never a secret.
  Status CheckLogin();

 private:
  Status Configure(void* curl, std::string& token, char* error);
  std::string Failure(int curl_code, long smtp_code, const char* error, bool token);

  SmtpSettings settings_;
};

}  // namespace complaints
