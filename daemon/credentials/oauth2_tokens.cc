#include "daemon/credentials/oauth2_tokens.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "daemon/credentials/jwt.h"
#include "daemon/credentials/secrets.h"

namespace complaints {
namespace {

using json = nlohmann::json;
using std::chrono::seconds;

constexpr const char* kGoogleTokenUrl = "https://oauth2.googleapis.com/token";
constexpr const char* kGoogleScope = "https://mail.google.com/";
constexpr const char* kMicrosoftAppScope = "https://outlook.office365.com/.default";
constexpr const char* kMicrosoftDelegatedScope =
    "offline_access https://outlook.office.com/IMAP.AccessAsUser.All "
    "https://outlook.office.com/SMTP.Send";
constexpr const char* kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr const char* kDeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
constexpr const char* kAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

std::optional<json> ParseJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::string Field(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return "";
}

long Number(const json& j, const char* name, long fallback) {
  const std::string text = Field(j, name);
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return fallback;
  return std::stol(text);
}

// What a person should check, for a refusal.
std::string Advice(const OAuth2Settings& s, const std::string& error) {
  const bool google = s.provider == "google";
  const bool certificate = !s.certificate_pem.empty();
  if (error == "invalid_client") {
    if (google)
      return "the service account's key was deleted or disabled: make a new key and "
             "update oauth2.service-account-file";
    if (s.flow == "device-code")
      return "check oauth2.client-id and that the app registration "
             "allows public client flows";
    return certificate ? "the certificate in oauth2.certificate-file is not (or no longer) "
                         "uploaded to the app registration, or has expired: upload it under "
                         "Certificates & secrets"
                       : "the client secret is wrong or has expired: add a new one under the app "
                         "registration's Certificates & secrets and put it in "
                         "oauth2.client-secret-file";
  }
  if (error == "invalid_grant") {
    if (s.flow == "device-code")
      return "the saved login is no longer valid (consent withdrawn, "
             "the password changed, or unused for 90 days): run "
             "'complaintsctl mailbox login --config FILE' again";
    if (google)
      return "domain-wide delegation is missing for this service account's client ID "
             "with the scope https://mail.google.com/ (Google admin console: Security, "
             "API controls), or oauth2.user is not a user of the domain";
    return "check that admin consent was granted to the app in this tenant (oauth2.tenant)";
  }
  if (error == "unauthorized_client") {
    return google ? "domain-wide delegation is not enabled for this service account"
                  : "the app is not allowed this flow: check its API permissions and admin consent";
  }
  if (error == "invalid_scope") {
    return "the scope '" + OAuth2Scope(s) + "' is not granted: check the app's API permissions";
  }
  if (error == "invalid_request" || error == "invalid_tenant") {
    return "check oauth2.tenant, oauth2.client-id and oauth2.token-url";
  }
  return "check the oauth2.* settings";
}

// "the token endpoint refused the grant: invalid_client (AADSTS...): check ..."
std::string Refusal(const OAuth2Settings& s, const HttpAnswer& answer) {
  const std::optional<json> body = ParseJson(answer.body);
  const std::string error = body ? Field(*body, "error") : "";
  if (error.empty()) {
    return OAuth2TokenUrl(s) + " answered HTTP " + std::to_string(answer.status) +
           " without an OAuth2 error: check oauth2.token-url and oauth2.tenant";
  }
  std::string description = body ? Field(*body, "error_description") : "";
  description = description.substr(0, description.find_first_of("\r\n"));
  if (description.size() > 240) description = description.substr(0, 240) + "...";
  return "the provider refused the grant: " + error +
         (description.empty() ? "" : " (" + description + ")") + ": " + Advice(s, error);
}

std::string JsonText(const json& j) { return j.dump(); }

}  // namespace

std::string OAuth2TokenUrl(const OAuth2Settings& s) {
  if (!s.token_url.empty()) return s.token_url;
  if (s.provider == "google") {
    if (const std::optional<json> key = ParseJson(s.service_account_json)) {
      if (const std::string uri = Field(*key, "token_uri"); !uri.empty()) return uri;
    }
    return kGoogleTokenUrl;
  }
  return "https://login.microsoftonline.com/" + s.tenant + "/oauth2/v2.0/token";
}

std::string OAuth2DeviceCodeUrl(const OAuth2Settings& s) {
  std::string url = OAuth2TokenUrl(s);
  const std::string tail = "/token";
  if (url.size() >= tail.size() && url.compare(url.size() - tail.size(), tail.size(), tail) == 0) {
    url.replace(url.size() - tail.size(), tail.size(), "/devicecode");
  }
  return url;
}

std::string OAuth2Scope(const OAuth2Settings& s) {
  if (!s.scope.empty()) return s.scope;
  if (s.provider == "google") return kGoogleScope;
  return s.flow == "device-code" ? kMicrosoftDelegatedScope : kMicrosoftAppScope;
}

OAuth2Tokens::OAuth2Tokens(OAuth2Settings settings, std::unique_ptr<TokenEndpoint> endpoint,
                           const Clock& clock, Warn warn)
    : settings_(std::move(settings)),
      endpoint_(std::move(endpoint)),
      clock_(clock),
      warn_(std::move(warn)) {}

Result<std::string> OAuth2Tokens::Token() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cached_ && clock_.Now() + settings_.refresh_margin < cached_->expires_at) {
    return cached_->value;
  }
  Result<AccessToken> fresh = FetchLocked();
  if (!fresh) return Result<std::string>(fresh.status());
  return fresh->value;
}

