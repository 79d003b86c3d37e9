// `complaintsctl parse [--json] [--policy FILE] FILE...`: what the parser makes of each message.
// Exit 0 when every file parsed, 1 when any did not (each still gets its line), 2 on usage errors.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaints {

int RunParseCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaints
