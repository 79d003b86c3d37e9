// `complaintsctl templates check [DIR]` and `templates show NAME [DIR]`: a landlord editing its
// templates sees each problem, or the message rendered with sample values, before any resident.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

int RunTemplatesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
