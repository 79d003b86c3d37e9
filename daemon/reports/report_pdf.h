// The annual report as a PDF for the board pack: A4, the same sections, tables and charts as the
// HTML (report_documents.h), laid out by pango and drawn on cairo's PDF surface, so the text is
// real text and the charts are vectors. Values are drawn as plain text, never read as markup.
// Pure apart from fontconfig: the same report gives the same bytes (no creation date written).
#pragma once

#include <string>

#include "daemon/reports/annual_report.h"
#include "parsers/result.h"

namespace complaints {

Result<std::string> AnnualPdf(const AnnualReport& report, const std::string& generated);

}  // namespace complaints
