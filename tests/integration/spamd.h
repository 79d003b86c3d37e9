// A throwaway SpamAssassin daemon for the integration tests and the spam benchmark: Debian's
// spamd on 127.0.0.1 on a free port, local tests only (-L: no DNS blocklists, no network), no
// per-user configuration, one child, its site configuration (the system's plugin .pre files and a
// local.cf without Bayes) and its home in a temporary folder, its log in spamd.log there; one
// child unless told (the benchmark asks for more). As root it runs as "nobody". Started by the
// constructor, which returns once spamd answers spamc's ping (a few seconds: the rules load);
// stopped by the destructor.
#pragma once

#include <memory>
#include <string>

#include "tests/integration/processes.h"

namespace complaints::integration {

class Spamd {
 public:
  // Throws std::runtime_error, with spamd's log, when it does not answer within 60 s.
  explicit Spamd(const std::string& dir, int children = 1);
  ~Spamd();

  int port() const { return port_; }
  void Stop();

 private:
  void WriteConfig();

  std::string dir_;
  int port_ = 0;
  std::unique_ptr<Child> child_;
};

}  // namespace complaints::integration