Result<AccessToken> OAuth2Tokens::Fetch() {
  std::lock_guard<std::mutex> lock(mutex_);
  refused_.reset();
  return FetchLocked();
}

void OAuth2Tokens::Forget() {
  std::lock_guard<std::mutex> lock(mutex_);
  cached_.reset();
}

TokenSource OAuth2Tokens::AsSource(std::shared_ptr<OAuth2Tokens> tokens) {
  return [tokens] { return tokens->Token(); };
}

std::optional<std::string> OAuth2Tokens::CertificateWarning() const {
  if (settings_.certificate_pem.empty()) return std::nullopt;
  Result<CertificateFacts> facts = ReadCertificate(settings_.certificate_pem);
  if (!facts) return std::nullopt;
  const auto left = facts->not_after - clock_.Now();
  if (left > std::chrono::days{30}) return std::nullopt;
  const long days = std::chrono::ceil<std::chrono::days>(left).count();  // 20 days, not 19.99
  const std::time_t when = facts->not_after.time_since_epoch().count();
  std::tm parts{};
  gmtime_r(&when, &parts);
  char date[16] = {0};
  std::strftime(date, sizeof date, "%Y-%m-%d", &parts);
  return "oauth2.certificate-file: the certificate (" + facts->subject +
         (left.count() <= 0
              ? ") expired on " + std::string(date)
              : ") expires on " + std::string(date) + ", in " + std::to_string(days) + " days") +
         ": make a new one, upload it to the app registration and replace oauth2.certificate-file "
         "and oauth2.private-key-file";
}

