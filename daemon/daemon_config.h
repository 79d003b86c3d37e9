// The daemon's whole configuration, read and checked in one place so that --check-config, start-up
// and SIGHUP reload agree. Grows with each component; today: the working calendar.
#pragma once

#include <string>
#include <vector>

#include "daemon/business_hours.h"
#include "daemon/calendar_settings.h"
#include "daemon/config_file.h"
#include "parsers/result.h"

namespace complaints {

struct DaemonConfig {
  std::string path;
  CalendarSettings calendar;
};

// Every problem found, one line each naming the file and key at fault; empty when the file is good.
std::vector<std::string> CheckDaemonConfig(const ConfigFile& file);

// The keys the daemon understands; anything else in the file is reported (a typo is not ignored).
const std::vector<std::string>& KnownConfigKeys();

Result<DaemonConfig> LoadDaemonConfig(const std::string& path);

}  // namespace complaints
