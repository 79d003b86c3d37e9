#include "daemon/command_line.h"

#include <cerrno>
#include <cstdlib>

namespace complaints {

Result<CommandLine> CommandLine::Parse(const std::vector<std::string>& args, const Spec& spec) {
  CommandLine line;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      if (arg == "--") {
        options_done = true;
        continue;
      }
      line.positional_.push_back(arg);
      continue;
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (spec.flags.count(name) > 0) {
      if (eq != std::string::npos)
        return Result<CommandLine>::Error("--" + name + " takes no value");
      line.values_[name].push_back("");
    } else if (spec.value_options.count(name) > 0) {
      if (eq != std::string::npos) {
        line.values_[name].push_back(arg.substr(eq + 1));
      } else if (i + 1 < args.size()) {
        line.values_[name].push_back(args[++i]);
      } else {
        return Result<CommandLine>::Error("--" + name + " needs a value");
      }
    } else {
      return Result<CommandLine>::Error("unknown option --" + name);
    }
  }
  return line;
}

std::optional<std::string> CommandLine::Get(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> CommandLine::GetAll(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

Result<long> ParseWholeNumber(const std::string& text, const std::string& what, long min,
                              long max) {
  const auto bad = [&] {
    return Result<long>::Error("invalid " + what + " '" + text +
                               "': expected a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max));
  };
  if (text.empty() || text.size() > 18) return bad();
  for (char c : text) {
    if ((c < '0' || c > '9') && c != '-') return bad();
  }
  errno = 0;
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size() || value < min || value > max) return bad();
  return value;
}

}  // namespace complaints
