// Watches every deadline the landlord owes: a warning to the handler and the complaints manager
// before it (default: at the start of the last working day before the due day), and a breach
// notice when it passes, recorded on the case. Each is sent once, in the same transaction that
// marks it, so a restart never repeats one; a deadline that moves (an extension, a late
// acknowledgement) is a new row and is watched afresh.
//
// Finds what is due through an index: a pass costs what is due, not what is open. Runs on a timer
// and after every case event. Not thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "daemon/calendar/business_hours.h"
#include "daemon/calendar/clock.h"
#include "daemon/cases/case_engine.h"
#include "daemon/cases/case_store.h"
#include "daemon/outgoing/case_mailer.h"

namespace complaints {

struct WatcherSettings {
  int warn_working_days = 1;                     // warn this many working days before the due day
  std::optional<std::chrono::hours> warn_hours;  // or: this many hours before (takes precedence)
  std::chrono::minutes start_of_day{9 * 60};     // when a working day starts (Europe/London)
  std::string board_member_address;              // copied on breaches when set
  bool resident_notice_promised = false;         // the policy promises notice of late targets
};

// What happens to a case still on the triage list (intake/triage.h) as its acknowledgement
// falls due: by default it is treated as a complaint, the Code's preference, and acknowledged
// `before` the deadline so that the acknowledgement is still on time; otherwise it waits for a
// person and the deadline breaches as any other.
struct TriageDecision {
  bool treat_as_complaint = true;
  std::chrono::minutes before{60};
};

class DeadlineWatcher {
 public:
  DeadlineWatcher(CaseStore& store, CaseMailer& mailer, const BusinessHours& hours,
                  WatcherSettings settings, const Clock& clock);

  // Settles triage at the deadline as `decision` says, through `engine`, which must outlive the
  // watcher. Without it, triage cases are only warned about.
  void EnableTriageDecision(CaseEngine& engine, TriageDecision decision);

  struct Pass {
    int warned = 0;
    int breached = 0;
    int triage_settled = 0;  // treated as complaints at the deadline
  };
  Result<Pass> RunOnce();

  // When the warning for a deadline due at `due` is sent.
  Instant WarnAt(Instant due) const;

 private:
  Status Notify(const WatchedDeadline& d, bool breach, Instant now);
  Status SettleTriage(Instant now, Pass& pass);

  CaseStore& store_;
  CaseMailer& mailer_;
  const BusinessHours& hours_;
  WatcherSettings settings_;
  const Clock& clock_;
  CaseEngine* engine_ = nullptr;
  TriageDecision decision_;
};

// "Stage one response", "Acknowledgement", ...: a deadline in words for staff.
std::string DeadlineWords(const std::string& kind, const std::string& stage_name);

}  // namespace complaints
