// `complaintsctl messages list|show`: the incoming mail as stored, above all what opened no case
// (classified other, or quarantined), so that a person can see every message and why.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

int RunMessagesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
