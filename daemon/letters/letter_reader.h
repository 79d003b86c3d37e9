// The daemon's side of reading letters: the scanned files go to `complaintsd-letter` (see
// letter_helper_main.cc) in a child process with a time limit, a memory limit and a page limit,
// and its JSON comes back as text. A file that hangs, crashes or exhausts the child is an error
// value here, never a problem for the daemon.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "daemon/letters/letter_ocr.h"
#include "parsers/result.h"

namespace complaints {

struct ScanFile {
  std::string name;  // as it came (display only: never used as a path)
  std::string bytes;
};

struct LetterReading {
  std::vector<DocumentText> documents;  // the files read, in order
  std::vector<std::string> problems;    // "scan2.pdf: the PDF is protected by a password", ...
  int Pages() const;                    // pages read
  std::string Text() const;             // every page's text, in order, separated by blank lines
  std::string Method() const;           // "text-layer", "ocr", or "text-layer+ocr"
  std::vector<std::string> Warnings() const;  // each document's, prefixed with its name
};

class LetterReader {
 public:
  virtual ~LetterReader() = default;
  // An error only when nothing could be read at all (every file refused, or the reader failed);
  // files that could not be read beside ones that could are listed in `problems`.
  virtual Result<LetterReading> Read(const std::vector<ScanFile>& files) const = 0;
};

struct LetterReaderSettings {
  std::string helper;  // path of complaintsd-letter
  std::chrono::seconds timeout{180};
  int memory_mb = 1536;
  int max_pages = 20;  // per file
};

// The path of complaintsd-letter built beside this program.
std::string DefaultLetterHelper();

class ChildLetterReader : public LetterReader {
 public:
  explicit ChildLetterReader(LetterReaderSettings settings) : settings_(std::move(settings)) {}
  Result<LetterReading> Read(const std::vector<ScanFile>& files) const override;

 private:
  LetterReaderSettings settings_;
};

// Decodes complaintsd-letter's output; `names` are the files' own names, in order.
Result<LetterReading> ParseLetterReaderOutput(const std::string& json,
                                              const std::vector<std::string>& names);

}  // namespace complaints
