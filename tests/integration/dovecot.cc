#include "tests/integration/dovecot.h"

#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <thread>

namespace complaints::integration {
namespace {

namespace fs = std::filesystem;

// Plain IMAP: the "* OK" greeting arrives. imaps: the server waits for the TLS handshake, so a
// connection being accepted is the sign.
bool Greets(int port, bool tls) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    if (tls) {
      close(fd);
      return true;
    }
    timeval tv{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buffer[64] = {0};
    ok = recv(fd, buffer, sizeof buffer - 1, 0) > 0;
  }
  close(fd);
  return ok;
}

}  // namespace

int FreeTcpPort() {
  // The kernel may hand the same free port out twice (say, to Dovecot and to complaintsd's health
  // listener in one test, which then fails to start): never return a port twice in a process.
  static std::set<int> given;
  while (true) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    const int port = ntohs(addr.sin_port);
    if (given.insert(port).second) return port;
  }
}

Dovecot::Dovecot(const std::string& dir, Options options) : dir_(dir), options_(options) {
  fs::create_directories(dir_ + "/mail");
  port_ = FreeTcpPort();
  if (options_.tls) {
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
        "-nodes -days 2 -subj /CN=localhost -addext "
        "subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
        dir_ + "/key.pem -out " + dir_ + "/cert.pem 2>/dev/null";
    if (std::system(cmd.c_str()) != 0)
      throw std::runtime_error("openssl could not make a certificate");
  }
  WriteConfig();
  Start();
}

Dovecot::~Dovecot() { Stop(); }

void Dovecot::WriteConfig() {
  const bool root = geteuid() == 0;
  std::string uid = std::to_string(geteuid()), gid = std::to_string(getegid());
  if (root) {
    const passwd* pw = getpwnam("dovecot");
    if (pw == nullptr) throw std::runtime_error("no dovecot user: install dovecot-imapd");
    uid = std::to_string(pw->pw_uid);
    gid = std::to_string(pw->pw_gid);
    for (fs::path p = dir_; p != p.parent_path() && p != fs::temp_directory_path();
         p = p.parent_path()) {
      chmod(p.c_str(), 0755);
    }
    chmod((dir_ + "/mail").c_str(), 0755);
    const std::string chown = "chown -R " + uid + ":" + gid + " " + dir_ + "/mail";
    if (std::system(chown.c_str()) != 0) throw std::runtime_error("chown failed");
  }
  std::ofstream conf(dir_ + "/dovecot.conf");
  conf << "base_dir = " << dir_ << "/run\n"
       << "state_dir = " << dir_ << "/state\n"
       << "log_path = " << dir_ << "/dovecot.log\n"
       << "protocols = imap\nlisten = 127.0.0.1\n"
       << "auth_failure_delay = 0\ndisable_plaintext_auth = no\n";
  if (options_.oauth2_introspection_url.empty()) {
    conf << "auth_mechanisms = plain login\n"
         << "passdb {\n  driver = static\n  args = password=secret\n}\n";
  } else {
    std::ofstream(dir_ + "/oauth2.conf.ext")
        << "introspection_mode = post\nintrospection_url = " << options_.oauth2_introspection_url
        << "\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n";
    // Only XOAUTH2, as Microsoft 365: curl would pick OAUTHBEARER when it is offered.
    conf << "auth_mechanisms = xoauth2\npassdb {\n  driver = oauth2\n  mechanisms = xoauth2\n"
         << "  args = " << dir_ << "/oauth2.conf.ext\n}\n";
  }
  conf << "userdb {\n  driver = static\n  args = uid=" << uid << " gid=" << gid << " home=" << dir_
       << "/mail/%u\n}\n"
       << "mail_location = maildir:~/Maildir\nfirst_valid_uid = 1\n"
       << "service imap-login {\n  chroot =\n  inet_listener imap {\n    port = "
       << (options_.tls ? 0 : port_)
       << "\n  }\n  inet_listener imaps {\n    port = " << (options_.tls ? port_ : 0)
       << "\n    ssl = yes\n  }\n}\n"
       << "service anvil {\n  chroot =\n}\n";
  // Without IDLE and MOVE advertised, complaintsd must poll and COPY + EXPUNGE.
  if (!options_.idle)
    conf << "protocol imap {\n  imap_capability = IMAP4rev1 LITERAL+ UIDPLUS\n}\n";
  if (options_.tls) {
    conf << "ssl = yes\nssl_cert = <" << dir_ << "/cert.pem\nssl_key = <" << dir_ << "/key.pem\n";
  } else {
    conf << "ssl = no\n";
  }
  if (!root) {
    const passwd* me = getpwuid(geteuid());
    conf << "default_login_user = " << (me ? me->pw_name : "nobody") << "\n"
         << "default_internal_user = " << (me ? me->pw_name : "nobody") << "\n"
         << "default_internal_group = " << gid << "\n";
  }
}

void Dovecot::Start() {
  child_ = std::make_unique<Child>(
      std::vector<std::string>{"/usr/sbin/dovecot", "-F", "-c", dir_ + "/dovecot.conf"},
      dir_ + "/dovecot.stderr");
  for (int i = 0; i < 200; ++i) {
    if (Greets(port_, options_.tls)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  throw std::runtime_error("dovecot did not start: " + ReadFile(dir_ + "/dovecot.log") +
                           ReadFile(dir_ + "/dovecot.stderr"));
}

void Dovecot::Stop() {
  if (child_) child_->Stop(SIGTERM, std::chrono::milliseconds{10000});
  child_.reset();
}

std::string Dovecot::url(const std::string& folder) const {
  return std::string(options_.tls ? "imaps" : "imap") + "://127.0.0.1:" + std::to_string(port_) +
         "/" + folder;
}

std::string Dovecot::Maildir(const std::string& user) const {
  return dir_ + "/mail/" + user + "/Maildir";
}

void Dovecot::Deliver(const std::string& user, const std::string& raw) {
  const std::string maildir = Maildir(user);
  for (const char* sub : {"/new", "/cur", "/tmp"}) fs::create_directories(maildir + sub);
  const int n = ++delivered_;
  const std::string name = std::to_string(1800000000 + n) + ".M" + std::to_string(n) + ".test";
  const std::string tmp = maildir + "/tmp/" + name;
  std::ofstream(tmp, std::ios::binary) << raw;
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("dovecot");
    for (const std::string& p : {dir_ + "/mail/" + user, maildir, maildir + "/new",
                                 maildir + "/cur", maildir + "/tmp", tmp}) {
      if (chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown " + p);
    }
  }
  fs::rename(tmp, maildir + "/new/" + name);
}

}  // namespace complaints::integration
