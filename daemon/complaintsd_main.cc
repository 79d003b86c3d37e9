// complaintsd: the daemon. A Poco ServerApplication; main is wiring only.
//
// Today it loads and checks its configuration (--check-config). The mailbox watcher, outbox sender
// and deadline watcher are wired in here as they land (issues 6-10); until then, running it without
// --check-config says so and exits non-zero rather than pretending to watch a mailbox.
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <iostream>

#include "daemon/config_file.h"
#include "daemon/daemon_config.h"
#include "daemon/london_time.h"

namespace {

class Complaintsd : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(
        Poco::Util::Option("config", "c", "configuration file")
            .argument("FILE")
            .callback(Poco::Util::OptionCallback<Complaintsd>(this, &Complaintsd::SetValue)));
    options.addOption(
        Poco::Util::Option("check-config", "", "check the configuration and exit")
            .callback(Poco::Util::OptionCallback<Complaintsd>(this, &Complaintsd::SetFlag)));
    options.addOption(
        Poco::Util::Option("version", "", "print the version and exit")
            .callback(Poco::Util::OptionCallback<Complaintsd>(this, &Complaintsd::SetFlag)));
    options.addOption(
        Poco::Util::Option("help", "h", "show this help")
            .callback(Poco::Util::OptionCallback<Complaintsd>(this, &Complaintsd::SetFlag)));
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
    complaints::Result<complaints::ConfigFile> file = complaints::ConfigFile::Load(config_path_);
    if (!file) {
      std::cerr << "complaintsd: " << file.error() << '\n';
      return EXIT_CONFIG;
    }
    const std::vector<std::string> problems = complaints::CheckDaemonConfig(*file);
    for (const std::string& p : problems) std::cerr << p << '\n';
    if (!problems.empty()) return EXIT_CONFIG;
    if (check_only_) {
      std::cout << "ok\n";
      return EXIT_OK;
    }
    std::cerr << "complaintsd: configuration ok; mail ingestion is not built yet, so there is "
                 "nothing to run (use --check-config)\n";
    return EXIT_SOFTWARE;
  }

 private:
  void SetValue(const std::string& name, const std::string& value) {
    if (name == "config") config_path_ = value;
  }
  void SetFlag(const std::string& name, const std::string&) {
    if (name == "check-config") check_only_ = true;
    if (name == "version") version_ = true;
    if (name == "help") help_ = true;
    if (name == "version" || name == "help") stopOptionsProcessing();
  }

  std::string config_path_;
  bool check_only_ = false;
  bool version_ = false;
  bool help_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  Complaintsd app;
  try {
    return app.run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "complaintsd: " << e.what() << '\n';
    return 2;
  }
}
