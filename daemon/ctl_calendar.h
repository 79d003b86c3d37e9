// `complaintsctl calendar ...`: bank holidays, working-day arithmetic and due times, for staff
// and for scripts (the output format is a contract: one value per line, nothing else on stdout).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

// `args` are the words after "calendar". Returns the exit code: 0 done, 2 bad arguments or input.
int RunCalendarCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
