#include "daemon/credentials/token_source.h"

#include <cctype>

#include "daemon/base/subprocess.h"

namespace complaints {

Result<std::string> RunTokenCommand(const std::string& command, std::chrono::seconds timeout) {
  using R = Result<std::string>;
  ChildRun run;
  run.argv = {"/bin/sh", "-c", command};
  run.timeout = timeout;
  Result<ChildExit> ran = RunChild(run);
  if (!ran) return R::Error("the token command could not be started");
  if (ran->timed_out) {
    return R::Error("the token command gave no answer within " + std::to_string(timeout.count()) +
                    " s");
  }
  // Never its output, nor its error output: either may hold the token.
  if (!ran->ok()) return R::Error("the token command failed (" + ran->Describe(timeout) + ")");
  std::string output = std::move(ran->out);
  while (!output.empty() && std::isspace(static_cast<unsigned char>(output.back()))) {
    output.pop_back();
  }
  if (output.empty()) return R::Error("the token command printed nothing");
  return output;
}

}  // namespace complaints
