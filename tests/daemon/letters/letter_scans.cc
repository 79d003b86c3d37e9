#include "tests/daemon/letters/letter_scans.h"

#include <cairo-pdf.h>
#include <leptonica/allheaders.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <numbers>
#include <random>
#include <vector>

namespace complaints::testing {
namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kPageWidth = 210 * kPointsPerMm;  // A4, in points
constexpr double kPageHeight = 297 * kPointsPerMm;
constexpr double kMargin = 25 * kPointsPerMm;
constexpr char kFont[] = "DejaVu Serif 11";
constexpr int kPaperGrey = 245;  // slightly off-white, as scanned paper is
constexpr int kJpegQuality = 85;

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;
struct PixaDeleter {
  void operator()(Pixa* pixa) const { pixaDestroy(&pixa); }
};
using PixaPtr = std::unique_ptr<Pixa, PixaDeleter>;

// Types `text` onto the page in `cr`, whose device units are `dpi` to the inch. Pango works at
// that resolution rather than under a scaled cairo matrix, which shrinks its blank lines.
void TypePage(cairo_t* cr, const std::string& text, double dpi) {
  const double scale = dpi / 72;  // device units per point
  std::unique_ptr<PangoLayout, decltype(&g_object_unref)> layout(pango_cairo_create_layout(cr),
                                                                 &g_object_unref);
  pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), dpi);
  pango_layout_context_changed(layout.get());
  std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> font(
      pango_font_description_from_string(kFont), &pango_font_description_free);
  pango_layout_set_font_description(layout.get(), font.get());
  pango_layout_set_width(layout.get(), pango_units_from_double((kPageWidth - 2 * kMargin) * scale));
  // What does not fit above the bottom margin ends in an ellipsis.
  pango_layout_set_height(layout.get(),
                          pango_units_from_double((kPageHeight - 2 * kMargin) * scale));
  pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  cairo_move_to(cr, kMargin * scale, kMargin * scale);
  pango_cairo_show_layout(cr, layout.get());
}

cairo_status_t AppendTo(void* closure, const unsigned char* data, unsigned int length) {
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (...) {  // nothing may unwind through cairo's C frames
    return CAIRO_STATUS_WRITE_ERROR;
  }
}

// The bytes leptonica allocated, copied into a string and freed; empty when it `failed`.
std::string Take(l_ok failed, l_uint8* data, size_t size) {
  std::string out;
  if (failed == 0 && data != nullptr) out.assign(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

// The page typed on paper and seen at `dpi`: black text, anti-aliased, on kPaperGrey.
PixPtr Photograph(const std::string& text, int dpi) {
  const int width = static_cast<int>(std::lround(210 / 25.4 * dpi));
  const int height = static_cast<int>(std::lround(297 / 25.4 * dpi));
  // Cairo draws the ink as coverage in an alpha-only surface; that maps straight onto grey.
  Surface ink(cairo_image_surface_create(CAIRO_FORMAT_A8, width, height), &cairo_surface_destroy);
  {
    Context cr(cairo_create(ink.get()), &cairo_destroy);
    TypePage(cr.get(), text, dpi);
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) return nullptr;
  }
  cairo_surface_flush(ink.get());
  const unsigned char* coverage = cairo_image_surface_get_data(ink.get());
  const int stride = cairo_image_surface_get_stride(ink.get());
  PixPtr pix(pixCreate(width, height, 8));
  for (int y = 0; y < height; ++y) {
    l_uint32* row = pixGetData(pix.get()) + y * pixGetWpl(pix.get());
    for (int x = 0; x < width; ++x) {
      l_setDataByte(row, x, kPaperGrey - coverage[y * stride + x] * kPaperGrey / 255);
    }
  }
  pixSetResolution(pix.get(), dpi, dpi);
  return pix;
}

// Dark specks of one to three pixels across, about one per square centimetre.
void Speckle(Pix* pix, int dpi) {
  const int width = pixGetWidth(pix);
  const int height = pixGetHeight(pix);
  const double pixels_per_cm = dpi / 2.54;
  const int specks = static_cast<int>(width * height / (pixels_per_cm * pixels_per_cm));
  std::mt19937 random(20261204);
  std::uniform_int_distribution<int> x_of(0, width - 1), y_of(0, height - 1), size_of(1, 3),
      grey_of(0, 90);
  for (int i = 0; i < specks; ++i) {
    const int x = x_of(random), y = y_of(random), size = size_of(random), grey = grey_of(random);
    for (int dy = 0; dy < size && y + dy < height; ++dy) {
      for (int dx = 0; dx < size && x + dx < width; ++dx) pixSetPixel(pix, x + dx, y + dy, grey);
    }
  }
}

PixPtr Scan(const std::string& page, const ScanOptions& options) {
  PixPtr pix = Photograph(page, options.dpi);
  if (pix == nullptr) return nullptr;
  if (options.skew_degrees != 0) {
    // Same size out: the corners that turn off the glass are lost, white comes in.
    pix.reset(pixRotate(pix.get(), options.skew_degrees * std::numbers::pi / 180, L_ROTATE_AREA_MAP,
                        L_BRING_IN_WHITE, 0, 0));
  }
  if (const int quads = (options.quarter_turns % 4 + 4) % 4; quads != 0) {
    pix.reset(pixRotateOrth(pix.get(), quads));
  }
  if (pix == nullptr) return nullptr;
  if (options.speckle) Speckle(pix.get(), options.dpi);
  pixSetResolution(pix.get(), options.dpi, options.dpi);
  return pix;
}

PixaPtr ScanAll(const std::vector<std::string>& pages, const ScanOptions& options) {
  PixaPtr pixa(pixaCreate(static_cast<l_int32>(pages.size())));
  for (const std::string& page : pages) {
    PixPtr pix = Scan(page, options);
    if (pix == nullptr) return nullptr;
    pixaAddPix(pixa.get(), pix.release(), L_INSERT);
  }
  return pixa;
}

}  // namespace

