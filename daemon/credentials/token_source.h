// Where an XOAUTH2 bearer token comes from at each connection: Microsoft 365 and Google tokens
// last about an hour, so a token read once at start would stop working. Either a file re-read each
// time (kept fresh by whatever refreshes it), or a command whose output is the token.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "parsers/result.h"

namespace complaints {

using TokenSource = std::function<Result<std::string>()>;

// Runs `command` with /bin/sh -c, without a terminal, and returns its standard output with
// trailing white space removed. An exit status other than 0, no output, or no answer within
// `timeout` is an error that names the command's exit status but never its output (a token).
Result<std::string> RunTokenCommand(const std::string& command, std::chrono::seconds timeout);

}  // namespace complaints
