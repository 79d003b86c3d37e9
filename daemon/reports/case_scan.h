// How the reports read the store: every case the query matches, a page at a time, in receipt
// order, each page starting after the last case of the one before (keyset paging, not OFFSET:
// docs/measurements.md, The annual report). One place for every report.
#pragma once

#include <functional>

#include "daemon/cases/case_store.h"

namespace complaints {

Status ForEachCase(CaseStore& store, CaseQuery query,
                   const std::function<void(const CaseRecord&)>& visit);

}  // namespace complaints
