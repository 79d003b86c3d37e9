#include "daemon/outgoing/staff_directory.h"

#include <algorithm>
#include <cctype>

namespace complaints {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Runs of white space as one space, so "Steve  the\ncaretaker" matches "Steve the caretaker".
std::string Squeezed(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isspace(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(c));
    }
  }
  return out;
}

bool WordChar(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

bool ContainsWords(const std::string& haystack, const std::string& needle) {
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    const bool starts = at == 0 || !WordChar(static_cast<unsigned char>(haystack[at - 1]));
    const size_t end = at + needle.size();
    const bool ends =
        end == haystack.size() || !WordChar(static_cast<unsigned char>(haystack[end]));
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

Result<StaffDirectory> StaffDirectory::Parse(std::string_view text, const std::string& source) {
  StaffDirectory directory;
  std::vector<std::string> problems;
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string line = Trim(text.substr(start, end - start));
    start = end + 1;
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const std::string where = source + ":" + std::to_string(number) + ": ";
    const size_t equals = line.rfind('=');
    if (equals == std::string::npos) {
      problems.push_back(where + "expected 'name | other name = address'");
      continue;
    }
    Entry entry;
    entry.address = Trim(std::string_view(line).substr(equals + 1));
    if (Status s = ValidateAddress(entry.address); !s) {
      problems.push_back(where + s.error());
      continue;
    }
    std::string_view names = std::string_view(line).substr(0, equals);
    while (!names.empty()) {
      const size_t bar = names.find('|');
      const std::string name = Trim(names.substr(0, bar));
      if (name.size() >= 3) entry.names.push_back(name);
      if (!name.empty() && name.size() < 3) {
        problems.push_back(where + "'" + name + "' is too short to find reliably");
      }
      if (bar == std::string_view::npos) break;
      names.remove_prefix(bar + 1);
    }
    if (entry.names.empty()) {
      problems.push_back(where + "no name before '='");
      continue;
    }
    directory.entries_.push_back(std::move(entry));
  }
  if (!problems.empty()) {
    std::string all;
    for (const std::string& p : problems) all += (all.empty() ? "" : "; ") + p;
    return Result<StaffDirectory>::Error(all);
  }
  return directory;
}

std::vector<std::pair<std::string, std::string>> StaffDirectory::Named(
    std::string_view text) const {
  const std::string words = Squeezed(text);
  std::vector<std::pair<std::string, std::string>> out;
  for (const Entry& e : entries_) {
    for (const std::string& name : e.names) {
      if (!ContainsWords(words, Squeezed(name))) continue;
      const bool known = std::any_of(out.begin(), out.end(), [&](const auto& p) {
        return Lower(p.second) == Lower(e.address);
      });
      if (!known) out.push_back({name, e.address});
      break;
    }
  }
  return out;
}

}  // namespace complaints
