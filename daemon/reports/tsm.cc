#include "daemon/reports/tsm.h"

#include <algorithm>
#include <charconv>

#include "daemon/calendar/london_time.h"
#include "daemon/reports/case_scan.h"

namespace complaints {
namespace {

using std::chrono::sys_days;

// The Code's timescales in working days: [stage] = {respond, extension cap}.
struct CodeTimescale {
  int respond = 0;
  int extension_cap = 0;
};
constexpr int kAcknowledgeDays = 5;
CodeTimescale Timescale(int stage) {
  return stage == 1 ? CodeTimescale{10, 10} : CodeTimescale{20, 20};
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

Result<sys_days> ParseDate(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      std::from_chars(text.data(), text.data() + 4, y).ec != std::errc() ||
      std::from_chars(text.data() + 5, text.data() + 7, m).ec != std::errc() ||
      std::from_chars(text.data() + 8, text.data() + 10, d).ec != std::errc()) {
    return Result<sys_days>::Error("'" + text + "' is not a date YYYY-MM-DD");
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!ymd.ok()) return Result<sys_days>::Error("'" + text + "' is not a date");
  return sys_days(ymd);
}

// When the Code's response deadline for `stage` fell, extensions within the cap included.
Instant CodeDue(const StageRecord& stage, const BusinessHours& hours) {
  const CodeTimescale t = Timescale(stage.number);
  const Instant ack_due = hours.DueAt(stage.opened_at, kAcknowledgeDays);
  const Instant start = stage.acknowledged_at ? std::min(*stage.acknowledged_at, ack_due) : ack_due;
  const Instant due = hours.DueAt(start, t.respond);
  const int extension = std::min(stage.extension_days, t.extension_cap);
  if (extension == 0) return due;
  return hours.CloseOfBusiness(hours.calendar().AddWorkingDays(ToLondon(due).day, extension));
}

}  // namespace

Result<std::vector<HomesFrom>> ParseHomes(std::string_view text) {
  using R = Result<std::vector<HomesFrom>>;
  std::vector<HomesFrom> out;
  std::string rest(text);
  size_t start = 0;
  while (start <= rest.size()) {
    const size_t comma = rest.find(',', start);
    const std::string item = Trim(std::string_view(rest).substr(
        start, comma == std::string::npos ? std::string::npos : comma - start));
    start = comma == std::string::npos ? rest.size() + 1 : comma + 1;
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    if (colon == std::string::npos) {
      return R::Error("'" + item + "': expected DATE:HOMES, e.g. 2024-04-01:12450");
    }
    Result<sys_days> day = ParseDate(Trim(std::string_view(item).substr(0, colon)));
    if (!day) return R::Error(day.error());
    const std::string number = Trim(std::string_view(item).substr(colon + 1));
    long homes = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), homes);
    if (ec != std::errc() || end != number.data() + number.size() || homes <= 0) {
      return R::Error("'" + item + "': the number of homes must be a whole number above 0");
    }
    out.push_back({*day, homes});
  }
  std::sort(out.begin(), out.end(),
            [](const HomesFrom& a, const HomesFrom& b) { return a.from < b.from; });
  return out;
}

std::optional<long> HomesOn(const std::vector<HomesFrom>& homes, sys_days day) {
  std::optional<long> out;
  for (const HomesFrom& h : homes) {
    if (h.from <= day) out = h.homes;
  }
  return out;
}

TsmCounter::TsmCounter(const BusinessHours& hours, int year, long homes, bool explain)
    : hours_(hours), explain_(explain) {
  r_.year = year;
  r_.homes = homes;
  from_ = FromLondon(sys_days(std::chrono::year{year} / std::chrono::April / 1),
                     std::chrono::seconds{0});
  to_ = FromLondon(sys_days(std::chrono::year{year + 1} / std::chrono::April / 1),
                   std::chrono::seconds{0});
}

