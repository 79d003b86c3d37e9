#include "daemon/reports/report_pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "daemon/calendar/bank_holidays.h"
#include "daemon/reports/report_documents.h"
#include "parsers/service_area.h"

namespace complaints {
namespace {

constexpr double kPageWidth = 595.276;  // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 50;
constexpr double kBottom = kPageHeight - kMargin;
constexpr double kWidth = kPageWidth - 2 * kMargin;

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using Layout = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;

// Valid UTF-8, control characters as spaces (pango draws them as boxes), line breaks kept.
std::string Printable(const std::string& text) {
  std::unique_ptr<char, decltype(&g_free)> valid(
      g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())), &g_free);
  std::string out(valid.get());
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7f) c = ' ';
  }
  return out;
}

void SetColour(cairo_t* cr, const std::string& hex) {
  unsigned rgb = 0;
  if (hex.size() == 7 && hex[0] == '#')
    rgb = static_cast<unsigned>(std::stoul(hex.substr(1), nullptr, 16));
  cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                       (rgb & 255) / 255.0);
}

class PdfWriter {
 public:
  explicit PdfWriter(cairo_t* cr) : cr_(cr) {}

  Layout Text(const std::string& text, const char* font, double width,
              PangoAlignment align = PANGO_ALIGN_LEFT) {
    Layout layout(pango_cairo_create_layout(cr_), &g_object_unref);
    pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), 72);
    pango_layout_context_changed(layout.get());
    std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> d(
        pango_font_description_from_string(font), &pango_font_description_free);
    pango_layout_set_font_description(layout.get(), d.get());
    pango_layout_set_width(layout.get(), pango_units_from_double(width));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    const std::string clean = Printable(text);
    pango_layout_set_text(layout.get(), clean.data(), static_cast<int>(clean.size()));
    return layout;
  }

  static double Height(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return pango_units_to_double(h);
  }

  void Draw(PangoLayout* layout, double x, double y, const char* colour = "#0b0c0c") {
    SetColour(cr_, colour);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout);
  }

  // Room for `height` more points on this page, or a new page.
  void Need(double height) {
    if (y_ + height > kBottom && y_ > kMargin + 1) NewPage();
  }

  void NewPage() {
    Footer();
    cairo_show_page(cr_);
    ++page_;
    y_ = kMargin;
  }

  void Footer() {
    Layout f = Text(footer_ + "    Page " + std::to_string(page_), "DejaVu Sans 8", kWidth,
                    PANGO_ALIGN_RIGHT);
    Draw(f.get(), kMargin, kPageHeight - kMargin + 14, "#505a5f");
  }

  void Heading(const std::string& text, bool new_page = false) {
    if (new_page) NewPage();
    Layout l = Text(text, "DejaVu Sans Bold 15", kWidth);
    Need(Height(l.get()) + 160);  // keep a heading with the start of what follows it
    y_ += 8;
    SetColour(cr_, "#1d70b8");
    cairo_rectangle(cr_, kMargin, y_, kWidth, 2);
    cairo_fill(cr_);
    y_ += 8;
    Draw(l.get(), kMargin, y_);
    y_ += Height(l.get()) + 8;
  }

  void Paragraph(const std::string& text, const char* font = "DejaVu Sans 10") {
    Layout l = Text(text, font, kWidth);
    Need(Height(l.get()));
    Draw(l.get(), kMargin, y_);
    y_ += Height(l.get()) + 8;
  }

  // Columns share the width by `weights`; the first column is left-aligned, others right-aligned
  // unless `text_columns` says a column holds prose.
  void Table(const std::string& caption, const std::vector<std::string>& head,
             const std::vector<std::vector<std::string>>& rows, std::vector<double> weights = {},
             std::vector<bool> text_columns = {}) {
    if (weights.empty()) {
      weights.assign(head.size(), 1.0);
      weights[0] = 2.5;
    }
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> widths;
    for (double w : weights) widths.push_back(kWidth * w / total);
    text_columns.resize(head.size(), false);
    Layout cap = Text(caption, "DejaVu Sans Bold 10", kWidth);
    Need(Height(cap.get()) + 40);
    Draw(cap.get(), kMargin, y_);
    y_ += Height(cap.get()) + 4;
    Row(head, widths, text_columns, true);
    for (const auto& row : rows) Row(row, widths, text_columns, false);
    y_ += 8;
  }

  void Row(const std::vector<std::string>& cells, const std::vector<double>& widths,
           const std::vector<bool>& text_columns, bool head) {
    std::vector<Layout> layouts;
    double height = 0;
    for (size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      const bool left = i == 0 || text_columns[i];
      layouts.push_back(Text(cells[i], head || i == 0 ? "DejaVu Sans Bold 9" : "DejaVu Sans 9",
                             widths[i] - 6, left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT));
      height = std::max(height, Height(layouts.back().get()));
    }
    Need(height + 6);
    double x = kMargin;
    for (size_t i = 0; i < layouts.size(); ++i) {
      Draw(layouts[i].get(), x + 3, y_ + 3);
      x += widths[i];
    }
    y_ += height + 6;
    SetColour(cr_, "#b1b4b6");
    cairo_rectangle(cr_, kMargin, y_ - 1, kWidth, 0.6);
    cairo_fill(cr_);
  }

  void Chart(const BarChart& chart) {
    const double scale = ChartScale(chart);
    const size_t n = chart.categories.size();
    const size_t k = std::max<size_t>(chart.series.size(), 1);
    const double height = chart.horizontal ? 24 + 20.0 * static_cast<double>(n) : 200;
    Layout title = Text(chart.title, "DejaVu Sans Bold 10", kWidth);
    Need(Height(title.get()) + height + 10);
    Draw(title.get(), kMargin, y_);
    y_ += Height(title.get()) + 6;
    // Legend.
    double lx = kMargin;
    for (const ChartSeries& s : chart.series) {
      SetColour(cr_, s.colour);
      cairo_rectangle(cr_, lx, y_ + 2, 9, 9);
      cairo_fill(cr_);
      Layout name = Text(s.name, "DejaVu Sans 8", 150);
      Draw(name.get(), lx + 13, y_);
      lx += 30 + 5.0 * static_cast<double>(s.name.size());
    }
    y_ += 16;
    if (chart.horizontal) {
      const double left = 170, span = kWidth - left - 50, row = 20;
      for (size_t i = 0; i < n; ++i) {
        const double ry = y_ + row * static_cast<double>(i);
        Layout label = Text(chart.categories[i], "DejaVu Sans 8", left - 8, PANGO_ALIGN_RIGHT);
        Draw(label.get(), kMargin, ry + 4);
        const double bar = (row - 4) / static_cast<double>(k);
        for (size_t j = 0; j < chart.series.size(); ++j) {
          const ChartSeries& s = chart.series[j];
          const double v = i < s.values.size() ? s.values[i] : 0;
          const double w = span * v / scale;
          SetColour(cr_, s.colour);
          cairo_rectangle(cr_, kMargin + left, ry + 2 + bar * static_cast<double>(j), w, bar - 1);
          cairo_fill(cr_);
          Layout value = Text(ChartValueLabel(v, chart.unit), "DejaVu Sans 7", 60);
          Draw(value.get(), kMargin + left + w + 3, ry + bar * static_cast<double>(j));
        }
      }
      y_ += row * static_cast<double>(n) + 10;
    } else {
      const double left = 34, plot = 150, span = kWidth - left;
      for (int t = 0; t <= 4; ++t) {
        const double ty = y_ + plot - plot * t / 4;
        SetColour(cr_, "#b1b4b6");
        cairo_rectangle(cr_, kMargin + left, ty, span, 0.5);
        cairo_fill(cr_);
        Layout tick = Text(ChartValueLabel(scale * t / 4, chart.unit), "DejaVu Sans 7", left - 4,
                           PANGO_ALIGN_RIGHT);
        Draw(tick.get(), kMargin, ty - 5);
      }
      const double slot = n ? span / static_cast<double>(n) : span;
      const double bar = slot * 0.8 / static_cast<double>(k);
      for (size_t i = 0; i < n; ++i) {
        const double x = kMargin + left + slot * static_cast<double>(i) + slot * 0.1;
        for (size_t j = 0; j < chart.series.size(); ++j) {
          const ChartSeries& s = chart.series[j];
          const double v = i < s.values.size() ? s.values[i] : 0;
          const double h = plot * v / scale;
          SetColour(cr_, s.colour);
          cairo_rectangle(cr_, x + bar * static_cast<double>(j), y_ + plot - h, bar - 0.5, h);
          cairo_fill(cr_);
        }
        Layout label = Text(chart.categories[i], "DejaVu Sans 7", slot, PANGO_ALIGN_CENTER);
        Draw(label.get(), x - slot * 0.1, y_ + plot + 3);
      }
      y_ += plot + 22;
    }
  }

  void Finish() { Footer(); }
  void SetFooter(std::string text) { footer_ = std::move(text); }

 private:
  cairo_t* cr_;
  double y_ = kMargin;
  int page_ = 1;
  std::string footer_;
};

