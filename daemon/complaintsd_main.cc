// complaintsd: the daemon. A Poco ServerApplication; this file is wiring only.
//
//   complaintsd --config FILE               run (foreground; systemd Type=notify)
//   complaintsd --config FILE --once        one pass of everything, the outbox drained, then exit
//   complaintsd --config FILE --check-config
//   complaintsd --daemon --pidfile FILE ... (outside systemd; Poco's options)
//
// SIGTERM/SIGINT: finish the message in hand, leave the outbox consistent, exit 0. SIGHUP: reload
// the configuration, policy and templates; a broken new configuration is reported and the old
// one kept.
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SyslogChannel.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <iostream>
#include <mutex>

#include "daemon/base/config_file.h"
#include "daemon/calendar/london_time.h"
#include "daemon/service/daemon_config.h"
#include "daemon/service/runtime.h"
#include "daemon/service/status_server.h"
#include "daemon/service/workbench.h"

namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_reload{false};
std::atomic<bool> g_interrupt{false};  // set by either: ends the current wait
bool g_detached = false;               // --daemon: no terminal, so the log goes to syslog

extern "C" void OnSignal(int signal) {
  if (signal == SIGHUP) {
    g_reload = true;
  } else {
    g_stop = true;
  }
  g_interrupt = true;
}

void InstallSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaction(s, &action, nullptr);
}

// Poco's logger on stderr, which journald collects under systemd: "complaintsd: <line>". With
// --daemon stderr is /dev/null, so the lines go to syslog (facility daemon) instead.
Poco::Logger& Logger() {
  static Poco::Logger& logger = []() -> Poco::Logger& {
    if (g_detached) {
      Poco::AutoPtr<Poco::SyslogChannel> syslog(new Poco::SyslogChannel(
          "complaintsd", Poco::SyslogChannel::SYSLOG_PID, Poco::SyslogChannel::SYSLOG_DAEMON));
      Poco::Logger& l = Poco::Logger::get("complaintsd");
      l.setChannel(syslog);
      l.setLevel(Poco::Message::PRIO_INFORMATION);
      return l;
    }
    Poco::AutoPtr<Poco::PatternFormatter> format(new Poco::PatternFormatter("complaintsd: %t"));
    Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel(std::cerr));
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, console));
    Poco::Logger& l = Poco::Logger::get("complaintsd");
    l.setChannel(channel);
    l.setLevel(Poco::Message::PRIO_INFORMATION);
    return l;
  }();
  return logger;
}

void Log(const std::string& line) { Logger().information(line); }

// A sign of life for systemd's watchdog (WatchdogSec=), from the service loop and before each
// message; told at most once a second.
void Alive() {
  static std::chrono::steady_clock::time_point last;
  const auto now = std::chrono::steady_clock::now();
  if (now - last < std::chrono::seconds{1}) return;
  last = now;
  sd_notify(0, "WATCHDOG=1");
}

// One posted letter is read for up to letters.timeout-seconds with no sign of life between:
// the watchdog must wait longer than that, so it is raised to cover it (never lowered).
void CoverLongestStep(const complaints::DaemonConfig& config) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return;
  const uint64_t needed =
      static_cast<uint64_t>(config.letters.reader.timeout.count() + 120) * 1000000u;
  if (usec >= needed) return;
  sd_notify(0, ("WATCHDOG_USEC=" + std::to_string(needed)).c_str());
  Log("watchdog raised to " + std::to_string(needed / 1000000u) +
      " s to cover the longest letter read (letters.timeout-seconds + 120 s)");
}

