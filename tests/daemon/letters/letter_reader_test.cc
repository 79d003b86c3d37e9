// The letter reader end to end: letters the tests make (typed PDFs and scans, skewed, turned, two
// pages, several files), hostile files (a damaged PDF, a decompression bomb, 200 pages, a reader
// that hangs or crashes), and the public scans in ../shared/corpora/ocr against the `tesseract`
// command on the same files.
#include "daemon/letters/letter_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon/base/subprocess.h"
#include "daemon/ctl/commands.h"
#include "tests/daemon/letters/letter_scans.h"

namespace complaints {
namespace {

const char kPage1[] =
    "14 Acacia Avenue\nLeeds\nLS6 2QT\n\n12 November 2026\n\nDear Sir or Madam,\n\n"
    "I am writing to complain about the damp in my bedroom. I reported it three times since "
    "August and nobody has come to look at it.\n\nYours faithfully,\n\nMargaret Hughes";
const char kPage2[] =
    "Page two. The mould has now spread to the wardrobe and my grandson's asthma is worse.\n"
    "Please send someone this week.";

LetterReaderSettings Settings() {
  LetterReaderSettings s;
  s.helper = DefaultLetterHelper();
  s.timeout = std::chrono::seconds{120};
  return s;
}

Result<LetterReading> ReadFiles(const std::vector<ScanFile>& files,
                                LetterReaderSettings settings = Settings()) {
  return ChildLetterReader(settings).Read(files);
}

TEST(LetterReaderTest, ATypedPdfIsReadFromItsTextLayer) {
  auto r = ReadFiles({{"letter.pdf", testing::TextLetterPdf({kPage1})}});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->Method(), "text-layer");
  EXPECT_EQ(r->Pages(), 1);
  EXPECT_LT(testing::CharacterErrorRate(kPage1, r->Text()), 0.01) << r->Text();
  EXPECT_EQ(r->documents[0].file, "letter.pdf");
}

TEST(LetterReaderTest, AScanIsReadByOcr) {
  auto r = ReadFiles({{"scan.png", testing::ScanPng(kPage1)}});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->Method(), "ocr");
  EXPECT_LT(testing::CharacterErrorRate(kPage1, r->Text()), 0.03) << r->Text();
  EXPECT_GT(r->documents[0].pages[0].confidence, 80);
}

TEST(LetterReaderTest, ASkewedScanIsStraightenedAndRead) {
  testing::ScanOptions skewed;
  skewed.skew_degrees = 3;
  skewed.speckle = true;
  auto r = ReadFiles({{"skewed.jpg", testing::ScanJpeg(kPage1, skewed)}});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_NEAR(std::abs(r->documents[0].pages[0].skew_degrees), 3.0, 0.5);
  EXPECT_LT(testing::CharacterErrorRate(kPage1, r->Text()), 0.05) << r->Text();
}

TEST(LetterReaderTest, PagesFedSidewaysOrUpsideDownAreTurnedUpright) {
  for (int turns : {1, 2, 3}) {
    testing::ScanOptions turned;
    turned.quarter_turns = turns;
    auto r = ReadFiles({{"turned.png", testing::ScanPng(kPage1, turned)}});
    ASSERT_TRUE(r.ok()) << r.error();
    // Tesseract's own layout analysis reads some sideways pages well enough as they lie; an
    // upside-down page it cannot, and that one must have been turned.
    const int rotated = r->documents[0].pages[0].rotated_degrees;
    if (turns == 2) {
      EXPECT_EQ(rotated, 180);
    }
    EXPECT_TRUE(rotated == 0 || rotated == (4 - turns) % 4 * 90) << turns << ": " << rotated;
    EXPECT_LT(testing::CharacterErrorRate(kPage1, r->Text()), 0.03) << turns << ": " << r->Text();
  }
}

TEST(LetterReaderTest, TwoPageLettersAndSeveralFilesAreReadInOrder) {
  auto tiff = ReadFiles({{"letter.tif", testing::ScanTiff({kPage1, kPage2})}});
  ASSERT_TRUE(tiff.ok()) << tiff.error();
  EXPECT_EQ(tiff->Pages(), 2);
  EXPECT_LT(testing::CharacterErrorRate(std::string(kPage1) + "\n" + kPage2, tiff->Text()), 0.03)
      << tiff->Text();

  auto pdf = ReadFiles({{"scan.pdf", testing::ScanPdf({kPage1, kPage2})}});
  ASSERT_TRUE(pdf.ok()) << pdf.error();
  EXPECT_EQ(pdf->Method(), "ocr");
  EXPECT_EQ(pdf->Pages(), 2);
  EXPECT_LT(testing::CharacterErrorRate(std::string(kPage1) + "\n" + kPage2, pdf->Text()), 0.03)
      << pdf->Text();

  auto two = ReadFiles(
      {{"p2.png", testing::ScanPng(kPage2)}, {"p1.pdf", testing::TextLetterPdf({kPage1})}});
  ASSERT_TRUE(two.ok()) << two.error();
  EXPECT_EQ(two->Method(), "text-layer+ocr");
  EXPECT_LT(two->Text().find("mould"), two->Text().find("damp"));
}

