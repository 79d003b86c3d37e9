// Small helpers shared by the daemon tests: literal days and instants, and the shared/ folder.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "daemon/calendar/bank_holidays.h"
#include "daemon/calendar/london_time.h"

namespace complaints::testing {

inline std::chrono::sys_days Day(const std::string& text) {
  Result<std::chrono::sys_days> day = ParseDay(text);
  EXPECT_TRUE(day.ok()) << text;
  return day.ok() ? *day : std::chrono::sys_days{};
}

inline std::chrono::sys_seconds Instant(const std::string& text) {
  Result<std::chrono::sys_seconds> t = ParseIsoInstant(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : std::chrono::sys_seconds{};
}

// The text of a quoted-printable mail as a reader sees it, near enough for finding words: soft
// line breaks joined (the "=XX" escapes of other bytes are left).
inline std::string JoinSoftBreaks(std::string raw) {
  for (size_t at; (at = raw.find("=\r\n")) != std::string::npos;) raw.erase(at, 3);
  for (size_t at; (at = raw.find("=\n")) != std::string::npos;) raw.erase(at, 2);
  return raw;
}

// What a complaintsctl command returned and printed.
struct CtlRun {
  int code;
  std::string out;
  std::string err;
};

// ../shared beside the checkout, or "" when it is absent (tests then skip, saying so).
inline std::string SharedDir() {
  const std::filesystem::path dir = COMPLAINTSD_SHARED_DIR;
  return std::filesystem::is_directory(dir) ? dir.string() : std::string();
}

}  // namespace complaints::testing
