// `complaintsctl deadlines [--json] [--due-within N]`: what is coming, and what is overdue.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

int RunDeadlinesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
