// The HTTP listener for operators: GET /healthz (200 "ok", or 503 with the reason) and GET /metrics
// (Prometheus text format). Binds to loopback by default; serves only these two paths. Runs on its
// own Poco threads; `status` must be thread-safe (Service::status() is).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "daemon/calendar/clock.h"
#include "daemon/service/service.h"
#include "parsers/result.h"

namespace complaints {

class StatusServer {
 public:
  using StatusFn = std::function<ServiceStatus()>;
  // Extra gauges computed at scrape time (outbox waiting, ...).
  using GaugesFn = std::function<std::map<std::string, long>()>;

  // `listen` is "ADDRESS:PORT" (port 0 picks a free one).
  static Result<std::unique_ptr<StatusServer>> Start(const std::string& listen, StatusFn status,
                                                     GaugesFn gauges, const Clock& clock);
  ~StatusServer();
  int port() const;

  struct Impl;

 private:
  explicit StatusServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The two bodies, for tests and for the server.
std::string HealthBody(const ServiceStatus& status, bool* healthy);
std::string MetricsBody(const ServiceStatus& status, const std::map<std::string, long>& gauges,
                        Instant now);

}  // namespace complaints
