#include "daemon/service/status_server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>

#include "tests/daemon/fake_clock.h"

namespace complaints {
namespace {

using testing::FakeClock;
using testing::Instant;

std::pair<int, std::string> Get(int port, const std::string& path) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::ostringstream body;
  body << in.rdbuf();
  return {static_cast<int>(response.getStatus()), body.str()};
}

TEST(StatusServerTest, HealthAndMetricsOverHttp) {
  FakeClock clock(Instant("2026-06-10T09:30:00Z"));
  ServiceStatus status;
  std::atomic<bool> healthy{false};
  auto server = StatusServer::Start(
      "127.0.0.1:0",
      [&] {
        ServiceStatus s;
        s.mailbox_ok = healthy.load();
        s.problem = healthy.load() ? "" : "mailbox: connection refused";
        s.last_mailbox_success = Instant("2026-06-10T09:29:00Z");
        s.counters["messages_ingested"] = 7;
        return s;
      },
      [] {
        return std::map<std::string, long>{{"outbox_waiting", 2}};
      },
      clock);
  ASSERT_TRUE(server.ok()) << server.error();
  const int port = (*server)->port();
  auto [code, body] = Get(port, "/healthz");
  EXPECT_EQ(code, 503);
  EXPECT_EQ(body, "unhealthy: mailbox: connection refused\n");
  healthy = true;
  std::tie(code, body) = Get(port, "/healthz");
  EXPECT_EQ(code, 200);
  EXPECT_EQ(body, "ok\n");
  std::tie(code, body) = Get(port, "/metrics");
  EXPECT_EQ(code, 200);
  EXPECT_NE(body.find("complaintsd_messages_ingested_total 7\n"), std::string::npos) << body;
  EXPECT_NE(body.find("complaintsd_outbox_waiting 2\n"), std::string::npos);
  EXPECT_NE(body.find("complaintsd_seconds_since_mailbox_check 60\n"), std::string::npos);
  EXPECT_EQ(Get(port, "/cases").first, 404);
}

TEST(StatusServerTest, ABusyPortIsAClearError) {
  FakeClock clock(Instant("2026-06-10T09:30:00Z"));
  auto first = StatusServer::Start(
      "127.0.0.1:0", [] { return ServiceStatus{}; }, nullptr, clock);
  ASSERT_TRUE(first.ok());
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = StatusServer::Start(
      taken, [] { return ServiceStatus{}; }, nullptr, clock);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("http.listen " + taken), std::string::npos);
}

}  // namespace
}  // namespace complaints
