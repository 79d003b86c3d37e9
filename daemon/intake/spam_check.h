// The spam check intake runs on new mail: the verdicts already in the headers and our own rules
// (parsers/spam_verdict), then, where configured, a local SpamAssassin asked through spamc.
// spamd saying spam is decisive; spamd unreachable, failing or slow is never spam: the message
// goes on, with an evidence line "spamd unavailable: ..." so the gap shows.
//
// spamc reads the message on its standard input, which RunChild (daemon/base/subprocess) ties to
// /dev/null; so the message goes to a private temporary file (mode 0600, in $TMPDIR or /tmp,
// removed at once after) that a shell gives spamc as its input. Nothing else is written.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "parsers/spam_verdict.h"

namespace complaints {

struct SpamdSettings {
  std::string host = "127.0.0.1";
  int port = 783;
  std::chrono::seconds timeout{10};  // spamc's own limit (-t, -n); the child is killed 2 s later
  std::string spamc = "spamc";       // a path, or a name looked up in PATH
  size_t max_bytes = 500 * 1024;     // spamc's -s: bigger messages are not checked (noted)
};

// What intake asks; tests give it a fake.
class SpamFilter {
 public:
  virtual ~SpamFilter() = default;
  virtual SpamVerdict Check(const SpamInput& in) const = 0;
};

// spamd's verdict alone: a reason when it says spam ("spamd: 7.9 points (5.0 required): GTUBE,
// ..."), else evidence: its score, "not checked by spamd: ..." for a message over max_bytes, or
// "spamd unavailable: ...". Blocks for at most settings.timeout + 2 s. Thread-safe.
SpamVerdict AskSpamd(std::string_view raw, const SpamdSettings& settings);

// Upstream headers and our own rules, then (when configured) spamd through spamc. spamd is not
// asked about a message the headers or rules already decided. Check is thread-safe.
class SpamChecker : public SpamFilter {
 public:
  SpamChecker(SpamSettings settings, std::optional<SpamdSettings> spamd);
  SpamVerdict Check(const SpamInput& in) const override;

 private:
  SpamSettings settings_;
  std::optional<SpamdSettings> spamd_;
};

}  // namespace complaints
