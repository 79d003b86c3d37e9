// UK bank holidays, generated from the rules GOV.UK itself uses, for any year.
//
// Three divisions: England and Wales, Scotland, Northern Ireland. Fixed-date holidays that fall on
// a weekend (or on a day already a holiday) move to the next free weekday; the one-off changes made
// by royal proclamation since 2011 are applied on top. Future proclamations arrive in GOV.UK's
// bank-holidays.json feed, which BankHolidayFeed reads (offline) and WorkingCalendar prefers for
// the years it covers. Everything here is a pure function of its inputs and safe to share across
// threads.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/result.h"

namespace complaints {

enum class Division { kEnglandAndWales, kScotland, kNorthernIreland };

// "england-and-wales", "scotland", "northern-ireland": the feed's own keys.
std::string_view DivisionName(Division division);
Result<Division> ParseDivision(std::string_view name);

struct BankHoliday {
  std::chrono::sys_days day;
  std::string title;
  bool substitute = false;  // moved off a weekend or a clash
};

// Gregorian Easter Sunday (the anonymous algorithm; valid for every Gregorian year).
std::chrono::sys_days EasterSunday(int year);

// The division's bank holidays in `year` by the rules and known proclamations, ascending by day.
std::vector<BankHoliday> RuleBankHolidays(Division division, int year);

// "YYYY-MM-DD" <-> day. Parsing is strict: four-digit year, real calendar dates only.
std::string FormatDay(std::chrono::sys_days day);
Result<std::chrono::sys_days> ParseDay(std::string_view text);

// GOV.UK's bank-holidays.json: {"england-and-wales": {"division": ..., "events": [{"title",
// "date", "notes", "bunting"}]}, "scotland": ..., "northern-ireland": ...}. A division absent from
// the file is simply not covered.
class BankHolidayFeed {
 public:
  // `source` names the input in error messages (a path, usually).
  static Result<BankHolidayFeed> Parse(std::string_view json, std::string_view source);
  static Result<BankHolidayFeed> Load(const std::string& path);

  // True when the feed lists at least one holiday of `division` in `year`; the feed is then taken
  // as the whole truth for that year.
  bool Covers(Division division, int year) const;
  std::vector<BankHoliday> Holidays(Division division, int year) const;

 private:
  std::map<Division, std::map<int, std::vector<BankHoliday>>> by_year_;
};

}  // namespace complaints
