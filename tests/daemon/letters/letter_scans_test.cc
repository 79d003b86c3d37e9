#include "tests/daemon/letters/letter_scans.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <algorithm>
#include <memory>

namespace complaints {
namespace {

using testing::ScanOptions;

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr char kLetter[] =
    "Dear Sir or Madam,\n\nI am writing to complain about the damp in my kitchen.\n\n"
    "Yours faithfully,\nJo Bloggs";

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;
struct PixaDeleter {
  void operator()(Pixa* pixa) const { pixaDestroy(&pixa); }
};
using PixaPtr = std::unique_ptr<Pixa, PixaDeleter>;

PixPtr Read(const std::string& image) {
  return PixPtr(pixReadMem(reinterpret_cast<const l_uint8*>(image.data()), image.size()));
}

// A copy that the document owns: load_from_raw_data would keep pointing into `pdf`.
std::unique_ptr<poppler::document> Load(const std::string& pdf) {
  poppler::byte_array bytes(pdf.begin(), pdf.end());
  return std::unique_ptr<poppler::document>(poppler::document::load_from_data(&bytes));
}

std::string PageText(const poppler::document& doc, int index) {
  std::unique_ptr<poppler::page> page(doc.create_page(index));
  const poppler::byte_array bytes = page->text().to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// The smallest box holding every pixel darker than mid-grey, in the image's own coordinates.
struct InkBox {
  int left = 1 << 30, top = 1 << 30, right = -1, bottom = -1;
  int count = 0;
};

InkBox Ink(Pix* pix, int x0, int y0, int x1, int y1) {
  InkBox box;
  const l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      if (l_getDataByte(data + y * wpl, x) >= 128) continue;
      ++box.count;
      box.left = std::min(box.left, x);
      box.right = std::max(box.right, x);
      box.top = std::min(box.top, y);
      box.bottom = std::max(box.bottom, y);
    }
  }
  return box;
}

InkBox Ink(Pix* pix) { return Ink(pix, 0, 0, pixGetWidth(pix), pixGetHeight(pix)); }

int Grey(Pix* pix, int x, int y) {
  l_uint32 value = 0;
  pixGetPixel(pix, x, y, &value);
  return static_cast<int>(value);
}

class LetterScansTest : public ::testing::Test {};

TEST_F(LetterScansTest, PngIsGreyA4At300DpiWithTheTextInsideTheMargins) {
  PixPtr pix = Read(testing::ScanPng(kLetter));
  ASSERT_NE(pix, nullptr);
  EXPECT_EQ(pixGetWidth(pix.get()), 2480);
  EXPECT_EQ(pixGetHeight(pix.get()), 3508);
  EXPECT_EQ(pixGetDepth(pix.get()), 8);
  EXPECT_EQ(pixGetXRes(pix.get()), 300);
  EXPECT_EQ(Grey(pix.get(), 5, 5), 245);  // off-white paper
  const InkBox ink = Ink(pix.get());
  EXPECT_GT(ink.count, 2000);
  EXPECT_NEAR(ink.left, 295, 10);  // 25 mm at 300 dpi
  EXPECT_NEAR(ink.top, 295, 40);   // 25 mm, then the first line's ascent
  EXPECT_LT(ink.bottom, 3508 / 3);
}

TEST_F(LetterScansTest, ResolutionFollowsDpi) {
  PixPtr pix = Read(testing::ScanPng(kLetter, {.dpi = 150}));
  ASSERT_NE(pix, nullptr);
  EXPECT_EQ(pixGetWidth(pix.get()), 1240);
  EXPECT_EQ(pixGetHeight(pix.get()), 1754);
}

TEST_F(LetterScansTest, QuarterTurnsAreClockwiseAndSwapTheSides) {
  PixPtr right = Read(testing::ScanPng(kLetter, {.quarter_turns = 1}));
  PixPtr upside_down = Read(testing::ScanPng(kLetter, {.quarter_turns = 2}));
  PixPtr left = Read(testing::ScanPng(kLetter, {.quarter_turns = 3}));
  ASSERT_NE(right, nullptr);
  ASSERT_NE(upside_down, nullptr);
  ASSERT_NE(left, nullptr);
  EXPECT_EQ(pixGetWidth(right.get()), 3508);
  EXPECT_EQ(pixGetHeight(right.get()), 2480);
  EXPECT_EQ(pixGetWidth(upside_down.get()), 2480);
  EXPECT_EQ(pixGetHeight(upside_down.get()), 3508);
  EXPECT_EQ(pixGetWidth(left.get()), 3508);
  EXPECT_EQ(pixGetHeight(left.get()), 2480);
  // The letter's text sits at the top of the page: after a clockwise turn, at the right.
  EXPECT_GT(Ink(right.get()).left, 3508 * 2 / 3);
  EXPECT_GT(Ink(upside_down.get()).top, 3508 * 2 / 3);
  EXPECT_LT(Ink(left.get()).right, 3508 / 3);
}

TEST_F(LetterScansTest, SkewKeepsTheSizeAndBringsInWhiteCorners) {
  PixPtr straight = Read(testing::ScanPng(kLetter));
  PixPtr skewed = Read(testing::ScanPng(kLetter, {.skew_degrees = 2.5}));
  ASSERT_NE(skewed, nullptr);
  EXPECT_EQ(pixGetWidth(skewed.get()), 2480);
  EXPECT_EQ(pixGetHeight(skewed.get()), 3508);
  EXPECT_EQ(Grey(skewed.get(), 2, 2), 255);
  EXPECT_EQ(Grey(skewed.get(), 2477, 3505), 255);
  // Clockwise: the right-hand end of the long line drops relative to the left-hand text.
  auto drop = [](Pix* pix) {
    return Ink(pix, 1500, 0, 2000, 3508).top - Ink(pix, 300, 0, 800, 3508).top;
  };
  EXPECT_GT(drop(skewed.get()), drop(straight.get()) + 30);
}

TEST_F(LetterScansTest, SpeckleDirtiesThePaperTheSameWayEachTime) {
  PixPtr clean = Read(testing::ScanPng(kLetter));
  PixPtr specked = Read(testing::ScanPng(kLetter, {.speckle = true}));
  ASSERT_NE(specked, nullptr);
  const int bottom_half = 3508 / 2;  // below the short letter's text
  EXPECT_EQ(Ink(clean.get(), 0, bottom_half, 2480, 3508).count, 0);
  EXPECT_GT(Ink(specked.get(), 0, bottom_half, 2480, 3508).count, 300);
  EXPECT_EQ(testing::ScanPng(kLetter, {.speckle = true}),
            testing::ScanPng(kLetter, {.speckle = true}));
}

TEST_F(LetterScansTest, JpegReadsBackAtA4) {
  const std::string jpeg = testing::ScanJpeg(kLetter, {.quarter_turns = 1});
  ASSERT_GT(jpeg.size(), 2u);
  EXPECT_EQ(jpeg.substr(0, 2), "\xff\xd8");
  PixPtr pix = Read(jpeg);
  ASSERT_NE(pix, nullptr);
  EXPECT_EQ(pixGetWidth(pix.get()), 3508);
  EXPECT_EQ(pixGetHeight(pix.get()), 2480);
  EXPECT_GT(Ink(pix.get()).count, 2000);
}

TEST_F(LetterScansTest, TiffHoldsEveryPage) {
  const std::string tiff = testing::ScanTiff({kLetter, "Page two", "Page three"});
  ASSERT_GT(tiff.size(), 4u);
  EXPECT_TRUE(tiff.substr(0, 4) == std::string("II*\0", 4) || tiff.substr(0, 4) == "MM\0*");
  PixaPtr pages(
      pixaReadMemMultipageTiff(reinterpret_cast<const l_uint8*>(tiff.data()), tiff.size()));
  ASSERT_NE(pages, nullptr);
  ASSERT_EQ(pixaGetCount(pages.get()), 3);
  for (int i = 0; i < 3; ++i) {
    PixPtr page(pixaGetPix(pages.get(), i, L_CLONE));
    EXPECT_EQ(pixGetWidth(page.get()), 2480);
    EXPECT_EQ(pixGetHeight(page.get()), 3508);
    EXPECT_GT(Ink(page.get()).count, 200);
  }
}

TEST_F(LetterScansTest, ScanPdfIsImagesOnlyAtA4) {
  const std::string pdf = testing::ScanPdf({kLetter, "Page two"}, {.skew_degrees = 1.5});
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  auto doc = Load(pdf);
  ASSERT_NE(doc, nullptr);
  ASSERT_EQ(doc->pages(), 2);
  EXPECT_TRUE(doc->fonts().empty());
  for (int i = 0; i < 2; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    EXPECT_NEAR(page->page_rect().width(), 210 * kPointsPerMm, 1.0);
    EXPECT_NEAR(page->page_rect().height(), 297 * kPointsPerMm, 1.0);
    EXPECT_EQ(PageText(*doc, i).find_first_not_of(" \n\r\t\f"), std::string::npos);
  }
  EXPECT_NE(pdf.find("/DCTDecode"), std::string::npos);
}

TEST_F(LetterScansTest, TextLetterPdfHasATextLayer) {
  const std::string pdf = testing::TextLetterPdf({kLetter, "Page two: Zoë Ó'Brien & <b>"});
  auto doc = Load(pdf);
  ASSERT_NE(doc, nullptr);
  ASSERT_EQ(doc->pages(), 2);
  EXPECT_NE(PageText(*doc, 0).find("damp in my kitchen"), std::string::npos);
  EXPECT_NE(PageText(*doc, 1).find("Zoë Ó'Brien & <b>"), std::string::npos);
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  EXPECT_NEAR(page->page_rect().width(), 210 * kPointsPerMm, 0.5);
}

TEST_F(LetterScansTest, ManyPagePdfNumbersItsPages) {
  auto doc = Load(testing::ManyPagePdf(50));
  ASSERT_NE(doc, nullptr);
  ASSERT_EQ(doc->pages(), 50);
  EXPECT_NE(PageText(*doc, 36).find("Page 37"), std::string::npos);
}

}  // namespace
}  // namespace complaints
