// The Regulator of Social Housing's Tenant Satisfaction Measures on complaints, for the financial
// year from 1 April YYYY to 31 March YYYY+1 (Europe/London):
//   CH01(1), CH01(2): stage one and stage two complaints received in the year per 1,000 homes;
//   CH02(1), CH02(2): the percentage of stage one and stage two complaints responded to in the
//                     year that were responded to within the Code's timescales.
//
// Our reading, kept here and nowhere else, where the Regulator's text leaves room:
// - A complaint is received at a stage when that stage opened: stage one when the complaint was
//   received (or, after a landlord's pre-formal step, when stage one opened); stage two when the
//   resident asked for it. A complaint escalated in the year counts at both stages.
// - A complaint the landlord refused to accept (the Code's exclusions, `cases refuse`) is not a
//   stage complaint and is not counted; one the resident withdrew counts as received, and as
//   responded to only if its response came before the withdrawal.
// - Responded to: the stage's response is dated in the year (`respond --at`, the date it was
//   sent), whatever year it was received in.
// - The Code's timescales (Complaint Handling Code 2024, sections 5 and 6): acknowledge within 5
//   working days of receipt; respond within 10 (stage one) or 20 (stage two) working days of the
//   acknowledgement; an extension of up to 10 (stage one) or 20 (stage two) further working days,
//   made and notified (`cases extend` writes to the resident), counts as within. A late
//   acknowledgement does not move the clock: it starts at the acknowledgement or at the end of the
//   5 days, whichever is earlier. Extensions beyond the cap count only up to it.
// - Homes: the number that applies at the end of the year (31 March), from `landlord.homes`.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/calendar/business_hours.h"
#include "daemon/cases/case_store.h"
#include "parsers/result.h"

namespace complaints {

// Stock from a date: "2024-04-01:12450, 2025-10-01:12600" in the configuration.
struct HomesFrom {
  std::chrono::sys_days from;
  long homes = 0;
};
Result<std::vector<HomesFrom>> ParseHomes(std::string_view text);
// The homes that apply on `day` (the latest entry from on or before it); none before the first.
std::optional<long> HomesOn(const std::vector<HomesFrom>& homes, std::chrono::sys_days day);

// One case counted (or not) at one stage, and why: `--explain`.
struct TsmLine {
  std::string reference;
  int stage = 0;
  bool received = false;   // counted in CHO1 at this stage
  bool responded = false;  // counted in CH02's denominator
  bool on_time = false;    // and in its numerator
  std::string why;
};

struct TsmReport {
  int year = 0;  // the financial year starting 1 April
  long homes = 0;
  long stage1_received = 0, stage2_received = 0;
  long stage1_responded = 0, stage1_on_time = 0;
  long stage2_responded = 0, stage2_on_time = 0;
  double ch01_1 = 0, ch01_2 = 0;         // per 1,000 homes
  std::optional<double> ch02_1, ch02_2;  // percentages; none when nothing was responded to
  std::vector<TsmLine> lines;
};

// Counts the measures a case at a time, so that a report reading every case for other figures
// (the annual report) counts these in the same pass. `hours` is the Code's calendar (the
// landlord's division and close of business); with `explain`, every case counted gets a TsmLine
// saying why (`report tsm --explain`), which costs time and memory over a large store.
class TsmCounter {
 public:
  TsmCounter(const BusinessHours& hours, int year, long homes, bool explain);
  void Add(const CaseRecord& c);  // a case of any type: only complaints count
  TsmReport Finish() &&;

 private:
  const BusinessHours& hours_;
  Instant from_{}, to_{};
  bool explain_;
  TsmReport r_;
};

// Every complaint in the store through a TsmCounter. Refused when homes is not above 0.
Result<TsmReport> ComputeTsm(CaseStore& store, const BusinessHours& hours, int year, long homes,
                             bool explain = true);

}  // namespace complaints
