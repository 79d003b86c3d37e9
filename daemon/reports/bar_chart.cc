#include "daemon/reports/bar_chart.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "daemon/base/html_text.h"

namespace complaints {
namespace {

std::string Num(double v) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << v;
  return out.str();
}

std::string Text(double x, double y, const std::string& anchor, const std::string& text,
                 const std::string& extra = "") {
  return "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + anchor + "\"" + extra +
         ">" + HtmlEscape(text) + "</text>";
}

std::string Rect(double x, double y, double w, double h, const std::string& colour,
                 const std::string& label) {
  return "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(std::max(w, 0.0)) +
         "\" height=\"" + Num(std::max(h, 0.0)) + "\" fill=\"" + HtmlEscape(colour) + "\"><title>" +
         HtmlEscape(label) + "</title></rect>";
}

std::string Legend(const BarChart& chart, double x, double y) {
  std::string out;
  for (const ChartSeries& s : chart.series) {
    out += Rect(x, y - 10, 12, 12, s.colour, s.name);
    out += Text(x + 18, y, "start", s.name);
    x += 30 + 8.0 * static_cast<double>(s.name.size());
  }
  return out;
}

}  // namespace

double ChartScale(const BarChart& chart) {
  double top = 0;
  for (const ChartSeries& s : chart.series) {
    for (double v : s.values) top = std::max(top, v);
  }
  if (chart.unit == "%") return 100;
  // Counts: four gridlines a whole, round number apart (1, 2, 2.5 x 10^k, 5 ...), so no axis
  // reads "0.8 complaints".
  const double quarter = std::max(top / 4, 1.0);
  const double magnitude = std::pow(10.0, std::floor(std::log10(quarter)));
  for (double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    const double tick = step * magnitude;
    if (tick != std::floor(tick)) continue;
    if (quarter <= tick) return 4 * tick;
  }
  return 40 * magnitude;
}

std::string ChartValueLabel(double value, const std::string& unit) {
  std::ostringstream out;
  if (std::fabs(value - std::round(value)) < 1e-9) {
    out << static_cast<long long>(std::llround(value));
  } else {
    out << std::fixed << std::setprecision(1) << value;
  }
  return out.str() + unit;
}

std::string BarChartSvg(const BarChart& chart) {
  const double width = 640;
  const double scale = ChartScale(chart);
  const size_t n = chart.categories.size();
  const size_t k = std::max<size_t>(chart.series.size(), 1);
  std::string body;
  double height = 0;
  if (chart.horizontal) {
    const double left = 230, right = 60, row = 26, top = 30;
    height = top + row * static_cast<double>(n) + 10;
    const double span = width - left - right;
    for (size_t i = 0; i < n; ++i) {
      const double y = top + row * static_cast<double>(i);
      body += Text(left - 8, y + row / 2 + 4, "end", chart.categories[i]);
      const double bar = (row - 8) / static_cast<double>(k);
      for (size_t j = 0; j < chart.series.size(); ++j) {
        const ChartSeries& s = chart.series[j];
        const double v = i < s.values.size() ? s.values[i] : 0;
        const double w = span * v / scale;
        const double by = y + 4 + bar * static_cast<double>(j);
        body += Rect(left, by, w, bar - 1, s.colour,
                     chart.categories[i] + ", " + s.name + ": " + ChartValueLabel(v, chart.unit));
        body += Text(left + w + 4, by + bar - 4, "start", ChartValueLabel(v, chart.unit));
      }
    }
    if (chart.series.size() > 1) body += Legend(chart, left, 16);
  } else {
    const double left = 44, right = 10, top = 30, plot = 180, bottom = 40;
    height = top + plot + bottom;
    const double span = width - left - right;
    for (int t = 0; t <= 4; ++t) {
      const double v = scale * t / 4;
      const double y = top + plot - plot * t / 4;
      body += "<line x1=\"" + Num(left) + "\" x2=\"" + Num(width - right) + "\" y1=\"" + Num(y) +
              "\" y2=\"" + Num(y) + "\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>";
      body += Text(left - 6, y + 4, "end", ChartValueLabel(v, chart.unit));
    }
    const double slot = n ? span / static_cast<double>(n) : span;
    const double bar = slot * 0.8 / static_cast<double>(k);
    for (size_t i = 0; i < n; ++i) {
      const double x = left + slot * static_cast<double>(i) + slot * 0.1;
      for (size_t j = 0; j < chart.series.size(); ++j) {
        const ChartSeries& s = chart.series[j];
        const double v = i < s.values.size() ? s.values[i] : 0;
        const double h = plot * v / scale;
        body += Rect(x + bar * static_cast<double>(j), top + plot - h, bar - 1, h, s.colour,
                     chart.categories[i] + ", " + s.name + ": " + ChartValueLabel(v, chart.unit));
      }
      body += Text(x + slot * 0.4, top + plot + 16, "middle", chart.categories[i]);
    }
    body += Legend(chart, left, 16);
  }
  const std::string id = HtmlEscape(chart.id);
  return "<svg class=\"report-chart\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
         "\" width=\"100%\" role=\"img\" aria-labelledby=\"" + id + "-title " + id +
         "-desc\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"12\" fill=\"#0b0c0c\">"
         "<title id=\"" +
         id + "-title\">" + HtmlEscape(chart.title) + "</title><desc id=\"" + id + "-desc\">" +
         HtmlEscape(chart.description) + "</desc>" + body + "</svg>";
}

}  // namespace complaints
