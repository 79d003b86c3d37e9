// bench/ocr: seconds per page reading scanned letters through complaintsd's letter reader
// (ChildLetterReader running `complaintsd-letter`: orientation detection, deskew, Tesseract through
// its API on one thread), beside the peer: the `tesseract` command (`tesseract FILE stdout -l eng`
// with OMP_THREAD_LIMIT=1) on the same files, each measured once in the same run (OCR is slow).
// Every page is its own file and its own Read, so our figure includes starting the child and
// loading the engine, as the daemon pays it; one multi-page TIFF read in one go shows the cost per
// page once that is paid. Pages: the four public scans in SHARED_DIR/corpora/ocr/tesseract, with
// both readers' character error rates against their true text, and four typed letters made here
// at 300 dpi (straight, skewed 2 degrees, upside down, TIFF), written to a temporary folder so
// that both read the same bytes. Timings are wall-clock: on a busy machine, run it twice.
//
//   build/bench/ocr/ocr_bench [SHARED_DIR]   (default ../shared beside the source tree)
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/base/subprocess.h"
#include "daemon/letters/letter_reader.h"
#include "tests/daemon/letters/letter_scans.h"

namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

const char kTesseract[] = "/usr/bin/tesseract";

// Typed letters, short enough that each fits on one A4 page.
const char* const kLetters[] = {
    "14 Acacia Avenue\nLeeds\nLS6 2QT\n\n12 November 2026\n\nDear Sir or Madam,\n\n"
    "I am writing to complain about the damp in my bedroom. I reported it three times since "
    "August and nobody has come to look at it. The mould has now spread to the wardrobe and my "
    "grandson's asthma is worse.\n\nPlease send someone this week.\n\nYours faithfully,\n\n"
    "Margaret Hughes",
    "Flat 3, Weaver Court\nBradford\nBD1 4HX\n\n3 December 2026\n\nDear Housing Officer,\n\n"
    "Your reference HA/2026/0412. The boiler in my flat has broken down for the fourth time this "
    "winter. The engineer came on 28 November but did not have the part, and we have had no "
    "heating or hot water for nine days. I have two small children.\n\nI would like this treated "
    "as a formal complaint and the repair done before the weekend.\n\nYours sincerely,\n\n"
    "Daniel Okafor",
    "27 Mill Lane\nHuddersfield\nHD3 3PL\n\n19 January 2027\n\nTo whom it may concern,\n\n"
    "I want to report antisocial behaviour from the flat above mine. Loud music is played after "
    "midnight most nights, and on Saturday there was shouting on the stairs until 3am. I have "
    "kept a diary of dates and times, which I enclose.\n\nTenancy reference T-884213.\n\n"
    "Regards,\n\nSusan Pearce",
    "6 Orchard Close\nWakefield\nWF2 8RS\n\n2 February 2027\n\nDear Customer Services,\n\n"
    "I am writing to thank the repairs team, and especially Gary, who replaced our back door "
    "last Tuesday. He was on time, polite, and left everything clean. The new door keeps the "
    "draught out and my husband can now open it with his walking frame.\n\n"
    "With thanks,\n\nAnne and Peter Walsh",
};

struct Page {
  std::string label;  // as printed in the table
  fs::path file;      // read by both, from disk
  std::string truth;  // the text on the page
};

struct Reading {
  double seconds = 0;
  std::string text;
  std::string error;  // empty when it was read
};

double Since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool Spit(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return !bytes.empty() && static_cast<bool>(out);
}

// Ours: one Read of one file, as the daemon reads a letter's attachment.
Reading ReadOurs(const fs::path& file) {
  complaints::LetterReaderSettings settings;
  settings.helper = complaints::DefaultLetterHelper();
  const complaints::ChildLetterReader reader(settings);
  const std::vector<complaints::ScanFile> files = {{file.filename().string(), Slurp(file)}};
  const auto start = Steady::now();
  auto read = reader.Read(files);
  Reading out{Since(start), "", ""};
  if (read.ok()) {
    out.text = read->Text();
  } else {
    out.error = read.error();
  }
  return out;
}

// The peer: the tesseract command on the same file; a multi-page TIFF is read whole.
Reading ReadPeer(const fs::path& file) {
  complaints::ChildRun run;
  run.argv = {kTesseract, file.string(), "stdout", "-l", "eng"};
  run.extra_env = {"OMP_THREAD_LIMIT=1"};
  run.timeout = std::chrono::seconds{180};
  run.max_output = 1 << 20;
  const auto start = Steady::now();
  auto ran = complaints::RunChild(run);
  Reading out{Since(start), "", ""};
  if (!ran.ok()) {
    out.error = ran.error();
  } else if (!ran->ok()) {
    out.error = ran->Describe(run.timeout) + ": " + ran->err;
  } else {
    out.text = ran->out;
  }
  return out;
}

