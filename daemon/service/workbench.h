// The workbench as the daemon runs it: the web server with the policy, templates and calendar of
// the daemon's configuration, loaded for it alone (its threads share nothing with the service
// loop but the store file). Started once; a reload does not move it (restart for web.* changes).
#pragma once

#include <memory>

#include "daemon/calendar/clock.h"
#include "daemon/service/daemon_config.h"
#include "daemon/web/web_server.h"
#include "parsers/result.h"

namespace complaints {

class Workbench {
 public:
  // Null when web.listen is empty (turned off).
  static Result<std::unique_ptr<Workbench>> Start(const DaemonConfig& config, const Clock& clock);
  ~Workbench();
  int port() const;

 private:
  Workbench() = default;
  Policy policy_;
  std::unique_ptr<BusinessHours> hours_;
  std::unique_ptr<MailTemplates> templates_;
  std::unique_ptr<WebServer> server_;
};

}  // namespace complaints