TEST(LetterReaderTest, ADamagedFileIsNamedAndTheOthersStillRead) {
  std::string broken = testing::TextLetterPdf({kPage1});
  broken.resize(broken.size() / 3);
  broken.replace(20, 200, std::string(200, '\xff'));
  auto only = ReadFiles({{"broken.pdf", broken}});
  ASSERT_FALSE(only.ok());
  EXPECT_NE(only.error().find("broken.pdf: not a readable PDF"), std::string::npos) << only.error();

  auto mixed = ReadFiles({{"broken.pdf", broken}, {"good.png", testing::ScanPng(kPage2)}});
  ASSERT_TRUE(mixed.ok()) << mixed.error();
  ASSERT_EQ(mixed->problems.size(), 1u);
  EXPECT_EQ(mixed->problems[0].rfind("broken.pdf: ", 0), 0u);
  EXPECT_NE(mixed->Text().find("mould"), std::string::npos);

  auto text = ReadFiles({{"notes.txt", "Dear Sir, this is not a scan"}});
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().find("not a PDF or an image"), std::string::npos);
}

// A PNG whose header promises 100,000 x 100,000 pixels (10 gigapixels) in a few hundred bytes.
std::string PngBomb() {
  auto chunk = [](const std::string& type, const std::string& data) {
    std::string out;
    const uint32_t len = static_cast<uint32_t>(data.size());
    for (int s = 24; s >= 0; s -= 8) out += static_cast<char>(len >> s & 0xff);
    const std::string body = type + data;
    out += body;
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
    for (int s = 24; s >= 0; s -= 8) out += static_cast<char>(crc >> s & 0xff);
    return out;
  };
  std::string ihdr;
  for (uint32_t v : {100000u, 100000u}) {
    for (int s = 24; s >= 0; s -= 8) ihdr += static_cast<char>(v >> s & 0xff);
  }
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grey
  std::string zeros(100000, '\0');
  uLongf size = compressBound(static_cast<uLong>(zeros.size()));
  std::string idat(size, '\0');
  compress(reinterpret_cast<Bytef*>(idat.data()), &size,
           reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uLong>(zeros.size()));
  idat.resize(size);
  return "\x89PNG\r\n\x1a\n" + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", "");
}

TEST(LetterReaderTest, ADecompressionBombIsRefusedBeforeItIsDecoded) {
  const auto start = std::chrono::steady_clock::now();
  auto r = ReadFiles({{"bomb.png", PngBomb()}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("100000 x 100000 pixels is too large"), std::string::npos) << r.error();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{10});
}

TEST(LetterReaderTest, A200PagePdfIsReadOnlyUpToThePageLimit) {
  LetterReaderSettings settings = Settings();
  settings.max_pages = 20;
  auto r = ReadFiles({{"bundle.pdf", testing::ManyPagePdf(200)}}, settings);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->Pages(), 20);
  EXPECT_EQ(r->documents[0].total_pages, 200);
  ASSERT_EQ(r->Warnings().size(), 1u);
  EXPECT_EQ(r->Warnings()[0], "bundle.pdf: only the first 20 of 200 pages were read");
}

// A reader that hangs or crashes (as a hostile file might make it) costs the daemon nothing but an
// error value.
TEST(LetterReaderTest, AHangingOrCrashingReaderIsAnErrorNotAHang) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("letter_reader_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string hang = (dir / "hang").string();
  const std::string crash = (dir / "crash").string();
  std::ofstream(hang) << "#!/bin/sh\nsleep 60\n";
  std::ofstream(crash) << "#!/bin/sh\necho 'decoding page 1' >&2\nkill -SEGV $$\n";
  std::filesystem::permissions(hang, std::filesystem::perms::owner_all);
  std::filesystem::permissions(crash, std::filesystem::perms::owner_all);

  LetterReaderSettings settings = Settings();
  settings.helper = hang;
  settings.timeout = std::chrono::seconds{1};
  const auto start = std::chrono::steady_clock::now();
  auto hung = ReadFiles({{"a.png", testing::ScanPng(kPage2)}}, settings);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{10});
  ASSERT_FALSE(hung.ok());
  EXPECT_NE(hung.error().find("no answer within 1 s"), std::string::npos) << hung.error();

  settings.helper = crash;
  auto crashed = ReadFiles({{"a.png", testing::ScanPng(kPage2)}}, settings);
  ASSERT_FALSE(crashed.ok());
  EXPECT_NE(crashed.error().find("(killed by signal 11: it crashed on this file): decoding page 1"),
            std::string::npos)
      << crashed.error();
  std::filesystem::remove_all(dir);
}

