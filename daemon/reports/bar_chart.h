// A bar chart as the reports draw it: one model, drawn as SVG for the HTML report (here) and on
// cairo for the PDF (report_pdf.cc), so both show the same thing. Grouped vertical bars (months)
// or horizontal bars (themes, channels); every chart also comes with its figures as a table in
// the documents, for screen readers and for anyone who prints in black and white.
#pragma once

#include <string>
#include <vector>

namespace complaints {

struct ChartSeries {
  std::string name;
  std::vector<double> values;  // one per category
  std::string colour;          // "#1d70b8"
};

struct BarChart {
  std::string id;           // unique in the document: "received-by-month"
  std::string title;        // shown above the chart
  std::string description;  // what it shows, in a sentence (the SVG's <desc>)
  std::vector<std::string> categories;
  std::vector<ChartSeries> series;
  bool horizontal = false;
  std::string unit;  // appended to value labels: "%", or "" for counts
};

// The colours the reports use, distinguishable with the common colour-vision deficiencies.
inline constexpr const char* kChartBlue = "#1d70b8";
inline constexpr const char* kChartOrange = "#d4351c";
inline constexpr const char* kChartGreen = "#00703c";

// The largest value, rounded up to a round number for the axis (at least 1).
double ChartScale(const BarChart& chart);
// "12", "87.5%": how a value is labelled.
std::string ChartValueLabel(double value, const std::string& unit);

// An <svg> element (role="img", with <title> and <desc>) 640 units wide, scaling to its container.
std::string BarChartSvg(const BarChart& chart);

}  // namespace complaints
