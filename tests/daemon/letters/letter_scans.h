// Letters as residents' post reaches us, made on the fly for the OCR and letter tests: a typed
// letter as a word processor's PDF (with a text layer), and the same page as a scanner or a phone
// makes it (an image only: PNG, JPEG, multi-page TIFF, image-only PDF), skewed, turned or specked.
//
// Every page is typed the same way: DejaVu Serif 11pt on A4 with 25 mm margins, black on a
// slightly off-white paper (grey 245), so a test can compare what OCR reads with what was typed.
// The output is deterministic (speckle uses a fixed seed). Test-only: a failure of cairo or
// leptonica gives an empty string, which the test reading it then fails on.
#pragma once

#include <string>
#include <vector>

namespace complaints::testing {

// Text PDF: each string is one page of a typed letter (a real text layer, as a word processor
// makes). A page's text that runs past the bottom margin ends in an ellipsis.
std::string TextLetterPdf(const std::vector<std::string>& pages);

struct ScanOptions {
  int dpi = 300;            // A4 at 300 dpi is 2480 x 3508 pixels
  double skew_degrees = 0;  // small, e.g. 2.5; positive turns the page clockwise; white fill
  int quarter_turns = 0;    // then this many 90-degree clockwise turns (fed sideways: 1 or 3)
  bool speckle = false;     // dust and toner specks all over the page
};

// One page as a grey 8-bit image, with its resolution recorded in the file.
std::string ScanPng(const std::string& page, const ScanOptions& options = {});
std::string ScanJpeg(const std::string& page, const ScanOptions& options = {});
// Multi-page TIFF, deflate-compressed grey.
std::string ScanTiff(const std::vector<std::string>& pages, const ScanOptions& options = {});
// Image-only PDF, as a scanner makes: no text layer, each page one JPEG image at `dpi` filling an
// A4 page (landscape when turned sideways).
std::string ScanPdf(const std::vector<std::string>& pages, const ScanOptions& options = {});

// Text PDF of `pages` short pages reading "Page 1", "Page 2", ...: for page-limit tests.
std::string ManyPagePdf(int pages);

// Character error rate of `read` against `truth`: their edit distance over the truth's length,
// both compared as words only, lower case, single spaces. For OCR tests and bench/ocr.
double CharacterErrorRate(const std::string& truth, const std::string& read);

}  // namespace complaints::testing
