#include "daemon/calendar/london_time.h"

#include <date/tz.h>

#include <cstdio>
#include <stdexcept>

#include "daemon/calendar/bank_holidays.h"

namespace complaints {
namespace {

using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

const date::time_zone* London() {
  static const date::time_zone* zone = date::locate_zone("Europe/London");
  return zone;
}

// Reads exactly `width` digits at `pos`; -1 when they are not all digits.
int Digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Status CheckLondonTimeZone() {
  try {
    London();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Error(std::string("the time zone database has no Europe/London (") + e.what() +
                         "): install the tzdata package");
  }
}

LondonTime ToLondon(sys_seconds instant) {
  const date::sys_info info = London()->get_info(instant);
  const auto local = instant + info.offset;
  const sys_days day = std::chrono::floor<std::chrono::days>(local);
  return {day, local - day, info.offset};
}

sys_seconds FromLondon(sys_days day, seconds time_of_day) {
  const date::local_seconds local{day.time_since_epoch() + time_of_day};
  return London()->to_sys(local, date::choose::earliest);
}

std::string FormatLondonClock(std::chrono::sys_seconds instant) {
  const long tod = static_cast<long>(ToLondon(instant).time_of_day.count());
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld", tod / 3600 % 100, tod / 60 % 60);
  return buf;
}

std::string FormatLondonIso(sys_seconds instant) {
  const LondonTime t = ToLondon(instant);
  const long tod = static_cast<long>(t.time_of_day.count());
  const long off = static_cast<long>(t.utc_offset.count());
  const long off_abs = off < 0 ? -off : off;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02ld:%02ld:%02ld%c%02ld:%02ld", FormatDay(t.day).c_str(),
                tod / 3600, tod / 60 % 60, tod % 60, off < 0 ? '-' : '+', off_abs / 3600,
                off_abs / 60 % 60);
  return buf;
}

Result<sys_seconds> ParseIsoInstant(std::string_view text) {
  const auto bad = [&](const char* why) {
    return Result<sys_seconds>::Error("invalid time '" + std::string(text) + "': " + why +
                                      " (expected e.g. 2026-06-10T09:30:00+01:00)");
  };
  if (text.size() < 17) return bad("too short");
  Result<sys_days> day = ParseDay(text.substr(0, 10));
  if (!day) return bad("bad date");
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return bad("expected T after date");
  const int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2);
  if (hour < 0 || minute < 0 || text[13] != ':') return bad("bad time of day");
  size_t pos = 16;
  int second = 0;
  if (pos < text.size() && text[pos] == ':') {
    second = Digits(text, pos + 1, 2);
    if (second < 0) return bad("bad seconds");
    pos += 3;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      const size_t digits_start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == digits_start) return bad("bad fraction of a second");
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return bad("time of day out of range");
  if (second == 60) second = 59;  // a leap second counts as the end of its minute
  if (pos >= text.size()) return bad("missing UTC offset (add Z or +01:00)");
  long offset = 0;
  const char sign = text[pos];
  if ((sign == 'Z' || sign == 'z') && pos + 1 == text.size()) {
    offset = 0;
  } else if (sign == '+' || sign == '-') {
    const int oh = Digits(text, pos + 1, 2);
    const bool colon = pos + 3 < text.size() && text[pos + 3] == ':';
    const int om = Digits(text, pos + (colon ? 4 : 3), 2);
    if (oh < 0 || om < 0 || pos + (colon ? 6 : 5) != text.size()) return bad("bad UTC offset");
    if (oh > 23 || om > 59) return bad("UTC offset out of range");
    offset = (sign == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
  } else {
    return bad("bad UTC offset");
  }
  const seconds local{hour * 3600L + minute * 60L + second};
  return sys_seconds{day->time_since_epoch() + local - seconds{offset}};
}

}  // namespace complaints
