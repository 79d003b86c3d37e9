#include "tests/integration/oauth2_provider.h"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace complaints::integration {

OAuth2Provider::OAuth2Provider(const std::string& dir, const std::string& config_json) : dir_(dir) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/config.json") << config_json;
  child_ = std::make_unique<Child>(
      std::vector<std::string>{"/usr/bin/python3",
                               COMPLAINTSD_SOURCE_DIR "/tests/integration/oauth2_endpoint.py", dir,
                               dir + "/config.json"},
      dir + "/endpoint.log");
  const std::string line = child_->ReadLine(std::chrono::milliseconds{15000});
  if (line.rfind("PORT ", 0) != 0) {
    throw std::runtime_error("oauth2_endpoint.py did not start: " +
                             ReadFile(dir + "/endpoint.log"));
  }
  port_ = std::stoi(line.substr(5));
}

OAuth2Provider::~OAuth2Provider() {
  if (child_) child_->Stop(SIGTERM, std::chrono::milliseconds{5000});
}

std::string OAuth2Provider::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void OAuth2Provider::Refuse(const std::string& error) { std::ofstream(dir_ + "/refuse") << error; }
void OAuth2Provider::Accept() { std::filesystem::remove(dir_ + "/refuse"); }

void OAuth2Provider::SetLifetime(int seconds) {
  if (seconds == 0) {
    std::filesystem::remove(dir_ + "/lifetime");
  } else {
    std::ofstream(dir_ + "/lifetime") << seconds;
  }
}

std::vector<std::string> OAuth2Provider::Events() const {
  std::vector<std::string> events;
  std::istringstream in(ReadFile(dir_ + "/events.log"));
  for (std::string line; std::getline(in, line);) events.push_back(line);
  return events;
}

int OAuth2Provider::Issued() const {
  int n = 0;
  for (const std::string& e : Events()) {
    if (e.find("\"path\": \"/token\"") != std::string::npos &&
        e.find("\"ok\": true, \"rotated\"") != std::string::npos) {
      ++n;
    }
  }
  return n;
}

std::string OAuth2Provider::RefreshToken() const { return ReadFile(dir_ + "/refresh-token"); }

}  // namespace complaints::integration
