#include "daemon/reports/case_scan.h"

namespace complaints {

Status ForEachCase(CaseStore& store, CaseQuery query,
                   const std::function<void(const CaseRecord&)>& visit) {
  query.limit = 5000;
  query.offset = 0;
  query.order = CaseQuery::Order::kReceived;
  query.after.reset();
  for (;;) {
    // Each page starts after the last case of the one before (keyset paging): a seek in the
    // index on (received_at, id), where OFFSET would walk every case already seen again.
    Result<std::vector<CaseRecord>> page = store.ListCases(query);
    if (!page) return page.status();
    for (const CaseRecord& c : *page) visit(c);
    if (static_cast<int>(page->size()) < query.limit) return Status::Ok();
    query.after = CaseQuery::Position{page->back().received_at, page->back().id};
  }
}

}  // namespace complaints
