#include "daemon/service/workbench.h"

namespace complaints {

Result<std::unique_ptr<Workbench>> Workbench::Start(const DaemonConfig& config,
                                                    const Clock& clock) {
  using R = Result<std::unique_ptr<Workbench>>;
  if (config.web.listen.empty()) return std::unique_ptr<Workbench>();
  std::unique_ptr<Workbench> w(new Workbench());
  Result<Policy> policy = LoadPolicy(config.policy_file);
  if (!policy) return R::Error("web: " + policy.error());
  w->policy_ = std::move(policy).value();
  CalendarSettings calendar = config.calendar;
  calendar.division = w->policy_.division;
  calendar.close_of_business = w->policy_.close_of_business;
  Result<BusinessHours> hours = BuildBusinessHours(calendar);
  if (!hours) return R::Error("web: " + hours.error());
  w->hours_ = std::make_unique<BusinessHours>(*hours);
  Result<MailTemplates> templates = MailTemplates::Load(config.templates_dir);
  if (!templates) return R::Error("web: " + templates.error());
  w->templates_ = std::make_unique<MailTemplates>(std::move(templates).value());
  WebSettings settings;
  settings.listen = config.web.listen;
  settings.govuk_dir = config.web.assets_dir + "/node_modules/govuk-frontend/dist/govuk";
  settings.static_dir = config.web.assets_dir + "/static";
  settings.trusted_proxies = config.web.trusted_proxies;
  settings.proxy_user_header = config.web.proxy_user_header;
  settings.login = config.web.login;
  WebDeps deps;
  deps.store_path = config.store_path;
  deps.policy = &w->policy_;
  deps.hours = w->hours_.get();
  deps.templates = w->templates_.get();
  deps.mail = config.mail;
  deps.clock = &clock;
  deps.homes = config.homes;
  deps.evidence_file = config.evidence_file;
  Result<std::unique_ptr<WebServer>> server = WebServer::Start(settings, std::move(deps));
  if (!server) return R(server.status());
  w->server_ = std::move(server).value();
  return w;
}

Workbench::~Workbench() = default;
int Workbench::port() const { return server_->port(); }

}  // namespace complaints
