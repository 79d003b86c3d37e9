// Runs another program and collects what it prints, with a time limit: the token command
// (XOAUTH2) and the letter reader (PDF rendering and OCR of files from strangers) both run this
// way, so that a hang or a crash in them is an error value here, never a hang or crash of the
// daemon.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "parsers/result.h"

namespace complaints {

struct ChildRun {
  std::vector<std::string> argv;       // argv[0] is the program's path (not searched in PATH)
  std::vector<std::string> extra_env;  // "NAME=value", added to this process's environment
  std::chrono::milliseconds timeout{30000};
  size_t max_output = 64 * 1024;  // bytes kept of each of stdout and stderr; the rest is read and
                                  // dropped, so a chatty child cannot block or exhaust memory
};

struct ChildExit {
  bool timed_out = false;  // killed (SIGKILL) at the time limit
  int exit_code = -1;      // when it exited
  int signal = 0;          // when a signal ended it
  std::string out;
  std::string err;
  bool ok() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit 3", "killed by signal 9", "no answer within 30 s": for error messages.
  std::string Describe(std::chrono::milliseconds timeout) const;
};

// Standard input is /dev/null. An error value only when the program could not be started.
Result<ChildExit> RunChild(const ChildRun& run);

}  // namespace complaints