void TsmCounter::Add(const CaseRecord& c) {
  if (c.type != CaseType::kComplaint) return;
  auto in_year = [&](std::optional<Instant> t) { return t && *t >= from_ && *t < to_; };
  for (const StageRecord& s : c.stages) {
    if (s.number < 1 || s.number > 2) continue;
    TsmLine line{explain_ ? c.reference : std::string(), s.number, false, false, false, ""};
    const bool refused_here = c.status == "refused" && s.number == c.stage;
    if (refused_here) {
      if (explain_ && in_year(s.opened_at)) {
        line.why = "refused (" + c.refusal_reason + "): not accepted as a complaint";
        r_.lines.push_back(line);
      }
      continue;
    }
    line.received = in_year(s.opened_at);
    const bool withdrawn_first =
        c.status == "withdrawn" && s.number == c.stage &&
        (!s.responded_at || (c.closed_at && *c.closed_at < *s.responded_at));
    line.responded = !withdrawn_first && in_year(s.responded_at);
    if (!line.received && !line.responded && !explain_) continue;
    if (line.responded) {
      const Instant due = CodeDue(s, hours_);
      line.on_time = *s.responded_at <= due;
      if (explain_) {
        line.why = "responded " + FormatLondonIso(*s.responded_at) +
                   (line.on_time ? ", within" : ", after") + " the Code's deadline " +
                   FormatLondonIso(due);
        if (s.extension_days > 0) {
          line.why += " (extended " + std::to_string(s.extension_days) + " working days" +
                      (s.extension_days > Timescale(s.number).extension_cap
                           ? ", counted up to the Code's " +
                                 std::to_string(Timescale(s.number).extension_cap)
                           : "") +
                      ")";
        }
      }
    } else if (explain_) {
      if (withdrawn_first && in_year(c.closed_at)) {
        line.why = "withdrawn " + FormatLondonIso(*c.closed_at) + " before a response";
      } else if (s.responded_at) {
        line.why = "responded " + FormatLondonIso(*s.responded_at) + ", outside the year";
      } else {
        line.why = "no response yet";
      }
    }
    if (explain_ && line.received) {
      line.why = "received " + FormatLondonIso(s.opened_at) + "; " + line.why;
    }
    if (!line.received && !line.responded) continue;
    long& received = s.number == 1 ? r_.stage1_received : r_.stage2_received;
    long& responded = s.number == 1 ? r_.stage1_responded : r_.stage2_responded;
    long& on_time = s.number == 1 ? r_.stage1_on_time : r_.stage2_on_time;
    received += line.received;
    responded += line.responded;
    on_time += line.on_time;
    if (explain_) r_.lines.push_back(std::move(line));
  }
}

TsmReport TsmCounter::Finish() && {
  TsmReport r = std::move(r_);
  r.ch01_1 = 1000.0 * static_cast<double>(r.stage1_received) / static_cast<double>(r.homes);
  r.ch01_2 = 1000.0 * static_cast<double>(r.stage2_received) / static_cast<double>(r.homes);
  if (r.stage1_responded)
    r.ch02_1 = 100.0 * r.stage1_on_time / static_cast<double>(r.stage1_responded);
  if (r.stage2_responded)
    r.ch02_2 = 100.0 * r.stage2_on_time / static_cast<double>(r.stage2_responded);
  return r;
}

Result<TsmReport> ComputeTsm(CaseStore& store, const BusinessHours& hours, int year, long homes,
                             bool explain) {
  using R = Result<TsmReport>;
  if (homes <= 0) return R::Error("the number of homes must be above 0");
  TsmCounter counter(hours, year, homes, explain);
  CaseQuery q;
  q.type = CaseType::kComplaint;
  q.include_closed = true;
  q.stages_and_learning_only = true;  // no deadlines or actions: not counted here
  const Status scanned = ForEachCase(store, q, [&](const CaseRecord& c) { counter.Add(c); });
  if (!scanned) return R(scanned);
  return std::move(counter).Finish();
}

}  // namespace complaints
