// How the reports read the store: every case the query matches, a page at a time, in the order
// ListCases gives. One place, so that reading a million cases faster (keyset paging instead of
// OFFSET: docs/measurements.md, The annual report) is one change for every report.
#pragma once

#include <functional>

#include "daemon/cases/case_store.h"

namespace complaints {

Status ForEachCase(CaseStore& store, CaseQuery query,
                   const std::function<void(const CaseRecord&)>& visit);

}  // namespace complaints
