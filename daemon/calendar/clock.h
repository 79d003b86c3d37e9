// The wall clock, injected. Deadline logic is tested by moving a fake clock, never by sleeping;
// system_clock.cc is the only file that reads the real time.
#pragma once

#include <chrono>

namespace complaints {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::sys_seconds Now() const = 0;
};

class SystemClock : public Clock {
 public:
  std::chrono::sys_seconds Now() const override;
};

}  // namespace complaints