std::string TextLetterPdf(const std::vector<std::string>& pages) {
  std::string pdf;
  Surface surface(cairo_pdf_surface_create_for_stream(&AppendTo, &pdf, kPageWidth, kPageHeight),
                  &cairo_surface_destroy);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, "");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Writer");
  {
    Context cr(cairo_create(surface.get()), &cairo_destroy);
    for (const std::string& page : pages) {
      TypePage(cr.get(), page, 72);
      cairo_show_page(cr.get());
    }
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) return {};
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return {};
  return pdf;
}

std::string ScanPng(const std::string& page, const ScanOptions& options) {
  PixPtr pix = Scan(page, options);
  if (pix == nullptr) return {};
  l_uint8* data = nullptr;
  size_t size = 0;
  const l_ok failed = pixWriteMem(&data, &size, pix.get(), IFF_PNG);
  return Take(failed, data, size);
}

std::string ScanJpeg(const std::string& page, const ScanOptions& options) {
  PixPtr pix = Scan(page, options);
  if (pix == nullptr) return {};
  l_uint8* data = nullptr;
  size_t size = 0;
  const l_ok failed = pixWriteMemJpeg(&data, &size, pix.get(), kJpegQuality, 0);
  return Take(failed, data, size);
}

std::string ScanTiff(const std::vector<std::string>& pages, const ScanOptions& options) {
  PixaPtr pixa = ScanAll(pages, options);
  if (pixa == nullptr) return {};
  l_uint8* data = nullptr;
  size_t size = 0;
  // Leptonica writes 1-bit pages as G4 and grey ones, as these are, with deflate.
  const l_ok failed = pixaWriteMemMultipageTiff(&data, &size, pixa.get());
  return Take(failed, data, size);
}

std::string ScanPdf(const std::vector<std::string>& pages, const ScanOptions& options) {
  PixaPtr pixa = ScanAll(pages, options);
  if (pixa == nullptr) return {};
  l_uint8* data = nullptr;
  size_t size = 0;
  // At res = dpi each image fills exactly the paper it was scanned from.
  const l_ok failed = pixaConvertToPdfData(pixa.get(), options.dpi, 1.0, L_JPEG_ENCODE,
                                           kJpegQuality, "Scanned letter", &data, &size);
  return Take(failed, data, size);
}

std::string ManyPagePdf(int pages) {
  std::vector<std::string> texts;
  for (int i = 1; i <= pages; ++i) texts.push_back("Page " + std::to_string(i));
  return TextLetterPdf(texts);
}

namespace {

// Words only, lower case, single spaces.
std::string Normalise(const std::string& text) {
  std::string out;
  bool space = true;
  for (unsigned char c : text) {
    if (std::isspace(c)) {
      if (!space) out += ' ';
      space = true;
    } else {
      out += static_cast<char>(std::tolower(c));
      space = false;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

double CharacterErrorRate(const std::string& truth, const std::string& read) {
  const std::string a = Normalise(truth);
  const std::string b = Normalise(read);
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return a.empty() ? 0 : static_cast<double>(prev[b.size()]) / static_cast<double>(a.size());
}

}  // namespace complaints::testing
