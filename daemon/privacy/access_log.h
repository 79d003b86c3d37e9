// Who looked: every read of a case or a message by a person, through the workbench or the API,
// is recorded before it is served. A front end that cannot record a read refuses it (503) rather
// than serve it unlogged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "daemon/cases/case_record.h"
#include "parsers/result.h"

namespace complaints {

// One read. `what` names what was read: "case", "message", "attachment", "document".
struct AccessRecord {
  Instant at{};
  std::string actor;    // the staff username, or the API token's account
  std::string channel;  // "workbench" | "api"
  std::string what;
  std::optional<int64_t> case_id;
  std::string reference;  // the case's reference, when there is a case (filled on reading back)
  std::optional<int64_t> message_id;
  std::string detail;
};

// Thread-safe: a web server's threads share one.
class AccessLog {
 public:
  virtual ~AccessLog() = default;
  // Kept for good when it returns Ok (committed), else the read must not be served.
  virtual Status Record(const AccessRecord& read) = 0;
};

}  // namespace complaints
