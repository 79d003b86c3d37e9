#include "daemon/ctl/commands.h"

#include <ostream>

#include "daemon/cases/policy.h"

namespace complaints {

int RunPolicyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  constexpr const char* kUsage =
      "usage: complaintsctl policy check FILE   conflicts with the Complaint Handling Code 2024\n"
      "       complaintsctl policy show FILE    the policy's timeline in plain words\n";
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "help")) {
    out << kUsage;
    return 0;
  }
  if (args.size() != 2 || (args[0] != "check" && args[0] != "show")) {
    err << kUsage;
    return 2;
  }
  Result<Policy> policy = LoadPolicy(args[1]);
  if (!policy) {
    err << "complaintsctl policy " << args[0] << ": " << policy.error() << '\n';
    return 2;
  }
  if (args[0] == "show") {
    out << DescribePolicy(*policy);
    return 0;
  }
  const std::vector<CodeConflict> conflicts = CheckAgainstCode(*policy);
  for (const CodeConflict& c : conflicts) out << c.paragraph << ": " << c.message << '\n';
  return conflicts.empty() ? 0 : 1;
}

}  // namespace complaints
