#include "daemon/reports/case_scan.h"

namespace complaints {

Status ForEachCase(CaseStore& store, CaseQuery query,
                   const std::function<void(const CaseRecord&)>& visit) {
  query.limit = 5000;
  for (query.offset = 0;; query.offset += query.limit) {
    Result<std::vector<CaseRecord>> page = store.ListCases(query);
    if (!page) return page.status();
    for (const CaseRecord& c : *page) visit(c);
    if (static_cast<int>(page->size()) < query.limit) return Status::Ok();
  }
}

}  // namespace complaints
