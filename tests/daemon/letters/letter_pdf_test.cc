#include "daemon/letters/letter_pdf.h"

#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <cstdio>
#include <memory>

namespace complaints {
namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;

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

std::string AllText(const poppler::document& doc) {
  std::string text;
  for (int i = 0; i < doc.pages(); ++i) text += PageText(doc, i) + "\n";
  return text;
}

class LetterPdfTest : public ::testing::Test {
 protected:
  static PostalLetter Letter() {
    PostalLetter letter;
    letter.sender_lines = {"Westway Housing Association", "1 Canal Street", "Leeds", "LS1 4AB"};
    letter.recipient_lines = {"Mrs Jo Bloggs", "Flat 3, 12 Mill Lane", "Bramley", "Leeds",
                              "LS13 2QT"};
    letter.date_line = "Friday 4 December 2026";
    letter.reference = "WW-2026-00042";
    letter.body =
        "Dear Mrs Bloggs,\n\nThank you for your letter about the damp in your kitchen.\n\n"
        "Yours sincerely,\nComplaints Team";
    return letter;
  }

  // Paragraphs "para-001 ..." to "para-<n> ...", each a few lines long.
  static std::string LongBody(int paragraphs) {
    std::string body;
    for (int i = 1; i <= paragraphs; ++i) {
      char tag[16];
      std::snprintf(tag, sizeof tag, "para-%03d", i);
      body += std::string(tag) + " We have looked into the repair you reported and we will write " +
              "again when the contractor has visited your home and the work is finished.\n\n";
    }
    return body;
  }

