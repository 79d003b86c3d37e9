// Who is who among the landlord's staff, so that praise reaches the person praised: a resident
// who thanks "Steve the caretaker" or "the repairs team" has that compliment copied to them.
//
// A plain text file a landlord keeps (config key mail.staff-directory), one entry per line:
//   Steve Jones | Steve the caretaker = steve.jones@westway.example
//   the repairs team | repairs team = repairs@westway.example
// Names are matched in the resident's words without regard to case, as whole words. Blank lines
// and lines starting with # are ignored.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/outgoing/outgoing_mail.h"
#include "parsers/result.h"

namespace complaints {

class StaffDirectory {
 public:
  struct Entry {
    std::vector<std::string> names;  // as written in the file
    std::string address;
  };

  // Every problem names the line ("staff.txt:4: ..."); addresses are validated.
  static Result<StaffDirectory> Parse(std::string_view text, const std::string& source);

  // Each entry named in `text`, once, in the order of the file, with the name that matched.
  std::vector<std::pair<std::string, std::string>> Named(std::string_view text) const;
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace complaints