class Complaintsd : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    auto flag = Poco::Util::OptionCallback<Complaintsd>(this, &Complaintsd::SetFlag);
    options.addOption(
        Poco::Util::Option("config", "c", "configuration file").argument("FILE").callback(flag));
    options.addOption(
        Poco::Util::Option("check-config", "", "check the configuration and exit").callback(flag));
    options.addOption(
        Poco::Util::Option("once", "", "one pass of everything (all due mail sent), then exit")
            .callback(flag));
    options.addOption(
        Poco::Util::Option("version", "", "print the version and exit").callback(flag));
    options.addOption(Poco::Util::Option("help", "h", "show this help").callback(flag));
  }

  int main(const std::vector<std::string>& args) override {
    if (!args.empty()) {
      std::cerr << "complaintsd: unexpected argument '" << args[0] << "' (see --help)\n";
      return EXIT_USAGE;
    }
    if (help_) {
      Poco::Util::HelpFormatter formatter(options());
      formatter.setCommand(commandName());
      formatter.setHeader("complaintsd: the complaints mailbox daemon");
      formatter.format(std::cout);
      return EXIT_OK;
    }
    if (version_) {
      std::cout << "complaintsd 0.1.0\n";
      return EXIT_OK;
    }
    if (complaints::Status tz = complaints::CheckLondonTimeZone(); !tz) {
      std::cerr << "complaintsd: " << tz.error() << '\n';
      return EXIT_CONFIG;
    }
    if (config_path_.empty()) {
      std::cerr << "complaintsd: missing --config FILE\n";
      return EXIT_USAGE;
    }
    complaints::Result<complaints::DaemonConfig> config = Check();
    if (!config) return EXIT_CONFIG;
    if (check_only_) {
      std::cout << "ok\n";
      return EXIT_OK;
    }
    return Serve(*config);
  }

 private:
  // Reads and checks the configuration, printing every problem; then builds nothing.
  complaints::Result<complaints::DaemonConfig> Check() {
    complaints::Result<complaints::ConfigFile> file = complaints::ConfigFile::Load(config_path_);
    if (!file) {
      std::cerr << "complaintsd: " << file.error() << '\n';
      return complaints::Result<complaints::DaemonConfig>::Error(file.error());
    }
    std::vector<std::string> problems;
    complaints::DaemonConfig config = complaints::ReadDaemonConfig(*file, problems);
    for (const std::string& p : problems) std::cerr << p << '\n';
    if (!problems.empty()) {
      return complaints::Result<complaints::DaemonConfig>::Error(problems.front());
    }
    return config;
  }

  int Serve(const complaints::DaemonConfig& first) {
    complaints::SystemClock clock;
    complaints::Result<std::unique_ptr<complaints::Runtime>> built =
        complaints::Runtime::Build(first, clock, Log, Alive);
    if (!built) {
      std::cerr << "complaintsd: " << built.error() << '\n';
      return EXIT_CONFIG;
    }
    std::unique_ptr<complaints::Runtime> runtime = std::move(built).value();
    if (once_) {
      runtime->service().RunOnceAndDrain();
      const complaints::ServiceStatus status = runtime->service().status();
      if (!status.mailbox_ok) std::cerr << "complaintsd: " << status.problem << '\n';
      return status.mailbox_ok && status.store_ok ? EXIT_OK : EXIT_TEMPFAIL;
    }
    InstallSignalHandlers();
    std::mutex runtime_mutex;  // the status server reads the runtime while it may be replaced
    auto server = complaints::StatusServer::Start(
        first.http_listen,
        [&] {
          std::lock_guard<std::mutex> lock(runtime_mutex);
          return runtime->service().status();
        },
        [&] {
          std::lock_guard<std::mutex> lock(runtime_mutex);
          return runtime->Gauges();
        },
        clock);
    if (!server) {
      std::cerr << "complaintsd: " << server.error() << '\n';
      return EXIT_CONFIG;
    }
    auto workbench = complaints::Workbench::Start(first, clock);
    if (!workbench) {
      std::cerr << "complaintsd: " << workbench.error() << '\n';
      return EXIT_CONFIG;
    }
    Log("started: " + first.path + ", health on " + first.http_listen +
        (workbench.value()
             ? ", workbench on " + first.web.listen.substr(0, first.web.listen.rfind(':') + 1) +
                   std::to_string(workbench.value()->port())
             : ", workbench off (web.listen is empty)"));
    sd_notify(0, "READY=1");
    CoverLongestStep(first);
    while (!g_stop) {
      g_interrupt = false;
      runtime->service().Run(g_interrupt);
      sd_notify(0, "WATCHDOG=1");
      if (g_reload.exchange(false) && !g_stop) Reload(clock, runtime, runtime_mutex);
    }
    sd_notify(0, "STOPPING=1");
    Log("stopping: the message in hand is finished, the outbox is consistent");
    return EXIT_OK;
  }

  void Reload(complaints::SystemClock& clock, std::unique_ptr<complaints::Runtime>& runtime,
              std::mutex& runtime_mutex) {
    sd_notify(0, "RELOADING=1");
    complaints::Result<complaints::DaemonConfig> config = Check();
    if (config) {
      complaints::Result<std::unique_ptr<complaints::Runtime>> next =
          complaints::Runtime::Build(*config, clock, Log, Alive);
      if (next) {
        std::lock_guard<std::mutex> lock(runtime_mutex);
        runtime = std::move(next).value();
        CoverLongestStep(*config);
        Log("reloaded " + config_path_);
      } else {
        Log("reload refused, keeping the running configuration: " + next.error());
      }
    } else {
      Log("reload refused, keeping the running configuration: " + config.error());
    }
    sd_notify(0, "READY=1");
  }

  void SetFlag(const std::string& name, const std::string& value) {
    if (name == "config") config_path_ = value;
    if (name == "check-config") check_only_ = true;
    if (name == "once") once_ = true;
    if (name == "version") version_ = true;
    if (name == "help") help_ = true;
    if (name == "version" || name == "help") stopOptionsProcessing();
  }

  std::string config_path_;
  bool check_only_ = false;
  bool once_ = false;
  bool version_ = false;
  bool help_ = false;
};

}  // namespace

// Poco's --daemon forks and the launcher exits 0 before the application starts, so a broken
// configuration would go unreported. With --daemon the configuration is checked here first, on
// the terminal, and the launcher fails as it should.
int CheckBeforeDetaching(const std::vector<std::string>& args) {
  std::string config;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "--config" || args[i] == "-c") && i + 1 < args.size()) config = args[i + 1];
    if (args[i].starts_with("--config=")) config = args[i].substr(9);
  }
  if (config.empty()) {
    std::cerr << "complaintsd: missing --config FILE\n";
    return Poco::Util::Application::EXIT_USAGE;
  }
  const std::vector<std::string> problems = [&] {
    complaints::Result<complaints::ConfigFile> file = complaints::ConfigFile::Load(config);
    if (!file) return std::vector<std::string>{file.error()};
    return complaints::CheckDaemonConfig(*file);
  }();
  for (const std::string& p : problems) std::cerr << p << '\n';
  return problems.empty() ? Poco::Util::Application::EXIT_OK : Poco::Util::Application::EXIT_CONFIG;
}

int main(int argc, char** argv) {
  Complaintsd app;
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (std::find(args.begin(), args.end(), "--daemon") != args.end()) {
      const int code = CheckBeforeDetaching(args);
      if (code != Poco::Util::Application::EXIT_OK) return code;
      g_detached = true;
    }
    return app.run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "complaintsd: " << e.what() << '\n';
    return 2;
  }
}