// `complaintsctl letter --json`: the contract staff and scripts rely on.
TEST(LetterCommandTest, JsonGivesWhatWasReadAndWhatWasFound) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("letter_command_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string letter =
      "14 Acacia Avenue\nLeeds\nLS6 2AB\nTel: 07700 900123\nmaggie.h@example.org\n\n"
      "16 November 2026\n\nDear Sir or Madam,\n\nMy tenancy reference is T-40213. I am "
      "writing to complain that the damp in my bedroom has still not been fixed after three "
      "visits.\n\nYours faithfully,\n\nMargaret Hughes";
  const std::string pdf = (dir / "letter.pdf").string();
  const std::string png = (dir / "broken.png").string();
  std::ofstream(pdf, std::ios::binary) << testing::TextLetterPdf({letter});
  std::ofstream(png, std::ios::binary) << "\x89PNG\r\n\x1a\nnot really";
  std::ostringstream out, err;
  const int code = RunLetterCommand({"--json", pdf, png}, out, err);
  EXPECT_EQ(code, 1);  // one file could not be read
  std::istringstream lines(out.str());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  const nlohmann::json a = nlohmann::json::parse(first);
  EXPECT_EQ(a["file"], pdf);
  EXPECT_EQ(a["pages"], 1);
  EXPECT_EQ(a["method"], "text-layer");
  EXPECT_EQ(a["name"], "Margaret Hughes");
  EXPECT_EQ(a["address"], (nlohmann::json{"14 Acacia Avenue", "Leeds", "LS6 2AB"}));
  EXPECT_EQ(a["postcode"], "LS6 2AB");
  EXPECT_EQ(a["email"], "maggie.h@example.org");
  EXPECT_EQ(a["phone"], "07700900123");
  EXPECT_EQ(a["references"], (nlohmann::json{"T-40213"}));
  EXPECT_EQ(a["letter_date"], "2026-11-16");
  EXPECT_EQ(a["label"], "complaint");
  EXPECT_NE(a["text"].get<std::string>().find("the damp in my"), std::string::npos);
  const nlohmann::json b = nlohmann::json::parse(second);
  EXPECT_EQ(b["file"], png);
  EXPECT_NE(b["error"].get<std::string>().find("damaged"), std::string::npos) << b;

  std::ostringstream none_out, none_err;
  EXPECT_EQ(RunLetterCommand({}, none_out, none_err), 2);
  EXPECT_NE(none_err.str().find("usage: complaintsctl letter"), std::string::npos);
  std::filesystem::remove_all(dir);
}

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The public scans with their true text: our path (deskew, orientation, Tesseract through its
// API) must read them no worse than the `tesseract` command does.
TEST(LetterReaderTest, PublicScansReadNoWorseThanTheTesseractCommand) {
  const std::filesystem::path corpus =
      std::filesystem::path(COMPLAINTSD_SHARED_DIR) / "corpora/ocr/tesseract";
  if (!std::filesystem::exists(corpus)) GTEST_SKIP() << "no " << corpus << " (../shared absent)";
  if (!std::filesystem::exists("/usr/bin/tesseract")) {
    GTEST_SKIP() << "no /usr/bin/tesseract to compare with (package tesseract-ocr)";
  }
  const std::vector<std::pair<std::string, std::string>> scans = {
      {"phototest.tif", "phototest.gold.txt"},
      {"eurotext.tif", "eurotext.txt"},
      {"8071_093.3B.tif", "8071_093.3B.txt"},
      {"8087_054.3B.tif", "8087_054.3B.txt"}};
  for (const auto& [image, truth_file] : scans) {
    const std::string truth = Slurp(corpus / truth_file);
    auto ours = ReadFiles({{image, Slurp(corpus / image)}});
    ASSERT_TRUE(ours.ok()) << image << ": " << ours.error();
    ChildRun cli;
    cli.argv = {"/usr/bin/tesseract", (corpus / image).string(), "stdout", "-l", "eng"};
    cli.extra_env = {"OMP_THREAD_LIMIT=1"};
    cli.timeout = std::chrono::seconds{120};
    cli.max_output = 1 << 20;
    auto theirs = RunChild(cli);
    ASSERT_TRUE(theirs.ok() && theirs->ok()) << image;
    const double our_cer = testing::CharacterErrorRate(truth, ours->Text());
    const double their_cer = testing::CharacterErrorRate(truth, theirs->out);
    std::cout << image << ": character error rate " << our_cer << " (tesseract command "
              << their_cer << ")\n";
    EXPECT_LE(our_cer, their_cer + 0.002) << image;
  }
}

}  // namespace
}  // namespace complaints
