#include "daemon/base/config_file.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <fstream>
#include <sstream>

namespace complaints {
namespace {

std::string Trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

void Collect(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
             std::map<std::string, std::string>& out) {
  Poco::Util::AbstractConfiguration::Keys keys;
  config.keys(prefix, keys);
  for (const std::string& key : keys) {
    const std::string full = prefix.empty() ? key : prefix + "." + key;
    if (config.hasProperty(full)) out[full] = Trim(config.getRawString(full));
    Collect(config, full, out);
  }
}

}  // namespace

Result<ConfigFile> ConfigFile::FromString(const std::string& text, const std::string& source) {
  ConfigFile file;
  file.source_ = source;
  try {
    std::istringstream in(text);
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config(
        new Poco::Util::PropertyFileConfiguration(in));
    Collect(*config, "", file.values_);
  } catch (const Poco::Exception& e) {
    return Result<ConfigFile>::Error(source + ": " + e.displayText());
  }
  return file;
}

Result<ConfigFile> ConfigFile::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<ConfigFile>::Error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return FromString(text.str(), path);
}

std::optional<std::string> ConfigFile::Get(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string ConfigFile::GetOr(const std::string& key, const std::string& fallback) const {
  return Get(key).value_or(fallback);
}

std::vector<std::string> ConfigFile::Keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, value] : values_) keys.push_back(key);
  return keys;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    item = Trim(item);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

}  // namespace complaints
