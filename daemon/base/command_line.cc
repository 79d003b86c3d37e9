#include "daemon/base/command_line.h"

#include <algorithm>
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

Result<double> ParseProbability(const std::string& text, const std::string& what) {
  // Digits and one point only: no signs, exponents, "nan" or "inf" for strtod to accept.
  const bool shaped = !text.empty() && text.size() <= 18 &&
                      text.find_first_not_of("0123456789.") == std::string::npos &&
                      std::count(text.begin(), text.end(), '.') <= 1 && text != ".";
  char* end = nullptr;
  const double value = shaped ? std::strtod(text.c_str(), &end) : -1;
  if (!shaped || end != text.c_str() + text.size() || value < 0 || value > 1) {
    return Result<double>::Error("invalid " + what + " '" + text +
                                 "': expected a probability from 0 to 1, such as 0.13");
  }
  return value;
}

}  // namespace complaints
