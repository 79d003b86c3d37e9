// The complaints team's workbench: server-rendered pages and a JSON API, served by complaintsd
// itself through Poco's HTTP server, on the same store and the same staff actions (staff/) as the
// daemon and complaintsctl. Works without JavaScript; serves no script at all.
//
// Security: every page but /login, /healthz and /assets needs a session; every POST needs the
// session's CSRF token; roles are checked here, on the server; every response carries a
// Content-Security-Policy without script, frame-ancestors 'none' and nosniff, and pages are
// no-store. Residents' mail is shown as escaped text only; attachments download as attachments.
// Every read of a case, a message, an attachment or a document, and every API listing, is recorded
// in the access log (who, what, when) before it is served, or refused (503) when it cannot be.
// Behind a reverse proxy that authenticates (oauth2-proxy, mod_auth_openidc), its user header is
// believed only from the configured proxy addresses.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "daemon/calendar/business_hours.h"
#include "daemon/calendar/clock.h"
#include "daemon/cases/policy.h"
#include "daemon/outgoing/case_mailer.h"
#include "daemon/outgoing/mail_templates.h"
#include "daemon/privacy/access_log.h"
#include "daemon/reports/tsm.h"
#include "daemon/staff/staff_accounts.h"
#include "parsers/result.h"

namespace complaints {

struct WebSettings {
  std::string listen = "127.0.0.1:8080";     // ADDRESS:PORT; port 0 picks a free one
  std::string govuk_dir;                     // govuk-frontend's dist/govuk (its CSS)
  std::string static_dir;                    // web/static (the workbench's own CSS)
  std::vector<std::string> trusted_proxies;  // addresses whose user header is believed
  std::string proxy_user_header;             // e.g. X-Forwarded-User; "" believes none
  LoginPolicy login;
  int threads = 8;
};

// What the workbench works with; all of it outlives the server.
struct WebDeps {
  std::string store_path;
  const Policy* policy = nullptr;
  const BusinessHours* hours = nullptr;
  const MailTemplates* templates = nullptr;  // null: staff actions queue no letters
  MailSettings mail;
  const Clock* clock = nullptr;
  std::vector<HomesFrom> homes;  // landlord.homes, for the Reports page
  std::string evidence_file;     // reports.evidence-file, for the annual report's self-assessment
  // Where every read of a case or message is recorded before it is served (a read that cannot be
  // recorded is refused with 503). Null: the store's own access log (SqlitePrivacyStore).
  AccessLog* access_log = nullptr;
};

class WebServer {
 public:
  static Result<std::unique_ptr<WebServer>> Start(const WebSettings& settings, WebDeps deps);
  ~WebServer();
  int port() const;

  struct Impl;

 private:
  explicit WebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace complaints
