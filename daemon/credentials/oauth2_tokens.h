// OAuth2 access tokens for the mailbox, obtained by the daemon itself: Microsoft 365 app-only
// (client credentials, with a client secret or a certificate's signed assertion), Microsoft 365
// delegated (a refresh token from a one-time device-code login by an admin, rotated as the
// provider returns new ones), and Google Workspace (a service account's signed JWT grant with
// domain-wide delegation, naming the mailbox user).
//
// A token is kept until refresh_margin before it expires, so IMAP and SMTP connections share one
// and a fresh one is asked for only when it is needed. A refusal from the provider
// (invalid_grant, invalid_client, ...) is an error saying what a person should check; it is kept
// for retry_after_refusal so that a broken secret does not hammer the provider. Tokens, secrets,
// assertions and refresh tokens never appear in errors or warnings. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "daemon/calendar/clock.h"
#include "daemon/credentials/token_endpoint.h"
#include "daemon/credentials/token_source.h"
#include "parsers/result.h"

namespace complaints {

struct OAuth2Settings {
  std::string provider = "microsoft";  // microsoft | google
  std::string flow;                    // client-credentials | device-code | service-account
  std::string tenant;                  // Microsoft: the directory (tenant) ID or domain
  std::string client_id;
  std::string client_secret;    // the secret itself, read from its file at load
  std::string certificate_pem;  // with private_key_pem: a signed client assertion instead
  std::string private_key_pem;
  std::string service_account_json;  // Google: the key file's text
  std::string user;                  // the mailbox; Google's delegated subject
  std::string token_url;             // empty: the provider's
  std::string scope;                 // empty: the provider's for the flow
  std::string refresh_token_file;    // device-code: kept here (0600) and rotated
  std::string ca_file;               // CA bundle for the token endpoint (empty: the system's)
  std::chrono::seconds refresh_margin{300};
  std::chrono::seconds retry_after_refusal{60};
};

// The endpoints and scope in force (the override, else the provider's default).
std::string OAuth2TokenUrl(const OAuth2Settings& s);
std::string OAuth2DeviceCodeUrl(const OAuth2Settings& s);
std::string OAuth2Scope(const OAuth2Settings& s);

struct AccessToken {
  std::string value;
  std::chrono::sys_seconds expires_at;
};

class OAuth2Tokens {
 public:
  using Warn = std::function<void(const std::string&)>;
  // `clock` must outlive this. `warn` (optional) hears about a certificate near its expiry, at
  // most once a day.
  OAuth2Tokens(OAuth2Settings settings, std::unique_ptr<TokenEndpoint> endpoint, const Clock& clock,
               Warn warn = {});

  // The cached token while more than refresh_margin of it is left; otherwise a new one.
  Result<std::string> Token();
  // A new token from the endpoint, whatever is cached (complaintsctl oauth2 token); it is cached.
  Result<AccessToken> Fetch();
  // The mail server refused the cached token (revoked early): the next Token() asks anew.
  void Forget();
  // "the certificate ... expires on DATE (N days)": set when it expires within 30 days.
  std::optional<std::string> CertificateWarning() const;
  // Token() as a TokenSource for ImapSettings and SmtpSettings; keeps this alive.
  static TokenSource AsSource(std::shared_ptr<OAuth2Tokens> tokens);

  const OAuth2Settings& settings() const { return settings_; }

 private:
  Result<AccessToken> FetchLocked();
  Result<Form> GrantForm();

  OAuth2Settings settings_;
  std::unique_ptr<TokenEndpoint> endpoint_;
  const Clock& clock_;
  Warn warn_;
  std::mutex mutex_;
  std::optional<AccessToken> cached_;
  std::optional<std::string> refused_;  // the last refusal, repeated until refused_until_
  std::chrono::sys_seconds refused_until_{};
  std::chrono::sys_seconds warned_at_{};
};

struct DeviceLoginPrompt {
  std::string message;  // the provider's own words, when it gives them
  std::string user_code;
  std::string verification_uri;
};

// The device-code login (complaintsctl mailbox login): asks the provider for a code, hands it to
// `show`, then polls (through `sleep`) until the admin has signed in, the code expires or the
// provider refuses, and keeps the refresh token in settings.refresh_token_file.
Status DeviceLogin(const OAuth2Settings& settings, TokenEndpoint& endpoint,
                   const std::function<void(const DeviceLoginPrompt&)>& show,
                   const std::function<void(std::chrono::seconds)>& sleep);

// Writes `token` to `path` with mode 0600, atomically (a temporary file renamed over it). Run as
// root, the file is given to the owner of its folder (the daemon's state directory).
Status SaveRefreshToken(const std::string& path, const std::string& token);

}  // namespace complaints