std::string Count(long n) { return Thousands(n); }

void WriteReport(PdfWriter& w, const AnnualReport& r, const std::string& generated) {
  const std::vector<BarChart> charts = AnnualCharts(r);
  const TsmReport& t = r.tsm;
  const std::string year = FinancialYearName(r.year);
  w.SetFooter(r.landlord + ": complaints report " + year);
  w.Paragraph("Complaints performance and service improvement report " + year,
              "DejaVu Sans Bold 20");
  w.Paragraph(r.landlord + ", 1 April " + std::to_string(r.year) + " to 31 March " +
                  std::to_string(r.year + 1),
              "DejaVu Sans 13");
  w.Paragraph("Made on " + generated + " from the complaints record. Policy: " + r.policy_name +
              ". " + Count(t.homes) + " homes.");
  w.Paragraph(kAnnualIntro);
  w.Heading("At a glance");
  w.Table("Key figures", {"Measure", "Figure"},
          {{"Stage one complaints received", Count(t.stage1_received)},
           {"Stage two complaints received", Count(t.stage2_received)},
           {"Stage one responses on time", Percent(t.stage1_on_time, t.stage1_responded)},
           {"Stage two responses on time", Percent(t.stage2_on_time, t.stage2_responded)},
           {"Responses upholding the complaint (in full or part)",
            Percent(ResponsesUpheld(r), ResponsesSent(r))},
           {"Compensation and refunds", Pounds(r.financial_pence)},
           {"Taken to the Housing Ombudsman", Count(r.ombudsman_referred)},
           {"Learning actions", Count(static_cast<long>(r.learning.size()))}});

  w.Heading("1. Complaints received", true);
  w.Chart(charts[0]);
  std::vector<std::vector<std::string>> rows;
  w.Table("Complaints received by month", {"Month", "Stage one", "Stage two"}, MonthRows(r));
  w.Chart(charts[4]);
  rows.clear();
  for (const auto& [type, n] : r.received_by_type) rows.push_back({OutcomeTitle(type), Count(n)});
  w.Table("Everything received, by type", {"Type", "Received"}, rows);

  w.Heading("2. Answering on time");
  w.Chart(charts[1]);
  w.Table("Tenant Satisfaction Measures", {"Measure", "Figure", "Counted"},
          {{"CH01(1) stage one per 1,000 homes", ChartValueLabel(t.ch01_1, ""),
            Count(t.stage1_received) + " received"},
           {"CH01(2) stage two per 1,000 homes", ChartValueLabel(t.ch01_2, ""),
            Count(t.stage2_received) + " received"},
           {"CH02(1) stage one within the Code's timescales",
            Percent(t.stage1_on_time, t.stage1_responded),
            Count(t.stage1_on_time) + " of " + Count(t.stage1_responded)},
           {"CH02(2) stage two within the Code's timescales",
            Percent(t.stage2_on_time, t.stage2_responded),
            Count(t.stage2_on_time) + " of " + Count(t.stage2_responded)}},
          {3, 1, 1.3});
  w.Paragraph(
      "Acknowledged within 5 working days: " + Percent(r.acknowledged_on_time, r.acknowledged) +
      " (" + Count(r.acknowledged_on_time) + " of " + Count(r.acknowledged) +
      "). Responses extended with the resident told why: " + Count(r.extended) + ".");

  w.Heading("3. What we found");
  w.Chart(charts[2]);
  w.Table("Outcomes of the responses sent in the year",
          {"Stage", "Upheld", "In part", "Not upheld", "All"},
          {OutcomeRow("Stage one", r.outcomes_stage1), OutcomeRow("Stage two", r.outcomes_stage2)});

  w.Heading("4. Putting things right");
  w.Paragraph("We apologised in " + Count(r.apologies) + " responses and paid or offered " +
              Pounds(r.financial_pence) + " in " + Count(r.financial_cases) + ".");
  rows.clear();
  for (const auto& [what, pence] : r.financial_by_reason) rows.push_back({what, Pounds(pence)});
  if (!rows.empty())
    w.Table("Compensation and refunds, by what they were for", {"For", "Amount"}, rows);

  w.Heading("5. Escalations, refusals and withdrawals");
  w.Paragraph("Residents asked for stage two " + Count(r.escalation_requests) + " times (" +
              Count(r.escalation_late) + " late). " + Count(r.withdrawn) +
              " complaints were withdrawn by the resident.");
  rows.clear();
  for (const auto& [reason, n] : r.refusals_by_reason) rows.push_back({reason, Count(n)});
  if (rows.empty()) {
    w.Paragraph("We refused no complaints under the Code's exclusions.");
  } else {
    w.Table("Complaints we did not accept, by reason", {"Reason", "Complaints"}, rows);
  }

  w.Heading("6. The Housing Ombudsman");
  w.Paragraph(Count(r.ombudsman_referred) +
              " complaints were taken to the Housing Ombudsman in the year.");
  rows.clear();
  for (const auto& [o, n] : r.ombudsman_outcomes) rows.push_back({OutcomeTitle(o), Count(n)});
  if (!rows.empty())
    w.Table("The Ombudsman's determinations", {"Determination", "Complaints"}, rows);

  w.Heading("7. What complaints were about");
  w.Chart(charts[3]);
  rows.clear();
  for (const ThemeLine& th : r.themes) {
    rows.push_back(
        {ServiceAreaTitle(th.area), Count(th.complaints), Count(th.confirmed), Count(th.upheld)});
  }
  w.Table("Stage one complaints by service area",
          {"Service area", "Complaints", "Confirmed by staff", "Upheld"}, rows);

  w.Heading("8. What we changed");
  rows.clear();
  for (const LearningLine& l : r.learning) {
    rows.push_back({l.reference, l.action.what, l.action.owner,
                    l.action.due_on ? FormatDay(*l.action.due_on) : "-",
                    l.action.done_at ? "Done" : "Outstanding"});
  }
  if (rows.empty()) {
    w.Paragraph("No learning actions were recorded.");
  } else {
    w.Table("Learning actions from complaints",
            {"Complaint", "What will change", "Owner", "Due", "Done"}, rows, {1.4, 3, 1.2, 1, 1},
            {false, true, true, false, false});
  }

  w.Heading("9. Self-assessment against the Code", true);
  rows.clear();
  for (const SelfAssessmentRow& row : r.self_assessment) {
    std::string check = row.conflicts.empty() ? "No departure found" : "";
    for (const CodeConflict& c : row.conflicts) {
      check +=
          (check.empty() ? "" : "\n") + std::string("Departs (") + c.paragraph + "): " + c.message;
    }
    rows.push_back({row.section.number + ". " + row.section.title, check,
                    row.evidence.empty() ? "No evidence recorded." : row.evidence});
  }
  w.Table("Self-assessment", {"Section of the Code", "Policy check", "Our evidence"}, rows,
          {1.3, 1.5, 2.4}, {false, true, true});
  w.Heading("How the figures are counted");
  w.Paragraph(kAnnualMethod);
  w.Finish();
}

cairo_status_t AppendTo(void* closure, const unsigned char* data, unsigned int length) {
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (...) {  // bad_alloc must not unwind through cairo's C frames
    return CAIRO_STATUS_WRITE_ERROR;
  }
}

}  // namespace

Result<std::string> AnnualPdf(const AnnualReport& report, const std::string& generated) {
  std::string pdf;
  Surface surface(cairo_pdf_surface_create_for_stream(&AppendTo, &pdf, kPageWidth, kPageHeight),
                  &cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Result<std::string>::Error(std::string("cannot draw the report: cairo: ") +
                                      cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, "");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "complaintsd");
  const std::string title =
      "Complaints performance and service improvement report " + FinancialYearName(report.year);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  {
    Context cr(cairo_create(surface.get()), &cairo_destroy);
    PdfWriter writer(cr.get());
    WriteReport(writer, report, generated);
    const cairo_status_t status = cairo_status(cr.get());
    if (status != CAIRO_STATUS_SUCCESS) {
      return Result<std::string>::Error(std::string("cannot draw the report: cairo: ") +
                                        cairo_status_to_string(status));
    }
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Result<std::string>::Error(std::string("cannot write the report: cairo: ") +
                                      cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  return pdf;
}

}  // namespace complaints
