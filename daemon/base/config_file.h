// The daemon's configuration file: Java-properties syntax ("key = value", "#" comments), read
// through Poco. Immutable once loaded; Get returns values with surrounding blanks trimmed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parsers/result.h"

namespace complaints {

class ConfigFile {
 public:
  static Result<ConfigFile> Load(const std::string& path);
  // For tests and defaults: the same syntax from memory.
  static Result<ConfigFile> FromString(const std::string& text, const std::string& source);

  const std::string& source() const { return source_; }
  std::optional<std::string> Get(const std::string& key) const;
  std::string GetOr(const std::string& key, const std::string& fallback) const;
  // Every key, sorted, for "unknown key" checks.
  std::vector<std::string> Keys() const;

 private:
  std::string source_;
  std::map<std::string, std::string> values_;
};

// "a, b ,c" -> {"a", "b", "c"}; empty items dropped.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace complaints
