#include "tests/integration/spamd.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "daemon/base/subprocess.h"
#include "tests/integration/dovecot.h"

namespace complaints::integration {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSpamd = "/usr/sbin/spamd";
constexpr const char* kSpamc = "/usr/bin/spamc";

bool Pongs(int port) {
  ChildRun run;
  run.argv = {kSpamc, "-K", "-d", "127.0.0.1",          "-p", std::to_string(port), "-t",
              "2",    "-n", "2",  "--connect-retries=1"};
  run.timeout = std::chrono::seconds{5};
  const Result<ChildExit> ran = RunChild(run);
  return ran.ok() && ran->ok() && ran->out.rfind("SPAMD/", 0) == 0;  // "SPAMD/1.5 0"
}

}  // namespace

Spamd::Spamd(const std::string& dir, int children) : dir_(dir) {
  for (const char* program : {kSpamd, kSpamc}) {
    if (access(program, X_OK) != 0) {
      throw std::runtime_error(std::string("no ") + program + ": install spamd and spamc");
    }
  }
  port_ = FreeTcpPort();
  WriteConfig();
  std::vector<std::string> argv = {kSpamd,
                                   "--local",
                                   "--nouser-config",
                                   "--listen=127.0.0.1:" + std::to_string(port_),
                                   "--min-children=" + std::to_string(children),
                                   "--max-children=" + std::to_string(children),
                                   "--siteconfigpath=" + dir_ + "/site",
                                   "--helper-home-dir=" + dir_ + "/home",
                                   "--syslog=stderr",
                                   "--pidfile=" + dir_ + "/spamd.pid"};
  if (geteuid() == 0) argv.push_back("--username=nobody");  // spamd refuses to run as root
  child_ = std::make_unique<Child>(argv, dir_ + "/spamd.log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  while (std::chrono::steady_clock::now() < deadline) {
    if (Pongs(port_)) return;
    if (!child_->Running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
  }
  Stop();
  throw std::runtime_error("spamd did not answer on port " + std::to_string(port_) + ": " +
                           ReadFile(dir_ + "/spamd.log"));
}

Spamd::~Spamd() { Stop(); }

void Spamd::Stop() {
  if (child_) child_->Stop(SIGTERM, std::chrono::milliseconds{10000});
  child_.reset();
}

// The site configuration folder replaces /etc/spamassassin, whose .pre files load the plugins
// (Check among them: without it no rule runs), so those are copied; local.cf turns off what
// would learn from or depend on earlier runs.
void Spamd::WriteConfig() {
  fs::create_directories(dir_ + "/site");
  fs::create_directories(dir_ + "/home");
  for (const auto& entry : fs::directory_iterator("/etc/spamassassin")) {
    if (entry.path().extension() == ".pre") {
      fs::copy_file(entry.path(), dir_ + "/site/" + entry.path().filename().string(),
                    fs::copy_options::overwrite_existing);
    }
  }
  std::ofstream(dir_ + "/site/local.cf") << "required_score 5.0\n"
                                            "use_bayes 0\n"
                                            "bayes_auto_learn 0\n"
                                            "report_safe 0\n";
  if (geteuid() == 0) {  // "nobody" must read the configuration and write its home
    for (fs::path p = dir_; p != p.parent_path() && p != fs::temp_directory_path();
         p = p.parent_path()) {
      chmod(p.c_str(), 0755);
    }
    chmod((dir_ + "/home").c_str(), 0777);
  }
}

}  // namespace complaints::integration