Result<Form> OAuth2Tokens::GrantForm() {
  using R = Result<Form>;
  const OAuth2Settings& s = settings_;
  const long long now = clock_.Now().time_since_epoch().count();
  if (s.provider == "google") {
    const std::optional<json> key = ParseJson(s.service_account_json);
    if (!key) return R::Error("oauth2.service-account-file: not a service account key (JSON)");
    json header = {{"alg", "RS256"}, {"typ", "JWT"}};
    if (const std::string kid = Field(*key, "private_key_id"); !kid.empty()) header["kid"] = kid;
    const json claims = {
        {"iss", Field(*key, "client_email")}, {"sub", s.user}, {"scope", OAuth2Scope(s)},
        {"aud", OAuth2TokenUrl(s)},           {"iat", now},    {"exp", now + 3600}};
    Result<std::string> jwt =
        SignJwtRs256(JsonText(header), JsonText(claims), Field(*key, "private_key"));
    if (!jwt) return R::Error("oauth2.service-account-file: private_key: " + jwt.error());
    return Form{{"grant_type", kJwtBearer}, {"assertion", *jwt}};
  }
  Form form{{"client_id", s.client_id}, {"scope", OAuth2Scope(s)}};
  if (s.flow == "device-code") {
    Result<std::string> refresh = ReadSecret(s.refresh_token_file);
    if (!refresh) {
      return R::Error("no saved login (" + refresh.error() +
                      "): run 'complaintsctl mailbox login --config FILE' once");
    }
    form.emplace_back("grant_type", "refresh_token");
    form.emplace_back("refresh_token", *refresh);
  } else {
    form.emplace_back("grant_type", "client_credentials");
  }
  if (!s.certificate_pem.empty()) {
    Result<CertificateFacts> cert = ReadCertificate(s.certificate_pem);
    if (!cert) return R::Error("oauth2.certificate-file: " + cert.error());
    const json header = {{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", cert->sha1_thumbprint}};
    const json claims = {{"aud", OAuth2TokenUrl(s)}, {"iss", s.client_id}, {"sub", s.client_id},
                         {"jti", RandomId()},        {"nbf", now},         {"iat", now},
                         {"exp", now + 600}};
    Result<std::string> jwt = SignJwtRs256(JsonText(header), JsonText(claims), s.private_key_pem);
    if (!jwt) return R::Error("oauth2.private-key-file: " + jwt.error());
    form.emplace_back("client_assertion_type", kAssertionType);
    form.emplace_back("client_assertion", *jwt);
  } else if (!s.client_secret.empty()) {
    form.emplace_back("client_secret", s.client_secret);
  }
  return form;
}

Result<AccessToken> OAuth2Tokens::FetchLocked() {
  using R = Result<AccessToken>;
  const auto now = clock_.Now();
  if (refused_ && now < refused_until_) return R::Error(*refused_);
  if (warn_ && now - warned_at_ >= std::chrono::hours{24}) {
    if (std::optional<std::string> warning = CertificateWarning()) {
      warned_at_ = now;
      warn_(*warning);
    }
  }
  cached_.reset();
  Result<Form> form = GrantForm();
  if (!form) return R(form.status());
  const std::string url = OAuth2TokenUrl(settings_);
  Result<HttpAnswer> answer = endpoint_->Post(url, *form);
  if (!answer) return R::Error("token endpoint: " + answer.error());
  if (answer->status >= 500 || answer->status == 429) {
    return R::Error(url + " answered HTTP " + std::to_string(answer->status) +
                    ": the provider is failing for now; retried");
  }
  if (answer->status != 200) {
    refused_ = Refusal(settings_, *answer);
    refused_until_ = now + settings_.retry_after_refusal;
    return R::Error(*refused_);
  }
  refused_.reset();
  const std::optional<json> body = ParseJson(answer->body);
  const std::string token = body ? Field(*body, "access_token") : "";
  if (token.empty()) return R::Error(url + ": the answer holds no access_token");
  if (settings_.flow == "device-code" && settings_.provider != "google") {
    // The provider may rotate the refresh token: the old one may stop working, so keep the new.
    if (const std::string rotated = Field(*body, "refresh_token"); !rotated.empty()) {
      if (Status saved = SaveRefreshToken(settings_.refresh_token_file, rotated); !saved) {
        return R::Error("keeping the new refresh token: " + saved.error());
      }
    }
  }
  cached_ = AccessToken{token, now + seconds{Number(*body, "expires_in", 3600)}};
  return *cached_;
}

Status DeviceLogin(const OAuth2Settings& settings, TokenEndpoint& endpoint,
                   const std::function<void(const DeviceLoginPrompt&)>& show,
                   const std::function<void(std::chrono::seconds)>& sleep) {
  Form ask{{"client_id", settings.client_id}, {"scope", OAuth2Scope(settings)}};
  if (!settings.client_secret.empty()) ask.emplace_back("client_secret", settings.client_secret);
  const std::string url = OAuth2DeviceCodeUrl(settings);
  Result<HttpAnswer> started = endpoint.Post(url, ask);
  if (!started) return Status::Error("device code endpoint: " + started.error());
  if (started->status != 200) return Status::Error(Refusal(settings, *started));
  const std::optional<json> code = ParseJson(started->body);
  if (!code || Field(*code, "device_code").empty()) {
    return Status::Error(url + ": the answer holds no device_code");
  }
  show({Field(*code, "message"), Field(*code, "user_code"), Field(*code, "verification_uri")});
  seconds interval{Number(*code, "interval", 5)};
  const seconds lifetime{Number(*code, "expires_in", 900)};
  Form poll{{"grant_type", kDeviceCodeGrant},
            {"client_id", settings.client_id},
            {"device_code", Field(*code, "device_code")}};
  if (!settings.client_secret.empty()) poll.emplace_back("client_secret", settings.client_secret);
  for (seconds waited{0}; waited < lifetime; waited += interval) {
    sleep(interval);
    Result<HttpAnswer> answer = endpoint.Post(OAuth2TokenUrl(settings), poll);
    if (!answer) return Status::Error("token endpoint: " + answer.error());
    const std::optional<json> body = ParseJson(answer->body);
    const std::string error = body ? Field(*body, "error") : "";
    if (answer->status == 200) {
      const std::string refresh = body ? Field(*body, "refresh_token") : "";
      if (refresh.empty()) {
        return Status::Error(
            "the sign-in worked but no refresh token came back: the scope "
            "must include offline_access");
      }
      return SaveRefreshToken(settings.refresh_token_file, refresh);
    }
    if (error == "authorization_pending") continue;
    if (error == "slow_down") {
      interval += seconds{5};
      continue;
    }
    if (error == "authorization_declined") return Status::Error("the sign-in was declined");
    if (error == "expired_token") break;
    return Status::Error(Refusal(settings, *answer));
  }
  return Status::Error("the code expired before anyone signed in: run the login again");
}

Status SaveRefreshToken(const std::string& path, const std::string& token) {
  namespace fs = std::filesystem;
  const std::string temporary = path + ".new";
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error(temporary + ": cannot be written");
  fchmod(fd, 0600);
  if (geteuid() == 0) {
    struct stat folder {};
    const fs::path dir = fs::path(path).parent_path();
    if (stat(dir.empty() ? "." : dir.c_str(), &folder) == 0 && folder.st_uid != 0) {
      if (fchown(fd, folder.st_uid, folder.st_gid) != 0) {
        close(fd);
        return Status::Error(temporary + ": cannot be given to the state directory's owner");
      }
    }
  }
  const std::string text = token + "\n";
  const bool written =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  close(fd);
  if (!written || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return Status::Error(path + ": the refresh token could not be written");
  }
  return Status::Ok();
}

}  // namespace complaints
