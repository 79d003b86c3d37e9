// complaintsctl's command table: the first word picks a command, which gets the rest.
// Kept in the library so tests drive the same code the executable runs.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

// `args` excludes the program name. Returns the process exit code.
int RunCtl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
