// The annual report as documents people read: HTML (one self-contained file with SVG charts, for
// the board pack and the website), CSV (every figure, one per row, for a spreadsheet). The PDF is
// report_pdf.h. Every value from the store is escaped (HTML) or neutralised (CSV: a cell that a
// spreadsheet would run as a formula starts with an apostrophe).
#pragma once

#include <string>
#include <vector>

#include "daemon/reports/annual_report.h"
#include "daemon/reports/bar_chart.h"

namespace complaints {

// The charts of the annual report, in document order (the HTML and the PDF draw the same ones).
std::vector<BarChart> AnnualCharts(const AnnualReport& report);

// "12,450"
std::string Thousands(long n);
// "£1,234.50"
std::string Pounds(long pence);
// "2025-26"
std::string FinancialYearName(int year);
// "87.5%", or "none responded to" for no figure.
std::string Percent(long part, long whole);
// Human words for the store's codes: "partly_upheld" -> "Upheld in part", service areas, ...
std::string OutcomeTitle(const std::string& code);

// What the HTML and the PDF say alike: the opening paragraph and the method, as plain text.
extern const char* const kAnnualIntro;
extern const char* const kAnnualMethod;
// The received-by-month table's rows, April to March and then the year: month, stage one, two.
std::vector<std::vector<std::string>> MonthRows(const AnnualReport& report);
// An outcomes table row: stage, upheld, upheld in part, not upheld, all.
std::vector<std::string> OutcomeRow(const std::string& stage, const OutcomeCounts& outcomes);
// Responses sent in the year at both stages, and of them those that upheld the complaint in full
// or in part.
long ResponsesSent(const AnnualReport& report);
long ResponsesUpheld(const AnnualReport& report);

// The HTML's one inline stylesheet, for a server's Content-Security-Policy to allow by its hash.
const char* AnnualHtmlStyle();
// `generated` is printed as the date the report was made ("5 December 2026").
std::string AnnualHtml(const AnnualReport& report, const std::string& generated);
// Header "section,measure,category,value"; RFC 4180 quoting, CRLF line ends.
std::string AnnualCsv(const AnnualReport& report);

}  // namespace complaints
