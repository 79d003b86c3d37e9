// How long residents' personal data is kept: the landlord's schedule (config keys retention.*),
// and the moments before which each kind of record has expired at a given time.
//
// Closed complaints are kept six years after closure by default (a claim in contract or tort can
// be brought for six years, Limitation Act 1980), other cases two years after they ended, suspected
// spam and quarantined mail 90 days, and mail that joined no case (automatic replies, "other") a
// year. A case counts as ended when it is closed, refused, withdrawn or resolved; its clock runs
// from closure (or, without a closure time, its latest recorded event).
#pragma once

#include <string>
#include <vector>

#include "daemon/cases/case_record.h"
#include "parsers/result.h"

namespace complaints {

struct RetentionSchedule {
  bool enabled = true;  // the daemon's daily pass (complaintsctl retention run works regardless)
  int complaint_years = 6;
  int other_case_years = 2;
  int spam_days = 90;      // suspected spam and quarantined messages on no case
  int unfiled_days = 365;  // other messages on no case
};

// Records that ended before these moments have expired.
struct RetentionCutoffs {
  Instant complaint{};
  Instant other_case{};
  Instant spam{};
  Instant unfiled{};
};

// Years count in calendar years back from `now`'s date (29 February goes to 28 February).
RetentionCutoffs CutoffsAt(const RetentionSchedule& schedule, Instant now);

// The rules in words, one per line, for people: "complaint: 6 years after closure", ...
std::vector<std::string> DescribeSchedule(const RetentionSchedule& schedule);

}  // namespace complaints
