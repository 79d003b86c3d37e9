// A throwaway OAuth2 provider for the integration tests (oauth2_endpoint.py): a token endpoint,
// a device-code endpoint and an introspection endpoint on 127.0.0.1, which checks every grant it
// receives and can be told to refuse. Stopped by the destructor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/integration/processes.h"

namespace complaints::integration {

class OAuth2Provider {
 public:
  // `config_json`: what grants must carry (see oauth2_endpoint.py).
  OAuth2Provider(const std::string& dir, const std::string& config_json);
  ~OAuth2Provider();

  std::string url(const std::string& path) const;  // "http://127.0.0.1:PORT" + path
  // Every later grant fails with `error` (invalid_grant, invalid_client), until Accept().
  void Refuse(const std::string& error);
  void Accept();
  // Tokens issued from now on live this long (0: the configured lifetime).
  void SetLifetime(int seconds);
  // One JSON object per request received, in order.
  std::vector<std::string> Events() const;
  // Tokens issued so far.
  int Issued() const;
  std::string RefreshToken() const;  // the refresh token the provider now accepts

 private:
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<Child> child_;
};

}  // namespace complaints::integration
