#include "daemon/letters/letter_pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <string_view>

namespace complaints {
namespace {

// Cairo's PDF surface measures in points; the page is drawn in those, laid out by pango at 72 dpi
// so that "11" in a font description is 11 points on paper.
constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kPageWidth = 210 * kPointsPerMm;  // A4
constexpr double kPageHeight = 297 * kPointsPerMm;
constexpr double kMargin = 20 * kPointsPerMm;
constexpr double kTextWidth = kPageWidth - 2 * kMargin;

// Where a DL window envelope shows the resident's address once the A4 sheet is folded in three
// (window 90 x 35 mm, 20 mm from the left; the folded sheet settles 0-11 mm down in the envelope).
// Seven lines of 11pt fit, as many as a UK postal address needs.
constexpr double kWindowLeft = 20 * kPointsPerMm;
constexpr double kWindowTop = 50 * kPointsPerMm;
constexpr double kWindowWidth = 85 * kPointsPerMm;
constexpr double kWindowHeight = 34 * kPointsPerMm;

constexpr double kSenderWidth = 70 * kPointsPerMm;        // right of the window, never in it
constexpr double kGapAfterAddresses = 10 * kPointsPerMm;  // before the reference and date
constexpr double kFooterHeight = 10 * kPointsPerMm;       // kept free for "Page 2 of 3"
constexpr double kBodyBottom = kPageHeight - kMargin - kFooterHeight;

constexpr char kFont[] = "DejaVu Sans 11";
constexpr char kFooterFont[] = "DejaVu Sans 9";

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using Layout = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;
using LayoutIter = std::unique_ptr<PangoLayoutIter, decltype(&pango_layout_iter_free)>;

double Points(int pango_units) { return pango_units_to_double(pango_units); }

// Valid UTF-8 (bad bytes become U+FFFD), CRLF as LF, and every other control character a space:
// pango would draw them as hex boxes. `keep_breaks` keeps LF and tab.
std::string Printable(std::string_view text, bool keep_breaks) {
  std::unique_ptr<char, decltype(&g_free)> valid(
      g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())), &g_free);
  std::string out;
  for (std::string_view s(valid.get()); !s.empty(); s.remove_prefix(1)) {
    const auto u = static_cast<unsigned char>(s[0]);
    if (u == '\r' && s.size() > 1 && s[1] == '\n') continue;
    const bool is_break = u == '\n' || u == '\t';
    out += (u < 0x20 || u == 0x7f) && !(keep_breaks && is_break) ? ' ' : s[0];
  }
  return out;
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += '\n';
    out += Printable(line, /*keep_breaks=*/false);
  }
  return out;
}

// A layout of plain text (set_text: nothing in it is read as markup), wrapped at `width` points.
Layout NewLayout(cairo_t* cr, const char* font, const std::string& text, double width,
                 PangoAlignment alignment = PANGO_ALIGN_LEFT) {
  Layout layout(pango_cairo_create_layout(cr), &g_object_unref);
  pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), 72);
  pango_layout_context_changed(layout.get());
  std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> description(
      pango_font_description_from_string(font), &pango_font_description_free);
  pango_layout_set_font_description(layout.get(), description.get());
  pango_layout_set_width(layout.get(), pango_units_from_double(width));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout.get(), alignment);
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

double Height(PangoLayout* layout) {
  int width = 0;
  int height = 0;
  pango_layout_get_size(layout, &width, &height);
  return Points(height);
}

// Draws `layout` with its top left corner at (x, y); returns its bottom.
double DrawAt(cairo_t* cr, PangoLayout* layout, double x, double y) {
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  return y + Height(layout);
}

// Where one line of the body goes: page numbers from 1, positions in points on that page.
struct PlacedLine {
  PangoLayoutLine* line;  // owned by the body's layout
  int page;
  double x;
  double baseline;
};

// Flows the body's lines down the pages: from `first_top` on page 1 and the top margin on the
// others, to kBodyBottom. Blank lines that would open a page are dropped.
std::vector<PlacedLine> Paginate(PangoLayout* body, double first_top) {
  std::vector<PlacedLine> placed;
  int page = 1;
  double page_top = first_top;  // where the current page's first line goes
  double offset = 0;            // the body's y (points) drawn at page_top
  bool page_empty = true;
  LayoutIter it(pango_layout_get_iter(body), &pango_layout_iter_free);
  do {
    PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it.get());
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it.get(), nullptr, &logical);
    const double top = Points(logical.y);
    const double bottom = top + Points(logical.height);
    if (!page_empty && page_top + bottom - offset > kBodyBottom) {
      ++page;
      page_top = kMargin;
      offset = top;
      page_empty = true;
    }
    if (page_empty && line->length == 0) {
      offset = bottom;
      continue;
    }
    const double baseline = Points(pango_layout_iter_get_baseline(it.get()));
    placed.push_back({line, page, kMargin + Points(logical.x), page_top + baseline - offset});
    page_empty = false;
  } while (pango_layout_iter_next_line(it.get()));
  return placed;
}

