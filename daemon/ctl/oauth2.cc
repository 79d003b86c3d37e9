#include <ostream>

#include "daemon/base/command_line.h"
#include "daemon/calendar/clock.h"
#include "daemon/ctl/commands.h"
#include "daemon/service/components.h"
#include "daemon/service/daemon_config.h"

namespace complaints {

int RunOAuth2Command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  constexpr const char* kUsage =
      "usage: complaintsctl oauth2 token --config FILE\n"
      "  fetches an OAuth2 token as the daemon would (oauth2.* keys) and prints\n"
      "  'ok expires_in=SECONDS', or the provider's refusal and what to check; never the token\n";
  Result<CommandLine> line = CommandLine::Parse(args, {{"config"}, {"help"}});
  if (line && line->Has("help")) {
    out << kUsage;
    return 0;
  }
  if (!line || line->positional() != std::vector<std::string>{"token"} || !line->Get("config")) {
    err << (line ? "" : "complaintsctl oauth2: " + line.error() + "\n") << kUsage;
    return 2;
  }
  Result<DaemonConfig> config = LoadDaemonConfig(*line->Get("config"));
  if (!config) {
    err << "complaintsctl oauth2 token: " << config.error() << '\n';
    return 2;
  }
  if (!config->oauth2) {
    err << "complaintsctl oauth2 token: neither mailbox.auth nor smtp.auth is oauth2 in "
        << config->path << '\n';
    return 2;
  }
  SystemClock clock;
  std::shared_ptr<OAuth2Tokens> tokens = MakeOAuth2Tokens(
      *config, clock, [&](const std::string& w) { err << "warning: " << w << '\n'; });
  if (std::optional<std::string> warning = tokens->CertificateWarning()) {
    err << "warning: " << *warning << '\n';
  }
  Result<AccessToken> token = tokens->Fetch();
  if (!token) {
    err << "complaintsctl oauth2 token: " << OAuth2TokenUrl(*config->oauth2) << ": "
        << token.error() << '\n';
    return 1;
  }
  out << "ok expires_in=" << (token->expires_at - clock.Now()).count() << '\n';
  return 0;
}

}  // namespace complaints
