#include "daemon/calendar/bank_holidays.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace complaints {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr std::array<std::pair<Division, std::string_view>, 3> kDivisionNames{{
    {Division::kEnglandAndWales, "england-and-wales"},
    {Division::kScotland, "scotland"},
    {Division::kNorthernIreland, "northern-ireland"},
}};

bool IsWeekend(sys_days d) {
  const weekday wd{d};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

sys_days Ymd(int y, unsigned m, unsigned d) { return sys_days{year{y} / month{m} / day{d}}; }

sys_days NthMonday(int y, unsigned m, unsigned n) {
  return sys_days{year{y} / month{m} / std::chrono::Monday[n]};
}

sys_days LastMonday(int y, unsigned m) {
  return sys_days{year{y} / month{m} / std::chrono::Monday[std::chrono::last]};
}

struct FixedDate {
  unsigned month;
  unsigned day;
  const char* title;
};

// Holidays whose day is set by a weekday rule (never on a weekend, never substituted).
std::vector<BankHoliday> MovableHolidays(Division division, int y) {
  const sys_days easter = EasterSunday(y);
  std::vector<BankHoliday> out = {
      {easter - std::chrono::days{2}, "Good Friday"},
      {NthMonday(y, 5, 1), "Early May bank holiday"},
      {LastMonday(y, 5), "Spring bank holiday"},
  };
  if (division == Division::kScotland) {
    out.push_back({NthMonday(y, 8, 1), "Summer bank holiday"});
  } else {
    out.push_back({easter + std::chrono::days{1}, "Easter Monday"});
    out.push_back({LastMonday(y, 8), "Summer bank holiday"});
  }
  return out;
}

std::vector<FixedDate> FixedHolidays(Division division) {
  std::vector<FixedDate> out = {{1, 1, "New Year\u2019s Day"}};
  if (division == Division::kScotland) out.push_back({1, 2, "2nd January"});
  if (division == Division::kNorthernIreland) {
    out.push_back({3, 17, "St Patrick\u2019s Day"});
    out.push_back({7, 12, "Battle of the Boyne (Orangemen\u2019s Day)"});
  }
  if (division == Division::kScotland) out.push_back({11, 30, "St Andrew\u2019s Day"});
  out.push_back({12, 25, "Christmas Day"});
  out.push_back({12, 26, "Boxing Day"});
  return out;
}

bool Taken(const std::vector<BankHoliday>& days, sys_days d) {
  return std::any_of(days.begin(), days.end(), [d](const BankHoliday& h) { return h.day == d; });
}

// One-off changes made by proclamation. A `moves` entry replaces the holiday with that title.
struct Proclamation {
  int year;
  bool scotland_only;
  const char* moves;  // title of the rule holiday that moves, or nullptr for an extra day
  unsigned month;
  unsigned day;
  const char* title;
};

constexpr Proclamation kProclamations[] = {
    {2011, false, nullptr, 4, 29, "Royal wedding"},
    {2012, false, "Spring bank holiday", 6, 4, "Spring bank holiday"},
    {2012, false, nullptr, 6, 5, "Queen\u2019s Diamond Jubilee"},
    {2020, false, "Early May bank holiday", 5, 8, "Early May bank holiday (VE day)"},
    {2022, false, "Spring bank holiday", 6, 2, "Spring bank holiday"},
    {2022, false, nullptr, 6, 3, "Platinum Jubilee bank holiday"},
    {2022, false, nullptr, 9, 19, "Bank Holiday for the State Funeral of Queen Elizabeth II"},
    {2023, false, nullptr, 5, 8, "Bank holiday for the coronation of King Charles III"},
    {2026, true, nullptr, 6, 15, "World Cup bank holiday"},
};

void ApplyProclamations(Division division, int y, std::vector<BankHoliday>& days) {
  for (const Proclamation& p : kProclamations) {
    if (p.year != y) continue;
    if (p.scotland_only && division != Division::kScotland) continue;
    const sys_days when = Ymd(y, p.month, p.day);
    if (p.moves != nullptr) {
      for (BankHoliday& h : days) {
        if (h.title == p.moves) h = {when, p.title, false};
      }
    } else {
      days.push_back({when, p.title, false});
    }
  }
}

void SortByDay(std::vector<BankHoliday>& days) {
  std::sort(days.begin(), days.end(),
            [](const BankHoliday& a, const BankHoliday& b) { return a.day < b.day; });
}

}  // namespace

std::string_view DivisionName(Division division) {
  for (const auto& [d, name] : kDivisionNames) {
    if (d == division) return name;
  }
  return "unknown";
}

