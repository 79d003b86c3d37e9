// A case as JSON, the one shape complaintsctl's --json output and the workbench's API share.
#pragma once

#include <nlohmann/json.hpp>

#include "daemon/cases/case_record.h"

namespace complaints {

// reference, policy, type, channel, stage, stage_name, status, received_at, handler, panel,
// summary, definition, outcome_sought, needs_review, flags, refusal_reason, deadlines (open ones,
// or all with `all_deadlines`, then with superseded_at) and actions. Times in London ISO 8601.
nlohmann::json CaseToJson(const CaseRecord& c, bool all_deadlines);

}  // namespace complaints
