#include "daemon/letters/letter_ocr.h"

#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <tesseract/baseapi.h>

#include <cctype>
#include <cmath>
#include <cstdio>

#include "parsers/mail_parser.h"

namespace complaints {
namespace {

struct PixDeleter {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

size_t Alphanumerics(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += std::isalnum(c) != 0;
  return n;
}

std::string PixelsTooMany(long long w, long long h, const OcrLimits& limits) {
  return "an image of " + std::to_string(w) + " x " + std::to_string(h) +
         " pixels is too large to read (the limit is " +
         std::to_string(limits.max_pixels / 1000000) + " megapixels)";
}

// poppler's grey image to a Leptonica 8-bit image, row by row (their strides differ).
PixPtr ToPix(const poppler::image& image) {
  const int w = image.width();
  const int h = image.height();
  PixPtr pix(pixCreate(w, h, 8));
  if (!pix) return nullptr;
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < h; ++y) {
    const auto* row = reinterpret_cast<const unsigned char*>(image.const_data()) +
                      static_cast<size_t>(y) * static_cast<size_t>(image.bytes_per_row());
    l_uint32* line = data + static_cast<size_t>(y) * static_cast<size_t>(wpl);
    for (int x = 0; x < w; ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  return pix;
}

// Tesseract's mean word confidence on a page read the right way up is 80-95; a page on its side or
// upside down gives 30-60 of garbage.
constexpr int kUprightConfidence = 70;

class TesseractEngine : public OcrEngine {
 public:
  explicit TesseractEngine(const OcrLimits& limits) : limits_(limits) {}
  ~TesseractEngine() override {
    api_.End();
    osd_.End();
  }

  Status Init() {
    // Tesseract writes progress and warnings to stderr by default; the caller reports problems.
    if (api_.Init(nullptr, "eng") != 0) {
      return Status::Error("Tesseract's English data (package tesseract-ocr-eng) cannot be loaded");
    }
    api_.SetPageSegMode(tesseract::PSM_AUTO);
    api_.SetVariable("debug_file", "/dev/null");
    have_osd_ = osd_.Init(nullptr, "osd") == 0;
    if (have_osd_) {
      osd_.SetPageSegMode(tesseract::PSM_OSD_ONLY);
      osd_.SetVariable("debug_file", "/dev/null");
    }
    return Status::Ok();
  }

  Result<DocumentText> Read(const std::string& name, const std::string& bytes) override {
    DocumentText doc;
    doc.file = name;
    doc.type = SniffContentType(bytes);
    if (!have_osd_) {
      doc.warnings.push_back(
          "orientation detection is unavailable (package tesseract-ocr-osd): pages read as they "
          "lie");
    }
    Status s = Status::Ok();
    if (doc.type == "application/pdf") {
      s = ReadPdf(bytes, doc);
    } else if (doc.type == "image/png" || doc.type == "image/jpeg" || doc.type == "image/tiff" ||
               doc.type == "image/gif" || doc.type == "image/bmp") {
      s = ReadImage(bytes, doc);
    } else {
      s = Status::Error("not a PDF or an image (PDF, TIFF, PNG or JPEG)");
    }
    if (!s) return Result<DocumentText>(s);
    if (doc.total_pages > static_cast<int>(doc.pages.size())) {
      doc.warnings.push_back("only the first " + std::to_string(doc.pages.size()) + " of " +
                             std::to_string(doc.total_pages) + " pages were read");
    }
    return doc;
  }

 private:
  Status ReadPdf(const std::string& bytes, DocumentText& doc) {
    std::vector<char> data(bytes.begin(), bytes.end());
    std::unique_ptr<poppler::document> pdf(poppler::document::load_from_data(&data));  // takes data
    if (!pdf) return Status::Error("not a readable PDF (damaged, or not a PDF at all)");
    if (pdf->is_locked()) return Status::Error("the PDF is protected by a password");
    doc.total_pages = pdf->pages();
    if (doc.total_pages <= 0) return Status::Error("the PDF has no pages");
    for (int i = 0; i < doc.total_pages && i < limits_.max_pages; ++i) {
      std::unique_ptr<poppler::page> page(pdf->create_page(i));
      if (!page) {
        doc.warnings.push_back("page " + std::to_string(i + 1) + " could not be opened");
        continue;
      }
      const poppler::byte_array utf8 = page->text().to_utf8();
      std::string text(utf8.begin(), utf8.end());
      if (Alphanumerics(text) >= limits_.min_text_layer_chars) {
        doc.pages.push_back({std::move(text), "text-layer"});
        continue;
      }
      // A scanned page: render it and read it. A page bigger than A4 is rendered at a lower
      // resolution rather than past the pixel limit.
      const poppler::rectf box = page->page_rect();
      const double inches = (box.width() / 72.0) * (box.height() / 72.0);
      double dpi = limits_.dpi;
      if (inches * dpi * dpi > static_cast<double>(limits_.max_pixels)) {
        dpi = std::floor(std::sqrt(static_cast<double>(limits_.max_pixels) / inches));
      }
      if (dpi < 100) {
        return Status::Error("page " + std::to_string(i + 1) + " is too large to read (" +
                             std::to_string(static_cast<int>(box.width())) + " x " +
                             std::to_string(static_cast<int>(box.height())) + " points)");
      }
      poppler::page_renderer renderer;
      renderer.set_image_format(poppler::image::format_gray8);
      renderer.set_render_hints(poppler::page_renderer::antialiasing |
                                poppler::page_renderer::text_antialiasing);
      const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
      if (!image.is_valid()) {
        doc.warnings.push_back("page " + std::to_string(i + 1) + " could not be rendered");
        continue;
      }
      PixPtr pix = ToPix(image);
      if (!pix) return Status::Error("out of memory rendering page " + std::to_string(i + 1));
      doc.pages.push_back(Recognise(pix.get(), static_cast<int>(dpi)));
    }
    return Status::Ok();
  }

  Status ReadImage(const std::string& bytes, DocumentText& doc) {
    const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
    l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    // The header says how big the picture will be before a single pixel is decoded: a small file
    // that would expand to gigabytes (a decompression bomb) is refused here.
    if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0) {
      return Status::Error("the image is damaged (its header cannot be read)");
    }
    if (static_cast<long long>(w) * h > limits_.max_pixels) {
      return Status::Error(PixelsTooMany(w, h, limits_));
    }
    const bool tiff = doc.type == "image/tiff";
    int pages = 1;
    if (tiff) {
      FILE* f = fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb");
      l_int32 n = 0;
      if (f) {
        tiffGetCount(f, &n);
        fclose(f);
      }
      pages = n > 0 ? n : 1;
    }
    doc.total_pages = pages;
    for (int i = 0; i < pages && i < limits_.max_pages; ++i) {
      PixPtr pix(tiff ? pixReadMemTiff(data, bytes.size(), i) : pixReadMem(data, bytes.size()));
      if (!pix) {
        if (i == 0) return Status::Error("the image is damaged (it cannot be decoded)");
        doc.warnings.push_back("page " + std::to_string(i + 1) + " of the TIFF cannot be decoded");
        continue;
      }
      const long long pw = pixGetWidth(pix.get());
      const long long ph = pixGetHeight(pix.get());
      if (pw * ph > limits_.max_pixels) return Status::Error(PixelsTooMany(pw, ph, limits_));
      const int res = pixGetXRes(pix.get());
      doc.pages.push_back(Recognise(pix.get(), res >= 70 && res <= 1200 ? res : limits_.dpi));
    }
    return Status::Ok();
  }

  PageText Recognise(Pix* input, int dpi) {
    PageText page;
    page.method = "ocr";
    PixPtr gray(pixConvertTo8(input, 0));
    if (!gray) return page;
    page = ReadStraightened(gray.get(), dpi);
    // Most pages come the right way up, and Tesseract reads them with confidence. Only a page it
    // reads poorly is asked which way up it is (orientation detection costs a third of a read).
    if (!have_osd_ || page.confidence >= kUprightConfidence) return page;
    osd_.SetImage(gray.get());
    osd_.SetSourceResolution(dpi);
    int degrees = 0;
    float confidence = 0;
    const char* script = nullptr;
    float script_confidence = 0;
    // Tesseract says how far the page is turned clockwise; turning it back the rest of the way
    // round makes it upright. Below a confidence of 2 the guess is noise.
    const bool turned =
        osd_.DetectOrientationScript(&degrees, &confidence, &script, &script_confidence) &&
        confidence >= 2.0F && degrees % 360 != 0;
    osd_.Clear();
    if (!turned) return page;
    const int quarters = ((360 - degrees) / 90) % 4;
    PixPtr upright(pixRotateOrth(gray.get(), quarters));
    if (!upright) return page;
    PageText turned_page = ReadStraightened(upright.get(), dpi);
    turned_page.rotated_degrees = quarters * 90;
    return turned_page.confidence > page.confidence ? turned_page : page;
  }

  // Straightening a page turned by a degree or more always helps. Below that Tesseract copes with
  // the skew itself and the resampling can cost more than it gains (on the public scans it helped
  // one page and hurt another), so both are read and the surer reading kept; below 0.3 degrees
  // the page is read as it is.
  PageText ReadStraightened(Pix* gray, int dpi) {
    PageText page;
    page.method = "ocr";
    l_float32 angle = 0;
    l_float32 skew_confidence = 0;
    PixPtr straight(pixFindSkewAndDeskew(gray, 0, &angle, &skew_confidence));
    if (!straight || straight.get() == gray || std::abs(angle) < 0.3F) {
      Ocr(gray, dpi, page);
      return page;
    }
    Ocr(straight.get(), dpi, page);
    page.skew_degrees = angle;
    if (std::abs(angle) < 1.0F) {
      PageText as_scanned;
      as_scanned.method = "ocr";
      Ocr(gray, dpi, as_scanned);
      if (as_scanned.confidence > page.confidence) page = std::move(as_scanned);
    }
    return page;
  }

  void Ocr(Pix* pix, int dpi, PageText& page) {
    api_.SetImage(pix);
    api_.SetSourceResolution(dpi);
    std::unique_ptr<char[]> text(api_.GetUTF8Text());
    page.text = text ? text.get() : "";
    page.confidence = api_.MeanTextConf();
    api_.Clear();
  }

  OcrLimits limits_;
  tesseract::TessBaseAPI api_;
  tesseract::TessBaseAPI osd_;
  bool have_osd_ = false;
};

}  // namespace

Result<std::unique_ptr<OcrEngine>> OcrEngine::Create(const OcrLimits& limits) {
  auto engine = std::make_unique<TesseractEngine>(limits);
  if (Status s = engine->Init(); !s) return Result<std::unique_ptr<OcrEngine>>(s);
  return std::unique_ptr<OcrEngine>(std::move(engine));
}

}  // namespace complaints
