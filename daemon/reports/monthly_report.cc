#include "daemon/reports/monthly_report.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "daemon/calendar/london_time.h"
#include "daemon/reports/case_scan.h"
#include "parsers/service_area.h"

namespace complaints {
namespace {

using std::chrono::sys_days;

bool Owed(const std::string& kind) {
  return kind == deadline_kind::kAcknowledge || kind == deadline_kind::kRespond ||
         kind == deadline_kind::kPreFormalResolve;
}

std::string Pct(long part, long whole) {
  if (whole <= 0) return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(0) << 100.0 * static_cast<double>(part) / whole << "%";
  return out.str();
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

}  // namespace

std::string MonthName(int year, unsigned month) {
  static const char* const names[] = {"January",   "February", "March",    "April",
                                      "May",       "June",     "July",     "August",
                                      "September", "October",  "November", "December"};
  return std::string(names[(month - 1) % 12]) + " " + std::to_string(year);
}

Result<MonthlyReport> ComputeMonthlyReport(CaseStore& store, const BusinessHours& hours, int year,
                                           unsigned month, Instant now) {
  using R = Result<MonthlyReport>;
  if (month < 1 || month > 12) return R::Error("the month must be 1 to 12");
  MonthlyReport r;
  r.year = year;
  r.month = month;
  const std::chrono::year_month first{std::chrono::year{year}, std::chrono::month{month}};
  const Instant from = FromLondon(sys_days(first / 1), std::chrono::seconds{0});
  const Instant to =
      FromLondon(sys_days((first + std::chrono::months{1}) / 1), std::chrono::seconds{0});
  const Instant end = std::min(to - std::chrono::seconds{1}, now);
  auto in_month = [&](std::optional<Instant> t) { return t && *t >= from && *t < to; };
  std::map<std::string, MonthlyLine> themes, handlers;
  CaseQuery q;
  q.include_closed = true;
  const Status scanned = ForEachCase(store, q, [&](const CaseRecord& c) {
    if (in_month(c.received_at)) ++r.received_all;
    if (c.type != CaseType::kComplaint || c.status == case_status::kRefused) return;
    const std::string area = c.service_area.empty() ? "other" : c.service_area;
    MonthlyLine& theme = themes[area];
    theme.name = area;
    const bool ended_before =
        c.closed_at && *c.closed_at <= end &&
        (c.status == case_status::kClosed || c.status == case_status::kWithdrawn);
    bool open = false;
    for (const StageRecord& s : c.stages) {
      if (s.number < 1) continue;
      const std::string who = s.handler.empty() ? "(no handler)" : s.handler;
      MonthlyLine& handler = handlers[who];
      handler.name = who;
      if (in_month(s.opened_at)) {
        (s.number == 1 ? r.stage1_received : r.stage2_received) += 1;
        ++theme.received;
        ++handler.received;
      }
      if (s.opened_at <= end && (!s.responded_at || *s.responded_at > end) && !ended_before) {
        open = true;
        ++handler.open;
      }
      if (in_month(s.responded_at)) {
        ++r.responded;
        ++theme.responded;
        ++handler.responded;
        // The policy's response deadline for this stage when the response went: the row it met.
        bool within = true;
        for (const Deadline& d : c.deadlines) {
          if (d.stage == s.number && d.kind == deadline_kind::kRespond && d.met_at &&
              *d.met_at == *s.responded_at) {
            within = *s.responded_at <= d.due_at;
          }
        }
        r.on_time += within;
        theme.on_time += within;
        handler.on_time += within;
      }
    }
    for (const Deadline& d : c.deadlines) {
      if (!Owed(d.kind) || !in_month(d.due_at)) continue;
      if (d.superseded_at && *d.superseded_at <= d.due_at) continue;  // moved before it fell due
      if (d.met_at && *d.met_at <= d.due_at) continue;
      if (!d.met_at && d.superseded_at == std::nullopt && d.due_at > end) continue;
      r.breached.push_back(c.reference + ": stage " + std::to_string(d.stage) + " " + d.kind +
                           " due " + FormatLondonIso(d.due_at));
      ++theme.breached;
      const StageRecord* s = nullptr;
      for (const StageRecord& st : c.stages) {
        if (st.number == d.stage) s = &st;
      }
      const std::string who = s && !s->handler.empty() ? s->handler : "(no handler)";
      handlers[who].name = who;
      ++handlers[who].breached;
    }
    if (open) {
      ++r.open_at_end;
      ++theme.open;
      if (!r.oldest_received || c.received_at < *r.oldest_received) {
        r.oldest_received = c.received_at;
        r.oldest_reference = c.reference;
      }
    }
  });
  if (!scanned) return R(scanned);
  if (r.oldest_received) {
    r.oldest_working_days =
        hours.calendar().WorkingDaysAfter(ToLondon(*r.oldest_received).day, ToLondon(end).day);
  }
  for (const std::string& area : ServiceAreas()) {
    if (auto it = themes.find(area); it != themes.end()) {
      const MonthlyLine& l = it->second;
      if (l.received || l.open || l.responded || l.breached) r.by_theme.push_back(l);
    }
  }
  for (const auto& [name, l] : handlers) {
    if (l.received || l.open || l.responded || l.breached) r.by_handler.push_back(l);
  }
  std::sort(r.breached.begin(), r.breached.end());
  return r;
}

std::string MonthlyText(const MonthlyReport& r) {
  std::ostringstream out;
  out << "Complaints in " << MonthName(r.year, r.month) << "\n\n"
      << "Received: " << r.stage1_received << " stage one, " << r.stage2_received << " stage two; "
      << r.received_all << " new cases of all kinds\n"
      << "Open at the end of the month: " << r.open_at_end << "\n"
      << "Responses sent: " << r.responded << ", on time (our policy's deadlines): " << r.on_time
      << " (" << Pct(r.on_time, r.responded) << ")\n"
      << "Deadlines missed: " << r.breached.size() << "\n";
  if (r.oldest_reference) {
    out << "Oldest open complaint: " << *r.oldest_reference << ", received "
        << FormatLondonIso(*r.oldest_received) << " (" << r.oldest_working_days
        << " working days)\n";
  }
  auto table = [&](const char* title, const std::vector<MonthlyLine>& lines, bool areas) {
    out << "\n" << title << "\n" << Pad("", 34) << "received  open  responded  on time  missed\n";
    for (const MonthlyLine& l : lines) {
      out << "  " << Pad(areas ? ServiceAreaTitle(l.name) : l.name, 32) << std::setw(8)
          << l.received << std::setw(6) << l.open << std::setw(11) << l.responded << std::setw(9)
          << Pct(l.on_time, l.responded) << std::setw(8) << l.breached << "\n";
    }
    if (lines.empty()) out << "  (none)\n";
  };
  table("By theme (service area)", r.by_theme, true);
  table("By handler", r.by_handler, false);
  out << "\nDeadlines missed in the month:\n";
  for (const std::string& b : r.breached) out << "  - " << b << "\n";
  if (r.breached.empty()) out << "  (none)\n";
  return out.str();
}

}  // namespace complaints