Result<Division> ParseDivision(std::string_view name) {
  for (const auto& [d, known] : kDivisionNames) {
    if (known == name) return d;
  }
  return Result<Division>::Error("unknown region '" + std::string(name) +
                                 "': use england-and-wales, scotland or northern-ireland");
}

sys_days EasterSunday(int y) {
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month_number = (h + l - 7 * m + 114) / 31;
  const int day_number = (h + l - 7 * m + 114) % 31 + 1;
  return Ymd(y, static_cast<unsigned>(month_number), static_cast<unsigned>(day_number));
}

std::vector<BankHoliday> RuleBankHolidays(Division division, int y) {
  std::vector<BankHoliday> days = MovableHolidays(division, y);
  // First the fixed dates that stay where they are, then, in date order, the ones that must move
  // to the next weekday not already a holiday (so 2022's Sunday Christmas lands on Tuesday 27th
  // while Boxing Day keeps Monday 26th, as GOV.UK lists them).
  std::vector<FixedDate> to_move;
  for (const FixedDate& f : FixedHolidays(division)) {
    const sys_days d = Ymd(y, f.month, f.day);
    if (IsWeekend(d) || Taken(days, d)) {
      to_move.push_back(f);
    } else {
      days.push_back({d, f.title, false});
    }
  }
  for (const FixedDate& f : to_move) {
    sys_days d = Ymd(y, f.month, f.day);
    while (IsWeekend(d) || Taken(days, d)) d += std::chrono::days{1};
    days.push_back({d, f.title, true});
  }
  ApplyProclamations(division, y, days);
  SortByDay(days);
  return days;
}

std::string FormatDay(sys_days d) {
  const year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

Result<sys_days> ParseDay(std::string_view text) {
  const auto bad = [&](const char* why) {
    return Result<sys_days>::Error("invalid date '" + std::string(text) + "': " + why);
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad("expected YYYY-MM-DD");
  int fields[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (size_t i = starts[f]; i < starts[f] + lengths[f]; ++i) {
      if (text[i] < '0' || text[i] > '9') return bad("expected YYYY-MM-DD");
      fields[f] = fields[f] * 10 + (text[i] - '0');
    }
  }
  const year_month_day ymd{year{fields[0]}, month{static_cast<unsigned>(fields[1])},
                           day{static_cast<unsigned>(fields[2])}};
  if (!ymd.ok()) return bad("no such day");
  return sys_days{ymd};
}

Result<BankHolidayFeed> BankHolidayFeed::Parse(std::string_view json, std::string_view source) {
  const std::string where(source);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    return Result<BankHolidayFeed>::Error(where + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object()) return Result<BankHolidayFeed>::Error(where + ": expected a JSON object");
  BankHolidayFeed feed;
  for (const auto& [division, name] : kDivisionNames) {
    const auto it = doc.find(std::string(name));
    if (it == doc.end()) continue;
    const std::string at = where + ": " + std::string(name);
    if (!it->is_object() || !it->contains("events") || !(*it)["events"].is_array()) {
      return Result<BankHolidayFeed>::Error(at + ": expected an object with an \"events\" array");
    }
    size_t index = 0;
    for (const auto& event : (*it)["events"]) {
      const std::string event_at = at + ".events[" + std::to_string(index++) + "]";
      if (!event.is_object() || !event.contains("date") || !event["date"].is_string()) {
        return Result<BankHolidayFeed>::Error(event_at + ": expected an object with a \"date\"");
      }
      Result<sys_days> day = ParseDay(event["date"].get<std::string>());
      if (!day) return Result<BankHolidayFeed>::Error(event_at + ": " + day.error());
      BankHoliday holiday{*day, "", false};
      if (event.contains("title") && event["title"].is_string()) {
        holiday.title = event["title"].get<std::string>();
      }
      if (event.contains("notes") && event["notes"].is_string()) {
        holiday.substitute =
            event["notes"].get<std::string>().find("Substitute") != std::string::npos;
      }
      const int y = static_cast<int>(year_month_day{*day}.year());
      feed.by_year_[division][y].push_back(std::move(holiday));
    }
  }
  for (auto& [division, years] : feed.by_year_) {
    for (auto& [y, days] : years) SortByDay(days);
  }
  return feed;
}

Result<BankHolidayFeed> BankHolidayFeed::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<BankHolidayFeed>::Error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

bool BankHolidayFeed::Covers(Division division, int y) const {
  const auto it = by_year_.find(division);
  return it != by_year_.end() && it->second.count(y) > 0;
}

std::vector<BankHoliday> BankHolidayFeed::Holidays(Division division, int y) const {
  if (!Covers(division, y)) return {};
  return by_year_.at(division).at(y);
}

}  // namespace complaints