// "Our reference: ..." at the left and "Page 2 of 3" at the right, above the bottom margin.
void DrawFooter(cairo_t* cr, const std::string& reference_line, int page, int pages) {
  const std::string number = "Page " + std::to_string(page) + " of " + std::to_string(pages);
  Layout left = NewLayout(cr, kFooterFont, reference_line, kTextWidth);
  Layout right = NewLayout(cr, kFooterFont, number, kTextWidth, PANGO_ALIGN_RIGHT);
  DrawAt(cr, left.get(), kMargin, kPageHeight - kMargin - Height(left.get()));
  DrawAt(cr, right.get(), kMargin, kPageHeight - kMargin - Height(right.get()));
}

Status CairoError(cairo_status_t status) {
  return Status::Error(std::string("cannot draw the letter: cairo: ") +
                       cairo_status_to_string(status));
}

class LetterRenderer {
 public:
  LetterRenderer(const PostalLetter& letter, cairo_t* cr)
      : letter_(letter),
        cr_(cr),
        reference_line_(letter.reference.empty()
                            ? std::string()
                            : "Our reference: " + Printable(letter.reference, false)) {}

  Status Render() {
    Result<double> header_bottom = DrawFirstPageHeader();
    if (!header_bottom.ok()) return header_bottom.status();
    Layout body = NewLayout(cr_, kFont, Printable(letter_.body, true), kTextWidth);
    const std::vector<PlacedLine> lines = Paginate(body.get(), *header_bottom);
    const int pages = lines.empty() ? 1 : lines.back().page;
    int page = 1;
    for (const PlacedLine& placed : lines) {
      if (placed.page != page) EndPage(page++, pages);
      cairo_move_to(cr_, placed.x, placed.baseline);
      pango_cairo_show_layout_line(cr_, placed.line);
    }
    EndPage(page, pages);
    const cairo_status_t status = cairo_status(cr_);
    return status == CAIRO_STATUS_SUCCESS ? Status::Ok() : CairoError(status);
  }

 private:
  // The addresses, reference and date; returns where the body starts.
  Result<double> DrawFirstPageHeader() {
    const std::string address = Lines(letter_.recipient_lines);
    if (address.find_first_not_of(" \n") == std::string::npos) {
      return Result<double>::Error("the letter has no recipient address");
    }
    Layout recipient = NewLayout(cr_, kFont, address, kWindowWidth);
    if (Status fits = FitsWindow(recipient.get()); !fits.ok()) return fits;
    DrawAt(cr_, recipient.get(), kWindowLeft, kWindowTop);
    Layout sender =
        NewLayout(cr_, kFont, Lines(letter_.sender_lines), kSenderWidth, PANGO_ALIGN_RIGHT);
    const double sender_bottom =
        DrawAt(cr_, sender.get(), kPageWidth - kMargin - kSenderWidth, kMargin);
    return DrawHeading(std::max(kWindowTop + kWindowHeight, sender_bottom) + kGapAfterAddresses);
  }

  // An address that the window does not show in full sends the letter astray.
  static Status FitsWindow(PangoLayout* recipient) {
    if (Height(recipient) <= kWindowHeight) return Status::Ok();
    const int lines = pango_layout_get_line_count(recipient);
    const int fit = static_cast<int>(kWindowHeight / (Height(recipient) / lines));
    return Status::Error("the recipient address takes " + std::to_string(lines) +
                         " lines at 85 mm wide; a window envelope shows " + std::to_string(fit));
  }

  // "Our reference: ..." and the date, each when there is one, then a blank line.
  double DrawHeading(double top) {
    std::string heading = reference_line_;
    if (!heading.empty() && !letter_.date_line.empty()) heading += '\n';
    heading += Printable(letter_.date_line, false);
    if (heading.empty()) return top;
    Layout layout = NewLayout(cr_, kFont, heading + "\n", kTextWidth);
    return DrawAt(cr_, layout.get(), kMargin, top);
  }

  void EndPage(int page, int pages) {
    if (page > 1) DrawFooter(cr_, reference_line_, page, pages);
    cairo_show_page(cr_);
  }

  const PostalLetter& letter_;
  cairo_t* cr_;
  const std::string reference_line_;
};

// Cairo's write callback: appends to the std::string at `closure`.
cairo_status_t AppendTo(void* closure, const unsigned char* data, unsigned int length) {
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (...) {  // bad_alloc must not unwind through cairo's C frames
    return CAIRO_STATUS_WRITE_ERROR;
  }
}

}  // namespace

Result<std::string> RenderLetterPdf(const PostalLetter& letter) {
  std::string pdf;
  Surface surface(cairo_pdf_surface_create_for_stream(&AppendTo, &pdf, kPageWidth, kPageHeight),
                  &cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return CairoError(cairo_surface_status(surface.get()));
  }
  // Cairo stamps the current time as the creation date; an empty one leaves it out, so that the
  // same letter always gives the same bytes.
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, "");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "complaintsd");
  const std::string title = Printable(letter.reference, false);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  {
    Context cr(cairo_create(surface.get()), &cairo_destroy);
    Status drawn = LetterRenderer(letter, cr.get()).Render();
    if (!drawn.ok()) return drawn;
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return CairoError(cairo_surface_status(surface.get()));
  }
  return pdf;
}

}  // namespace complaints
