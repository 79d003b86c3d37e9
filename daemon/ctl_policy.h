// `complaintsctl policy check|show FILE`: a landlord's policy against the Code, and in words.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

// check: 0 no conflict, 1 conflicts listed (one a line), 2 invalid file or usage.
int RunPolicyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
