// SmtpTransport against a real SMTP server (aiosmtpd) on 127.0.0.1.
#include "daemon/outgoing/smtp_transport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "tests/integration/processes.h"

namespace complaints {
namespace {

using integration::SmtpSink;
using integration::TempDir;

OutboxItem Item(std::vector<std::string> to) {
  OutboxItem item;
  item.id = 1;
  item.kind = "ack-stage";
  item.envelope_from = "complaints@ha.example";
  item.recipients = std::move(to);
  item.raw =
      "From: complaints@ha.example\r\nTo: jo@example.org\r\nSubject: [WW-2026-00001] test\r\n"
      "Message-ID: <cd.x@ha.example>\r\n\r\nline one\r\n.leading dot\r\n\xC2\xA3"
      "5\r\n";
  return item;
}

SmtpSettings Plain(int port) {
  SmtpSettings s;
  s.url = "smtp://127.0.0.1:" + std::to_string(port);
  s.require_tls = false;  // aiosmtpd here speaks plain SMTP on loopback
  s.helo_name = "ha.example";
  s.timeout_seconds = 20;
  return s;
}

TEST(SmtpTransportTest, DeliversByteForByteToEveryRecipient) {
  const std::string dir = TempDir("smtp_deliver");
  SmtpSink sink(dir + "/mail");
  SmtpTransport smtp(Plain(sink.port()));
  const OutboxItem item = Item({"jo@example.org", "manager@ha.example"});
  const SendOutcome out = smtp.Send(item);
  ASSERT_EQ(out.kind, SendOutcome::Kind::kSent) << out.detail;
  ASSERT_EQ(sink.Messages().size(), 1u);
  EXPECT_EQ(sink.Messages()[0], item.raw);
  EXPECT_EQ(sink.Envelopes()[0], "complaints@ha.example\njo@example.org\nmanager@ha.example\n");
}

TEST(SmtpTransportTest, TemporaryAndPermanentFailures) {
  const std::string dir = TempDir("smtp_fail");
  {
    SmtpSink busy(dir + "/busy", 0, {"--fail", "451"});
    const SendOutcome out = SmtpTransport(Plain(busy.port())).Send(Item({"jo@example.org"}));
    EXPECT_EQ(out.kind, SendOutcome::Kind::kTemporary) << out.detail;
  }
  {
    SmtpSink refusing(dir + "/refusing", 0, {"--fail", "550"});
    const SendOutcome out = SmtpTransport(Plain(refusing.port())).Send(Item({"jo@example.org"}));
    EXPECT_EQ(out.kind, SendOutcome::Kind::kPermanent) << out.detail;
  }
  SmtpSink gone(dir + "/gone");
  const int port = gone.port();
  gone.Stop();
  const SendOutcome down = SmtpTransport(Plain(port)).Send(Item({"jo@example.org"}));
  EXPECT_EQ(down.kind, SendOutcome::Kind::kTemporary);
  EXPECT_NE(down.detail.find("127.0.0.1:" + std::to_string(port)), std::string::npos);
}

TEST(SmtpTransportTest, StartTlsIsRequiredByDefault) {
  const std::string dir = TempDir("smtp_tls");
  SmtpSink sink(dir + "/mail");
  SmtpSettings settings = Plain(sink.port());
  settings.require_tls = true;  // the default: this server offers no STARTTLS, so refuse
  const SendOutcome out = SmtpTransport(settings).Send(Item({"jo@example.org"}));
  EXPECT_NE(out.kind, SendOutcome::Kind::kSent);
  EXPECT_TRUE(sink.Messages().empty());
}

// A server that offers STARTTLS: the message goes over TLS when its certificate is trusted (here
// by smtp.ca-file), and is held back, not sent in the clear, when it is not.
TEST(SmtpTransportTest, StartTlsWithAVerifiedCertificateDelivers) {
  const std::string dir = TempDir("smtp_starttls");
  const std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
      "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
      dir + "/key.pem -out " + dir + "/cert.pem 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  SmtpSink sink(dir + "/mail", 0, {"--starttls", dir + "/cert.pem", dir + "/key.pem"});
  SmtpSettings settings = Plain(sink.port());
  settings.require_tls = true;
  const SendOutcome untrusted = SmtpTransport(settings).Send(Item({"jo@example.org"}));
  EXPECT_EQ(untrusted.kind, SendOutcome::Kind::kTemporary) << untrusted.detail;
  EXPECT_TRUE(sink.Messages().empty());
  settings.ca_file = dir + "/cert.pem";
  const SendOutcome sent = SmtpTransport(settings).Send(Item({"jo@example.org"}));
  EXPECT_EQ(sent.kind, SendOutcome::Kind::kSent) << sent.detail;
  ASSERT_EQ(sink.Messages().size(), 1u);
  EXPECT_EQ(sink.Messages()[0], Item({"jo@example.org"}).raw);
  // The server will not take mail before STARTTLS: had we sent it in the clear, it would refuse.
  settings.require_tls = false;
  settings.ca_file.clear();
  const SendOutcome clear = SmtpTransport(settings).Send(Item({"jo@example.org"}));
  EXPECT_NE(clear.kind, SendOutcome::Kind::kSent) << clear.detail;
  EXPECT_EQ(sink.Messages().size(), 1u);
}

TEST(SmtpTransportTest, AuthWorksAndAWrongPasswordIsRetriedNotLost) {
  const std::string dir = TempDir("smtp_auth");
  SmtpSink sink(dir + "/mail", 0, {"--auth", "complaints:s3cret"});
  SmtpSettings settings = Plain(sink.port());
  settings.user = "complaints";
  settings.password = "wrong";
  const auto start = std::chrono::steady_clock::now();
  const SendOutcome refused = SmtpTransport(settings).Send(Item({"jo@example.org"}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{5});  // a 535, no wait
  EXPECT_EQ(refused.kind, SendOutcome::Kind::kTemporary) << refused.detail;
  EXPECT_EQ(refused.detail.find("wrong"), std::string::npos);  // never the password
  settings.password = "s3cret";
  const SendOutcome ok = SmtpTransport(settings).Send(Item({"jo@example.org"}));
  EXPECT_EQ(ok.kind, SendOutcome::Kind::kSent) << ok.detail;
}

TEST(SmtpTransportTest, EnvelopeInjectionIsRefused) {
  const std::string dir = TempDir("smtp_inject");
  SmtpSink sink(dir + "/mail");
  for (const char* bad : {"jo@example.org>\r\nRCPT TO:<victim@example.net",
                          "jo@example.org\r\nDATA", "<jo@example.org>", ""}) {
    const SendOutcome out = SmtpTransport(Plain(sink.port())).Send(Item({bad}));
    EXPECT_EQ(out.kind, SendOutcome::Kind::kPermanent) << bad;
  }
  EXPECT_TRUE(sink.Messages().empty());
}

}  // namespace
}  // namespace complaints
