#include <ostream>
#include <thread>

#include "daemon/base/command_line.h"
#include "daemon/calendar/clock.h"
#include "daemon/credentials/oauth2_tokens.h"
#include "daemon/ctl/commands.h"
#include "daemon/intake/imap_source.h"
#include "daemon/outgoing/smtp_transport.h"
#include "daemon/service/components.h"
#include "daemon/service/daemon_config.h"

namespace complaints {
namespace {

constexpr const char* kUsage =
    "usage: complaintsctl mailbox test --config FILE\n"
    "         logs in to IMAP and SMTP as configured and says what worked\n"
    "       complaintsctl mailbox login --config FILE\n"
    "         Microsoft 365 delegated (oauth2.flow = device-code): an admin signs in once; the\n"
    "         refresh token is kept in the state directory\n";

// The IMAP half of `mailbox test`. False when the login failed.
bool TestImap(const DaemonConfig& c, std::shared_ptr<OAuth2Tokens> tokens, std::ostream& out) {
  const MailboxConfig& m = c.mailbox;
  if (m.kind != "imap") {
    out << "imap: not used (mailbox.kind = maildir: " << m.maildir << ")\n";
    return true;
  }
  ImapSource source(MakeImapSettings(m, std::move(tokens)));
  Result<ImapSource::Survey> survey =
      source.Inspect({m.processed_folder, m.quarantine_folder, m.spam_folder});
  if (!survey) {
    out << "imap: FAILED: " << survey.error() << '\n';
    return false;
  }
  out << "imap: logged in to " << source.Name() << " ("
      << (m.auth == "oauth2"   ? "XOAUTH2"
          : m.password.empty() ? "XOAUTH2, token"
                               : "password")
      << "); it holds " << survey->messages << " message" << (survey->messages == 1 ? "" : "s")
      << '\n';
  for (const auto& [folder, present] : survey->folders) {
    out << "imap: folder '" << folder << "': "
        << (present ? "present" : "missing (created when the first message is moved there)")
        << '\n';
  }
  return true;
}

// The SMTP half. False when the login failed.
bool TestSmtp(const DaemonConfig& c, std::shared_ptr<OAuth2Tokens> tokens, std::ostream& out) {
  const SenderConfig& s = c.sender;
  if (s.kind != "smtp") {
    out << "smtp: not used (outbox.kind = pickup: " << s.pickup_dir << ")\n";
    return true;
  }
  SmtpTransport smtp(MakeSmtpSettings(s, c.mail, std::move(tokens)));
  if (Status login = smtp.CheckLogin(); !login) {
    out << "smtp: FAILED: " << login.error() << '\n';
    return false;
  }
  if (s.user.empty()) {
    out << "smtp: connected to " << s.url << " (no login: smtp.user is empty)\n";
  } else {
    out << "smtp: authenticated to " << s.url << " as " << s.user << " ("
        << (s.auth == "oauth2"   ? "XOAUTH2"
            : s.password.empty() ? "XOAUTH2, token"
                                 : "password")
        << ")\n";
  }
  return true;
}

int Login(const DaemonConfig& c, std::ostream& out, std::ostream& err) {
  if (!c.oauth2 || c.oauth2->flow != "device-code") {
    err << "complaintsctl mailbox login: only for oauth2.flow = device-code (Microsoft 365 "
           "delegated); "
        << c.path << " does not use it\n";
    return 2;
  }
  CurlTokenEndpoint endpoint(c.oauth2->ca_file);
  Status done = DeviceLogin(
      *c.oauth2, endpoint,
      [&](const DeviceLoginPrompt& p) {
        out << (p.message.empty() ? "To sign in, open " + p.verification_uri +
                                        " and enter the code " + p.user_code
                                  : p.message)
            << "\nSign in as the mailbox (" << c.oauth2->user
            << ") or an account with access to it. Waiting...\n";
        out.flush();
      },
      [](std::chrono::seconds s) { std::this_thread::sleep_for(s); });
  if (!done) {
    err << "complaintsctl mailbox login: " << done.error() << '\n';
    return 1;
  }
  out << "ok: signed in; the refresh token is kept in " << c.oauth2->refresh_token_file
      << " (mode 0600) and renewed by the daemon\n";
  return 0;
}

}  // namespace

int RunMailboxCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Result<CommandLine> line = CommandLine::Parse(args, {{"config"}, {"help"}});
  if (line && line->Has("help")) {
    out << kUsage;
    return 0;
  }
  const std::vector<std::string> words = line ? line->positional() : std::vector<std::string>{};
  if (!line || words.size() != 1 || (words[0] != "test" && words[0] != "login") ||
      !line->Get("config")) {
    err << (line ? "" : "complaintsctl mailbox: " + line.error() + "\n") << kUsage;
    return 2;
  }
  Result<DaemonConfig> config = LoadDaemonConfig(*line->Get("config"));
  if (!config) {
    err << "complaintsctl mailbox " << words[0] << ": " << config.error() << '\n';
    return 2;
  }
  if (words[0] == "login") return Login(*config, out, err);
  SystemClock clock;
  std::shared_ptr<OAuth2Tokens> tokens = MakeOAuth2Tokens(
      *config, clock, [&](const std::string& w) { out << "warning: " << w << '\n'; });
  const bool imap = TestImap(*config, tokens, out);
  const bool smtp = TestSmtp(*config, tokens, out);
  return imap && smtp ? 0 : 1;
}

}  // namespace complaints
