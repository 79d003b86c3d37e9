// `complaintsctl cases ...`: staff open, progress and inspect cases from the command line.
//
// Every form takes --db PATH (default $COMPLAINTSD_DB, else complaints.db), --policy FILE
// (default $COMPLAINTSD_POLICY, else the shipped hos-code-2024 policy), --config FILE (the
// landlord's closure days) and --as NAME (who is acting; default $USER). Exit 0 done, 1 the change
// was refused (the reason on stderr), 2 bad usage or input.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "daemon/case_record.h"
#include "daemon/case_store.h"

namespace complaints {

int RunCasesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The case as one JSON object (a line of `cases list --json`).
std::string CaseJsonLine(const CaseRecord& c, bool all_deadlines);

}  // namespace complaints