  static std::unique_ptr<poppler::document> Render(const PostalLetter& letter) {
    Result<std::string> pdf = RenderLetterPdf(letter);
    EXPECT_TRUE(pdf.ok()) << pdf.error();
    if (!pdf.ok()) return nullptr;
    EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
    auto doc = Load(*pdf);
    EXPECT_NE(doc, nullptr);
    return doc;
  }
};

TEST_F(LetterPdfTest, ShortLetterIsOneA4Page) {
  auto doc = Render(Letter());
  ASSERT_NE(doc, nullptr);
  ASSERT_EQ(doc->pages(), 1);
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  EXPECT_NEAR(page->page_rect().width(), 210 * kPointsPerMm, 0.5);
  EXPECT_NEAR(page->page_rect().height(), 297 * kPointsPerMm, 0.5);
  EXPECT_EQ(PageText(*doc, 0).find("Page "), std::string::npos);
}

TEST_F(LetterPdfTest, AddressesReferenceAndDateAreInTheTextLayer) {
  auto doc = Render(Letter());
  ASSERT_NE(doc, nullptr);
  const std::string text = PageText(*doc, 0);
  for (const std::string& line : Letter().recipient_lines)
    EXPECT_NE(text.find(line), std::string::npos) << line;
  EXPECT_NE(text.find("Westway Housing Association"), std::string::npos);
  EXPECT_NE(text.find("Our reference: WW-2026-00042"), std::string::npos);
  EXPECT_NE(text.find("Friday 4 December 2026"), std::string::npos);
  EXPECT_NE(text.find("damp in your kitchen"), std::string::npos);
}

TEST_F(LetterPdfTest, RecipientSitsInTheEnvelopeWindow) {
  auto doc = Render(Letter());
  ASSERT_NE(doc, nullptr);
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  std::vector<poppler::rectf> first_line;  // "Mrs" (the first is the address; the body has one)
  std::vector<poppler::rectf> postcode;
  for (const poppler::text_box& box : page->text_list()) {
    const poppler::byte_array bytes = box.text().to_utf8();
    const std::string word(bytes.begin(), bytes.end());
    if (word == "Mrs") first_line.push_back(box.bbox());
    if (word == "LS13") postcode.push_back(box.bbox());
  }
  ASSERT_FALSE(first_line.empty());
  ASSERT_EQ(postcode.size(), 1u);
  // Page coordinates from the top left, in points.
  EXPECT_NEAR(first_line[0].left(), 20 * kPointsPerMm, 1.0);
  EXPECT_GE(first_line[0].top(), 45 * kPointsPerMm);
  EXPECT_LE(first_line[0].top(), 55 * kPointsPerMm);
  EXPECT_NEAR(postcode[0].left(), 20 * kPointsPerMm, 1.0);
  EXPECT_LE(postcode[0].bottom(), 85 * kPointsPerMm);
}

TEST_F(LetterPdfTest, LongBodyFlowsOntoNumberedPagesLosingNothing) {
  PostalLetter letter = Letter();
  letter.body = LongBody(40);
  auto doc = Render(letter);
  ASSERT_NE(doc, nullptr);
  const int pages = doc->pages();
  ASSERT_GE(pages, 3);
  EXPECT_EQ(PageText(*doc, 0).find("Page 1 of"), std::string::npos);
  for (int i = 1; i < pages; ++i) {
    const std::string number = "Page " + std::to_string(i + 1) + " of " + std::to_string(pages);
    EXPECT_NE(PageText(*doc, i).find(number), std::string::npos) << number;
  }
  const std::string text = AllText(*doc);
  size_t at = 0;
  for (int i = 1; i <= 40; ++i) {
    char tag[16];
    std::snprintf(tag, sizeof tag, "para-%03d", i);
    const size_t found = text.find(tag, at);
    ASSERT_NE(found, std::string::npos) << tag << " missing or out of order";
    EXPECT_EQ(text.find(tag, found + 1), std::string::npos) << tag << " twice";
    at = found;
  }
}

TEST_F(LetterPdfTest, PageCountGrowsWithTheBody) {
  PostalLetter letter = Letter();
  letter.body = LongBody(20);
  auto shorter = Render(letter);
  letter.body = LongBody(80);
  auto longer = Render(letter);
  ASSERT_NE(shorter, nullptr);
  ASSERT_NE(longer, nullptr);
  EXPECT_GE(shorter->pages(), 2);
  EXPECT_GT(longer->pages(), shorter->pages() + 2);
}

TEST_F(LetterPdfTest, MarkupCharactersPrintAsTheyAre) {
  PostalLetter letter = Letter();
  letter.recipient_lines[0] = "Jo <b>Bloggs</b> & Sons";
  letter.body = "Dear <b>&amp; <span foreground=\"red\">friend</span>,\n\nA < B & C > D.";
  auto doc = Render(letter);
  ASSERT_NE(doc, nullptr);
  const std::string text = PageText(*doc, 0);
  EXPECT_NE(text.find("Jo <b>Bloggs</b> & Sons"), std::string::npos) << text;
  EXPECT_NE(text.find("<b>&amp;"), std::string::npos) << text;
  EXPECT_NE(text.find("<span foreground=\"red\">friend</span>"), std::string::npos) << text;
  EXPECT_NE(text.find("A < B & C > D."), std::string::npos) << text;
}

TEST_F(LetterPdfTest, Utf8NamesSurvive) {
  PostalLetter letter = Letter();
  letter.recipient_lines[0] = "Zoë Ó'Brien";
  letter.body = "Dear Zoë Ó'Brien,\n\nŁódź, café, “quoted” — £25.";
  auto doc = Render(letter);
  ASSERT_NE(doc, nullptr);
  const std::string text = PageText(*doc, 0);
  EXPECT_NE(text.find("Zoë Ó'Brien"), std::string::npos) << text;
  EXPECT_NE(text.find("Łódź, café"), std::string::npos) << text;
  EXPECT_NE(text.find("£25"), std::string::npos) << text;
}

TEST_F(LetterPdfTest, LineBreaksInsideAParagraphAreKept) {
  PostalLetter letter = Letter();
  letter.body = "Yours sincerely,\nComplaints Team";
  auto doc = Render(letter);
  ASSERT_NE(doc, nullptr);
  const std::string text = PageText(*doc, 0);
  EXPECT_NE(text.find("Yours sincerely,"), std::string::npos);
  EXPECT_EQ(text.find("sincerely, Complaints"), std::string::npos) << text;
  EXPECT_GT(text.find("Complaints Team"), text.find("Yours sincerely,"));
}

TEST_F(LetterPdfTest, EmbedsDejaVuSans) {
  Result<std::string> pdf = RenderLetterPdf(Letter());
  ASSERT_TRUE(pdf.ok());
  auto doc = Load(*pdf);
  ASSERT_NE(doc, nullptr);
  const std::vector<poppler::font_info> fonts = doc->fonts();
  ASSERT_FALSE(fonts.empty());
  for (const poppler::font_info& font : fonts) {
    EXPECT_NE(font.name().find("DejaVuSans"), std::string::npos) << font.name();
    EXPECT_TRUE(font.is_embedded()) << font.name();
  }
}

TEST_F(LetterPdfTest, SameLetterGivesTheSameBytes) {
  Result<std::string> first = RenderLetterPdf(Letter());
  Result<std::string> second = RenderLetterPdf(Letter());
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(first->find("/CreationDate"), std::string::npos);
}

TEST_F(LetterPdfTest, ControlCharactersAndBadUtf8DoNotStopTheLetter) {
  PostalLetter letter = Letter();
  letter.recipient_lines[0] = "Jo\r\nBloggs\x01";
  letter.body = "Dear Jo,\r\n\r\nbad \xff\xfe bytes\x0c here.";
  auto doc = Render(letter);
  ASSERT_NE(doc, nullptr);
  const std::string text = PageText(*doc, 0);
  EXPECT_NE(text.find("Jo Bloggs"), std::string::npos) << text;
  EXPECT_NE(text.find("bad \uFFFD\uFFFD bytes"), std::string::npos) << text;
  EXPECT_NE(text.find("here."), std::string::npos) << text;
}

TEST_F(LetterPdfTest, NoRecipientAddressIsAnError) {
  PostalLetter letter = Letter();
  letter.recipient_lines = {"", " "};
  Result<std::string> pdf = RenderLetterPdf(letter);
  ASSERT_FALSE(pdf.ok());
  EXPECT_NE(pdf.error().find("no recipient address"), std::string::npos) << pdf.error();
}

TEST_F(LetterPdfTest, AddressTooLongForTheWindowIsAnError) {
  PostalLetter letter = Letter();
  for (int i = 0; i < 5; ++i) letter.recipient_lines.push_back("Another line " + std::to_string(i));
  Result<std::string> pdf = RenderLetterPdf(letter);
  ASSERT_FALSE(pdf.ok());
  EXPECT_NE(pdf.error().find("takes 10 lines"), std::string::npos) << pdf.error();

  letter.recipient_lines.resize(7);  // the most a UK address needs still fits
  EXPECT_TRUE(RenderLetterPdf(letter).ok());
}

}  // namespace
}  // namespace complaints
