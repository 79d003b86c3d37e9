#include "daemon/service/status_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace complaints {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(const StatusServer::StatusFn& status, const StatusServer::GaugesFn& gauges,
          const Clock& clock)
      : status_(status), gauges_(gauges), clock_(clock) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    using Poco::Net::HTTPResponse;
    std::string body;
    if (request.getMethod() != "GET") {
      response.setStatus(HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
      body = "only GET\n";
    } else if (request.getURI() == "/healthz") {
      bool healthy = false;
      body = HealthBody(status_(), &healthy);
      response.setStatus(healthy ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
    } else if (request.getURI() == "/metrics") {
      body =
          MetricsBody(status_(), gauges_ ? gauges_() : std::map<std::string, long>{}, clock_.Now());
      response.setContentType("text/plain; version=0.0.4");
    } else {
      response.setStatus(HTTPResponse::HTTP_NOT_FOUND);
      body = "not found: try /healthz or /metrics\n";
    }
    if (response.getContentType() == "text/html") response.setContentType("text/plain");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

 private:
  const StatusServer::StatusFn& status_;
  const StatusServer::GaugesFn& gauges_;
  const Clock& clock_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(StatusServer::StatusFn status, StatusServer::GaugesFn gauges, const Clock& clock)
      : status_(std::move(status)), gauges_(std::move(gauges)), clock_(clock) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(status_, gauges_, clock_);
  }

 private:
  StatusServer::StatusFn status_;
  StatusServer::GaugesFn gauges_;
  const Clock& clock_;
};

}  // namespace

struct StatusServer::Impl {
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
};

std::string HealthBody(const ServiceStatus& status, bool* healthy) {
  *healthy = status.mailbox_ok && status.store_ok && status.sender_ok;
  if (*healthy) return "ok\n";
  return "unhealthy: " + (status.problem.empty() ? std::string("starting") : status.problem) + "\n";
}

std::string MetricsBody(const ServiceStatus& status, const std::map<std::string, long>& gauges,
                        Instant now) {
  std::string out;
  for (const auto& [name, value] : status.counters) {
    out += "# TYPE complaintsd_" + name + "_total counter\n";
    out += "complaintsd_" + name + "_total " + std::to_string(value) + "\n";
  }
  for (const auto& [name, value] : gauges) {
    out += "# TYPE complaintsd_" + name + " gauge\n";
    out += "complaintsd_" + name + " " + std::to_string(value) + "\n";
  }
  out += "# TYPE complaintsd_up gauge\ncomplaintsd_up{component=\"mailbox\"} " +
         std::to_string(status.mailbox_ok ? 1 : 0) + "\ncomplaintsd_up{component=\"store\"} " +
         std::to_string(status.store_ok ? 1 : 0) + "\ncomplaintsd_up{component=\"sender\"} " +
         std::to_string(status.sender_ok ? 1 : 0) + "\n";
  if (status.last_mailbox_success) {
    out += "# TYPE complaintsd_seconds_since_mailbox_check gauge\n";
    out += "complaintsd_seconds_since_mailbox_check " +
           std::to_string((now - *status.last_mailbox_success).count()) + "\n";
  }
  return out;
}

Result<std::unique_ptr<StatusServer>> StatusServer::Start(const std::string& listen,
                                                          StatusFn status, GaugesFn gauges,
                                                          const Clock& clock) {
  using R = Result<std::unique_ptr<StatusServer>>;
  auto impl = std::make_unique<Impl>();
  try {
    // No SO_REUSEPORT (Poco's default turns it on): a second daemon must not share the port.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(listen), /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen();
    impl->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(2);
    params->setKeepAlive(false);
    impl->server = std::make_unique<Poco::Net::HTTPServer>(
        new Factory(std::move(status), std::move(gauges), clock), socket, params);
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return R::Error("http.listen " + listen + ": " + e.displayText());
  }
  return std::unique_ptr<StatusServer>(new StatusServer(std::move(impl)));
}

StatusServer::StatusServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatusServer::~StatusServer() {
  if (impl_ && impl_->server) impl_->server->stopAll(true);
}
int StatusServer::port() const { return impl_->port; }

}  // namespace complaints
