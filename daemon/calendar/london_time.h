// Europe/London wall-clock time, right across the clock changes.
//
// The only component that touches the tz database (the system's /usr/share/zoneinfo, read through
// Howard Hinnant's date/tz library), and the ISO 8601 spelling of instants that the CLI and JSON
// use. Thread-safe: the zone is looked up once and is immutable.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "parsers/result.h"

namespace complaints {

struct LondonTime {
  std::chrono::sys_days day;         // the local calendar day
  std::chrono::seconds time_of_day;  // since local midnight
  std::chrono::seconds utc_offset;   // 0 in GMT, +3600 in BST
};

// Ok when the tz database has Europe/London; otherwise a message telling the admin to install
// tzdata. Everything below assumes it is Ok (the executables check at start-up).
Status CheckLondonTimeZone();

LondonTime ToLondon(std::chrono::sys_seconds instant);
// The instant of local `time_of_day` on `day`. In the autumn's repeated hour the earlier instant;
// a time in the spring's missing hour means the moment the clocks went forward.
std::chrono::sys_seconds FromLondon(std::chrono::sys_days day, std::chrono::seconds time_of_day);

// "2026-06-17T17:00:00+01:00".
std::string FormatLondonIso(std::chrono::sys_seconds instant);
// The London wall-clock time of `instant`, "HH:MM".
std::string FormatLondonClock(std::chrono::sys_seconds instant);
// "YYYY-MM-DDTHH:MM[:SS[.frac]]" followed by "Z", "+HH:MM" or "+HHMM" (a space may stand for the
// T). An offset is required: a bare local time is ambiguous once a year.
Result<std::chrono::sys_seconds> ParseIsoInstant(std::string_view text);

}  // namespace complaints
