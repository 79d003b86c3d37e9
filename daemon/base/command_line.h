// A command's options: "--name value", "--name=value" and bare "--flag", plus positional words.
//
// Each command declares the options it takes; anything else is a usage error naming the option,
// so a typo never silently changes what a command does.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "parsers/result.h"

namespace complaints {

class CommandLine {
 public:
  struct Spec {
    std::set<std::string> value_options;  // names without "--"
    std::set<std::string> flags;
  };

  static Result<CommandLine> Parse(const std::vector<std::string>& args, const Spec& spec);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The last value given for `name`; GetAll gives every one, in order (repeatable options).
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// A whole number in [min, max], or an error naming `what`.
Result<long> ParseWholeNumber(const std::string& text, const std::string& what, long min, long max);

// A probability: a decimal number from 0 to 1 ("0.13", "1"), or an error naming `what`.
Result<double> ParseProbability(const std::string& text, const std::string& what);

}  // namespace complaints
