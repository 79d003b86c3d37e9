#include "daemon/calendar/clock.h"

namespace complaints {

std::chrono::sys_seconds SystemClock::Now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace complaints
