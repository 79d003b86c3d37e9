// The complaints manager's morning email, on working days at a set time: what falls due today and
// tomorrow, what is already breached, complaints awaiting their definition or a handler, and
// classifications that need a person's review. Sent once a day (its Message-ID is the date), so a
// restart does not repeat it. Not thread-safe.
#pragma once

#include <chrono>

#include "daemon/calendar/business_hours.h"
#include "daemon/calendar/clock.h"
#include "daemon/cases/case_store.h"
#include "daemon/outgoing/case_mailer.h"

namespace complaints {

class DailyDigest {
 public:
  DailyDigest(CaseStore& store, CaseMailer& mailer, const BusinessHours& hours,
              std::chrono::minutes send_at, const Clock& clock);

  // Queues today's digest when it is due and not yet sent; true when it queued one.
  Result<bool> RunOnce();

 private:
  CaseStore& store_;
  CaseMailer& mailer_;
  const BusinessHours& hours_;
  std::chrono::minutes send_at_;
  const Clock& clock_;
};

}  // namespace complaints
