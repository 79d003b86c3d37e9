// The text of a scanned or typed letter: a PDF's own text layer when it has one (poppler), else OCR
// (Tesseract, English) of each page at 300 dpi after its orientation and skew are corrected
// (Tesseract's orientation detection, Leptonica's deskew). TIFF, PNG and JPEG scans are OCRed; a
// multi-page TIFF or PDF is read page by page, in order.
//
// This code reads files from strangers with large C libraries, so the daemon never runs it in its
// own process: it runs in `complaintsd-letter` (letter_helper_main.cc) under time and memory
// limits, and the daemon reads its JSON (daemon/letter_reader.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "parsers/result.h"

namespace complaints {

struct OcrLimits {
  int dpi = 300;
  int max_pages = 20;                // pages read per file; the rest are counted, not read
  long long max_pixels = 150000000;  // per page image: beyond it a file is refused (a bomb)
  size_t min_text_layer_chars = 40;  // fewer letters and digits on a PDF page: OCR it instead
};

struct PageText {
  std::string text;
  std::string method;       // "text-layer" | "ocr"
  int rotated_degrees = 0;  // clockwise turn applied to make the page upright (OCR only)
  double skew_degrees = 0;  // skew corrected (OCR only)
  int confidence = -1;      // Tesseract's mean word confidence, 0-100 (OCR only)
};

struct DocumentText {
  std::string file;  // the name it came with
  std::string type;  // "application/pdf", "image/tiff", ...
  int total_pages = 0;
  std::vector<PageText> pages;        // the pages read, in order
  std::vector<std::string> warnings;  // "only the first 20 of 200 pages were read", ...
};

// One Tesseract engine, loaded once and used for every page.
class OcrEngine {
 public:
  // An error when Tesseract or its English data cannot be loaded. Orientation detection needs
  // the "osd" data too; without it pages are read as they come, with a warning.
  static Result<std::unique_ptr<OcrEngine>> Create(const OcrLimits& limits);
  virtual ~OcrEngine() = default;
  // Reads one file. An error value names what is wrong with the file ("not a PDF or image",
  // "encrypted PDF", "image of 60000 x 60000 pixels is too large", ...).
  virtual Result<DocumentText> Read(const std::string& name, const std::string& bytes) = 0;
};

}  // namespace complaints
