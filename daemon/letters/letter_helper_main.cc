// complaintsd-letter: reads scanned or typed letters (PDF, TIFF, PNG, JPEG) and prints their text
// as JSON. The daemon and complaintsctl run it as a child process, never in their own, because it
// feeds files from strangers to poppler, Leptonica and Tesseract: here a hostile file can at worst
// exhaust this process's own limits, which it sets on itself before it reads a byte.
//
//   complaintsd-letter [--max-pages N] [--memory-mb N] [--cpu-seconds N] [--dpi N] FILE...
//
// Output on success (exit 0), one entry per file in order:
//   {"files": [{"file", "type", "total_pages", "pages": [{"text", "method", "rotated_degrees",
//     "skew_degrees", "confidence"}], "warnings": [...]} | {"file", "error"}]}
// Exit 2: bad arguments; 3: the OCR engine cannot start; 4: out of memory.
#include <sys/resource.h>

#include <fstream>
#include <iostream>
#include <new>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/letters/letter_ocr.h"

// In the sanitizer build: what Tesseract, Leptonica and poppler keep until exit is not ours to
// free, and a leak report would turn this short-lived process's exit status into a failure. Leaks
// with our own code on the stack are still reported.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libtesseract.so\nleak:liblept.so\nleak:libpoppler\n";
}

namespace {

bool ParseNumber(const std::string& text, long long& out) {
  try {
    size_t used = 0;
    out = std::stoll(text, &used);
    return used == text.size() && out > 0;
  } catch (const std::exception&) {
    return false;
  }
}

void Limit(int resource, long long value) {
  rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
  setrlimit(resource, &limit);
}

int Run(const std::vector<std::string>& args) {
  complaints::OcrLimits limits;
  long long memory_mb = 1536;
  long long cpu_seconds = 300;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    long long value = 0;
    const bool takes_value =
        a == "--max-pages" || a == "--memory-mb" || a == "--cpu-seconds" || a == "--dpi";
    if (takes_value) {
      if (i + 1 >= args.size() || !ParseNumber(args[i + 1], value)) {
        std::cerr << "complaintsd-letter: " << a << " needs a positive whole number\n";
        return 2;
      }
      ++i;
      if (a == "--max-pages") limits.max_pages = static_cast<int>(value);
      if (a == "--memory-mb") memory_mb = value;
      if (a == "--cpu-seconds") cpu_seconds = value;
      if (a == "--dpi") limits.dpi = static_cast<int>(value);
    } else if (a.starts_with("--")) {
      std::cerr << "complaintsd-letter: unknown option " << a << "\n";
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::cerr << "usage: complaintsd-letter [--max-pages N] [--memory-mb N] [--cpu-seconds N] "
                 "[--dpi N] FILE...\n";
    return 2;
  }
  // Limits first, before any library touches the files. AddressSanitizer reserves terabytes of
  // address space, so the sanitizer build relies on the pixel limit and the caller's time limit.
#if !defined(__SANITIZE_ADDRESS__)
  Limit(RLIMIT_AS, memory_mb * 1024 * 1024);
#else
  (void)memory_mb;
#endif
  Limit(RLIMIT_CPU, cpu_seconds);
  Limit(RLIMIT_CORE, 0);

  auto engine = complaints::OcrEngine::Create(limits);
  if (!engine) {
    std::cerr << "complaintsd-letter: " << engine.error() << "\n";
    return 3;
  }
  nlohmann::json out = {{"files", nlohmann::json::array()}};
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
      out["files"].push_back({{"file", path}, {"error", "cannot read the file"}});
      continue;
    }
    auto doc = (*engine)->Read(path, bytes.str());
    if (!doc) {
      out["files"].push_back({{"file", path}, {"error", doc.error()}});
      continue;
    }
    nlohmann::json pages = nlohmann::json::array();
    for (const complaints::PageText& p : doc->pages) {
      pages.push_back({{"text", p.text},
                       {"method", p.method},
                       {"rotated_degrees", p.rotated_degrees},
                       {"skew_degrees", p.skew_degrees},
                       {"confidence", p.confidence}});
    }
    out["files"].push_back({{"file", path},
                            {"type", doc->type},
                            {"total_pages", doc->total_pages},
                            {"pages", pages},
                            {"warnings", doc->warnings}});
  }
  // Invalid UTF-8 from OCR is replaced, not fatal.
  std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::bad_alloc&) {
    std::cerr << "complaintsd-letter: out of memory (the file needs more than the memory limit)\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "complaintsd-letter: " << e.what() << "\n";
    return 4;
  }
}
