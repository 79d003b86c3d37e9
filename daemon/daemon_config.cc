#include "daemon/daemon_config.h"

#include <algorithm>

namespace complaints {

const std::vector<std::string>& KnownConfigKeys() {
  static const std::vector<std::string> keys = {
      "calendar.region",           "calendar.close-of-business",  "calendar.closures",
      "calendar.removed-holidays", "calendar.bank-holidays-file",
  };
  return keys;
}

std::vector<std::string> CheckDaemonConfig(const ConfigFile& file) {
  std::vector<std::string> problems;
  const std::vector<std::string>& known = KnownConfigKeys();
  for (const std::string& key : file.Keys()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      problems.push_back(file.source() + ": " + key + ": unknown key (see README, Configuration)");
    }
  }
  Result<CalendarSettings> calendar = ReadCalendarSettings(file);
  if (!calendar) {
    problems.push_back(calendar.error());
  } else if (Result<BusinessHours> hours = BuildBusinessHours(*calendar); !hours) {
    problems.push_back(file.source() + ": calendar.bank-holidays-file: " + hours.error());
  }
  return problems;
}

Result<DaemonConfig> LoadDaemonConfig(const std::string& path) {
  Result<ConfigFile> file = ConfigFile::Load(path);
  if (!file) return Result<DaemonConfig>::Error(file.error());
  const std::vector<std::string> problems = CheckDaemonConfig(*file);
  if (!problems.empty()) return Result<DaemonConfig>::Error(problems.front());
  DaemonConfig config;
  config.path = path;
  config.calendar = *ReadCalendarSettings(*file);
  return config;
}

}  // namespace complaints
