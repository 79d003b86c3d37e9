#include "daemon/outgoing/smtp_transport.h"

#include <curl/curl.h>

#include <cstring>

#include "daemon/outgoing/outgoing_mail.h"

namespace complaints {
namespace {

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadBody(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t room = size * count;
  const size_t left = upload->data->size() - upload->offset;
  const size_t n = std::min(room, left);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

void GlobalInit() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)done;
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) {
  GlobalInit();
}

// What every connection sets: the server, TLS, the time limits and the login. `error` must
// outlive the handle's use; `token` gets the token used. Error: no token could be had.
Status SmtpTransport::Configure(void* handle, std::string& token, char* error) {
  CURL* curl = static_cast<CURL*>(handle);
  // libcurl uses the URL's path as the EHLO name (and copies the strings it is given).
  const std::string url = settings_.url + "/" + settings_.helo_name;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, settings_.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, settings_.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, settings_.verify_tls ? 2L : 0L);
  if (!settings_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (settings_.url.rfind("smtp://", 0) == 0 && settings_.require_tls) {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!settings_.user.empty()) curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.user.c_str());
  token = settings_.bearer_token;
  if (settings_.bearer_token_source) {
    Result<std::string> fresh = settings_.bearer_token_source();
    if (!fresh) return Status::Error("XOAUTH2 token: " + fresh.error());
    token = *fresh;
  }
  if (!token.empty()) {
    curl_easy_setopt(curl, CURLOPT_XOAUTH2_BEARER, token.c_str());
  } else if (!settings_.password.empty()) {
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  return Status::Ok();
}

std::string SmtpTransport::Failure(int rc, long code, const char* error, bool token) {
  const CURLcode why = static_cast<CURLcode>(rc);
  const bool refused = why == CURLE_LOGIN_DENIED && token;
  if (refused && settings_.bearer_token_refused) settings_.bearer_token_refused();
  return settings_.url + ": " + (error[0] ? error : curl_easy_strerror(why)) +
         (code ? " (server said " + std::to_string(code) + ")" : "") +
         (refused ? " (the server refused the XOAUTH2 token)" : "");
}

SendOutcome SmtpTransport::Send(const OutboxItem& item) {
  using Kind = SendOutcome::Kind;
  if (Status s = ValidateAddress(item.envelope_from); !s) return {Kind::kPermanent, s.error()};
  if (item.recipients.empty()) return {Kind::kPermanent, "no recipients"};
  for (const std::string& r : item.recipients) {
    if (Status s = ValidateAddress(r); !s) return {Kind::kPermanent, s.error()};
  }
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return {Kind::kTemporary, "libcurl could not start"};
  const std::string from = "<" + item.envelope_from + ">";
  curl_slist* rcpt = nullptr;
  for (const std::string& r : item.recipients)
    rcpt = curl_slist_append(rcpt, ("<" + r + ">").c_str());
  Upload upload{&item.raw};
  char error[CURL_ERROR_SIZE] = {0};
  std::string token;
  if (Status s = Configure(curl, token, error); !s) {
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    return {Kind::kTemporary, s.error()};
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(item.raw.size()));
  const CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK) return {Kind::kSent, "accepted (" + std::to_string(code) + ")"};
  const std::string why = Failure(rc, code, error, !token.empty());
  if (code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED) return {Kind::kPermanent, why};
  return {Kind::kTemporary, why};  // 4xx, refused logins, and the network: retried
}

Status SmtpTransport::CheckLogin() {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Error("libcurl could not start");
  char error[CURL_ERROR_SIZE] = {0};
  std::string token;
  Status configured = Configure(curl, token, error);
  if (!configured) {
    curl_easy_cleanup(curl);
    return configured;
  }
  // libcurl greets, says EHLO, starts TLS and authenticates while connecting.
  curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK) return Status::Ok();
  return Status::Error(Failure(rc, code, error, !token.empty()));
}

}  // namespace complaints
