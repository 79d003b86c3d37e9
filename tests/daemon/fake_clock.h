// A clock the test moves by hand.
#pragma once

#include "daemon/calendar/clock.h"
#include "tests/daemon/test_support.h"

namespace complaints::testing {

class FakeClock : public Clock {
 public:
  explicit FakeClock(std::chrono::sys_seconds now) : now_(now) {}
  std::chrono::sys_seconds Now() const override { return now_; }
  void Set(const std::string& iso) { now_ = Instant(iso); }
  void Advance(std::chrono::seconds by) { now_ += by; }

 private:
  std::chrono::sys_seconds now_;
};

}  // namespace complaints::testing
