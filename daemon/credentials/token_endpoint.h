// The one edge between the OAuth2 code and the network: an HTTPS POST of a form to a provider's
// token (or device-code) endpoint, answered with a status and a JSON body. CurlTokenEndpoint is
// the real one (libcurl); tests use a fake that records what it was sent.
//
// The form holds secrets (client secret, assertion, refresh token) and the answer an access
// token: neither ever goes into an error message or a log line.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "parsers/result.h"

namespace complaints {

using Form = std::vector<std::pair<std::string, std::string>>;

struct HttpAnswer {
  long status = 0;
  std::string body;
};

class TokenEndpoint {
 public:
  virtual ~TokenEndpoint() = default;
  // Any HTTP answer is a value (a 400 carries the provider's error); only a failure to get one
  // (DNS, TLS, time-out) is an error, naming the URL and the cause.
  virtual Result<HttpAnswer> Post(const std::string& url, const Form& form) = 0;
};

class CurlTokenEndpoint : public TokenEndpoint {
 public:
  // `ca_file`: a CA bundle (empty: the system's). Certificates are always verified.
  explicit CurlTokenEndpoint(std::string ca_file = "", long timeout_seconds = 30);
  Result<HttpAnswer> Post(const std::string& url, const Form& form) override;

 private:
  std::string ca_file_;
  long timeout_seconds_;
};

}  // namespace complaints