std::vector<Page> CorpusPages(const std::string& shared) {
  const fs::path dir = fs::path(shared) / "corpora/ocr/tesseract";
  if (!fs::exists(dir)) {
    std::printf("public scans: none (%s is absent): measuring the made pages only\n", dir.c_str());
    return {};
  }
  std::printf("public scans: %s\n", dir.c_str());
  const std::pair<const char*, const char*> scans[] = {{"phototest.tif", "phototest.gold.txt"},
                                                       {"eurotext.tif", "eurotext.txt"},
                                                       {"8071_093.3B.tif", "8071_093.3B.txt"},
                                                       {"8087_054.3B.tif", "8087_054.3B.txt"}};
  std::vector<Page> pages;
  for (const auto& [image, truth] : scans)
    pages.push_back({image, dir / image, Slurp(dir / truth)});
  return pages;
}

// The four typed letters as scans in `dir`; empty when one could not be made.
std::vector<Page> MadePages(const fs::path& dir) {
  complaints::testing::ScanOptions straight, skewed, upside_down;
  skewed.skew_degrees = 2;
  upside_down.quarter_turns = 2;
  const std::vector<std::pair<std::string, std::string>> scans = {
      {"letter-1.png", complaints::testing::ScanPng(kLetters[0], straight)},
      {"letter-2-skewed-2deg.png", complaints::testing::ScanPng(kLetters[1], skewed)},
      {"letter-3-upside-down.png", complaints::testing::ScanPng(kLetters[2], upside_down)},
      {"letter-4.tif", complaints::testing::ScanTiff({kLetters[3]}, straight)}};
  std::vector<Page> pages;
  for (size_t i = 0; i < scans.size(); ++i) {
    if (!Spit(dir / scans[i].first, scans[i].second)) return {};
    pages.push_back({scans[i].first, dir / scans[i].first, kLetters[i]});
  }
  return pages;
}

// The four typed letters as one 4-page TIFF in `dir`, upright.
Page MultiPage(const fs::path& dir) {
  std::vector<std::string> texts(std::begin(kLetters), std::end(kLetters));
  Page page{"letters-1-4.tif (4 pages)", dir / "letters-1-4.tif", ""};
  for (const std::string& t : texts) page.truth += t + "\n";
  if (!Spit(page.file, complaints::testing::ScanTiff(texts))) page.file.clear();
  return page;
}

std::string CerCell(const Page& page, const Reading& r) {
  if (!r.error.empty()) return "failed";
  char cell[32];
  std::snprintf(cell, sizeof cell, "%.3f",
                complaints::testing::CharacterErrorRate(page.truth, r.text));
  return cell;
}

void PrintRow(const Page& page, const Reading& ours, const Reading& peer, int pages) {
  std::printf("%-30s %8.2f %12.2f %9s %14s\n", page.label.c_str(), ours.seconds / pages,
              peer.seconds / pages, CerCell(page, ours).c_str(), CerCell(page, peer).c_str());
  if (!ours.error.empty()) std::printf("  ours failed: %s\n", ours.error.c_str());
  if (!peer.error.empty()) std::printf("  tesseract failed: %s\n", peer.error.c_str());
}

void PrintSetting() {
  double load[1] = {0};
  getloadavg(load, 1);
  complaints::ChildRun version;
  version.argv = {kTesseract, "--version"};
  auto ran = complaints::RunChild(version);
  std::string line = ran.ok() ? ran->out + ran->err : "";
  line = line.substr(0, line.find('\n'));
  std::printf("peer: %s (%s); reader: %s\nload average at start: %.2f on %ld cores\n", kTesseract,
              line.c_str(), complaints::DefaultLetterHelper().c_str(), load[0],
              sysconf(_SC_NPROCESSORS_ONLN));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string shared = argc > 1 ? argv[1] : COMPLAINTSD_SHARED_DIR;
  if (!fs::exists(kTesseract)) {
    std::fprintf(stderr, "no %s to compare with (package tesseract-ocr)\n", kTesseract);
    return 1;
  }
  PrintSetting();
  const fs::path dir = fs::temp_directory_path() / ("ocr_bench_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::vector<Page> pages = CorpusPages(shared);
  const std::vector<Page> made = MadePages(dir);
  const Page multi = MultiPage(dir);
  if (made.empty() || multi.file.empty()) {
    std::fprintf(stderr, "the typed letters could not be made (cairo, pango or leptonica)\n");
    fs::remove_all(dir);
    return 1;
  }
  pages.insert(pages.end(), made.begin(), made.end());

  std::printf("\n%-30s %8s %12s %9s %14s\n", "page", "ours s", "tesseract s", "ours CER",
              "tesseract CER");
  double ours_total = 0, peer_total = 0;
  for (const Page& page : pages) {
    const Reading ours = ReadOurs(page.file);
    const Reading peer = ReadPeer(page.file);
    PrintRow(page, ours, peer, 1);
    ours_total += ours.seconds;
    peer_total += peer.seconds;
  }
  const Reading ours = ReadOurs(multi.file);
  const Reading peer = ReadPeer(multi.file);
  std::printf("one Read of a multi-page file, seconds per page:\n");
  PrintRow(multi, ours, peer, 4);

  const double n = static_cast<double>(pages.size());
  std::printf("\nours: %.2f s/page (%zu pages), tesseract command: %.2f s/page\n", ours_total / n,
              pages.size(), peer_total / n);
  std::printf(
      "multi-page (4 pages in one file): ours: %.2f s/page, tesseract command: %.2f s/page\n",
      ours.seconds / 4, peer.seconds / 4);
  fs::remove_all(dir);
  return 0;
}
