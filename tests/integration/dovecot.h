// A throwaway Dovecot for the integration tests: its own configuration, state and mail in a
// temporary folder, IMAP on 127.0.0.1 on a free port (plain, or TLS with a self-signed
// certificate made for it), any user with the password "secret" (or, with
// oauth2_introspection_url, any user whose XOAUTH2 token the endpoint says is active). Works as
// root (mail is owned by the dovecot user) and as an ordinary user. Stopped and removed by the
// destructor.
#pragma once

#include <memory>
#include <string>

#include "tests/integration/processes.h"

namespace complaints::integration {

class Dovecot {
 public:
  struct Options {
    bool tls = false;  // imaps with a self-signed certificate (ca_file() verifies it)
    bool idle = true;  // false: IMAP without the IDLE capability
    // When set: logins are XOAUTH2 only (as Microsoft 365 offers), through Dovecot's oauth2
    // passdb, which asks this introspection endpoint (oauth2_endpoint.py) about each token.
    std::string oauth2_introspection_url;
  };
  Dovecot(const std::string& dir, Options options);
  ~Dovecot();

  int port() const { return port_; }
  std::string url(const std::string& folder = "INBOX") const;
  std::string ca_file() const { return dir_ + "/cert.pem"; }
  // Writes a message straight into the user's Maildir/new (as a delivery agent would).
  void Deliver(const std::string& user, const std::string& raw);
  std::string Maildir(const std::string& user) const;
  void Stop();
  void Start();  // again, after Stop (same port, same mail)

 private:
  void WriteConfig();

  std::string dir_;
  Options options_;
  int port_ = 0;
  int delivered_ = 0;
  std::unique_ptr<Child> child_;
};

int FreeTcpPort();

}  // namespace complaints::integration
