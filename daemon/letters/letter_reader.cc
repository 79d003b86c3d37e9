#include "daemon/letters/letter_reader.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "daemon/base/subprocess.h"

namespace complaints {

int LetterReading::Pages() const {
  int n = 0;
  for (const DocumentText& d : documents) n += static_cast<int>(d.pages.size());
  return n;
}

std::string LetterReading::Text() const {
  std::string out;
  for (const DocumentText& d : documents) {
    for (const PageText& p : d.pages) {
      std::string text = p.text;
      while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\f')) {
        text.pop_back();
      }
      if (text.empty()) continue;
      if (!out.empty()) out += "\n\n";
      out += text;
    }
  }
  return out;
}

std::string LetterReading::Method() const {
  bool layer = false;
  bool ocr = false;
  for (const DocumentText& d : documents) {
    for (const PageText& p : d.pages) (p.method == "ocr" ? ocr : layer) = true;
  }
  if (layer && ocr) return "text-layer+ocr";
  return ocr ? "ocr" : "text-layer";
}

std::vector<std::string> LetterReading::Warnings() const {
  std::vector<std::string> out;
  for (const DocumentText& d : documents) {
    for (const std::string& w : d.warnings) out.push_back(d.file + ": " + w);
  }
  return out;
}

std::string DefaultLetterHelper() { return COMPLAINTSD_LETTER_HELPER; }

Result<LetterReading> ParseLetterReaderOutput(const std::string& text,
                                              const std::vector<std::string>& names) {
  using R = Result<LetterReading>;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.contains("files") || !j["files"].is_array() ||
      j["files"].size() != names.size()) {
    return R::Error("the letter reader's answer cannot be understood");
  }
  LetterReading reading;
  try {
    for (size_t i = 0; i < names.size(); ++i) {
      const nlohmann::json& f = j["files"][i];
      if (f.contains("error")) {
        reading.problems.push_back(names[i] + ": " + f["error"].get<std::string>());
        continue;
      }
      DocumentText doc;
      doc.file = names[i];
      doc.type = f.value("type", "");
      doc.total_pages = f.value("total_pages", 0);
      for (const nlohmann::json& p : f.at("pages")) {
        PageText page;
        page.text = p.value("text", "");
        page.method = p.value("method", "ocr");
        page.rotated_degrees = p.value("rotated_degrees", 0);
        page.skew_degrees = p.value("skew_degrees", 0.0);
        page.confidence = p.value("confidence", -1);
        doc.pages.push_back(std::move(page));
      }
      doc.warnings = f.value("warnings", std::vector<std::string>{});
      reading.documents.push_back(std::move(doc));
    }
  } catch (const nlohmann::json::exception&) {
    return R::Error("the letter reader's answer cannot be understood");
  }
  if (reading.documents.empty()) {
    std::string why;
    for (const std::string& p : reading.problems) why += (why.empty() ? "" : "; ") + p;
    return R::Error("no letter could be read: " + why);
  }
  return reading;
}

Result<LetterReading> ChildLetterReader::Read(const std::vector<ScanFile>& files) const {
  using R = Result<LetterReading>;
  if (files.empty()) return R::Error("no files to read");
  // The files go to the child through a private folder, under names of our own making.
  const std::filesystem::path base = std::filesystem::temp_directory_path();
  std::string pattern = (base / "complaintsd-letter-XXXXXX").string();
  if (!mkdtemp(pattern.data()))
    return R::Error("cannot make a folder for the letter: " + base.string());
  const std::filesystem::path dir = pattern;
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{dir};
  ChildRun run;
  run.argv = {settings_.helper,
              "--max-pages",
              std::to_string(settings_.max_pages),
              "--memory-mb",
              std::to_string(settings_.memory_mb),
              "--cpu-seconds",
              std::to_string(settings_.timeout.count())};
  std::vector<std::string> names;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::filesystem::path path = dir / ("scan" + std::to_string(i + 1));
    std::ofstream out(path, std::ios::binary);
    out.write(files[i].bytes.data(), static_cast<std::streamsize>(files[i].bytes.size()));
    out.close();
    if (!out) return R::Error("cannot write the letter to " + dir.string());
    run.argv.push_back(path.string());
    names.push_back(files[i].name.empty() ? "scan" + std::to_string(i + 1) : files[i].name);
  }
  // Tesseract's OpenMP threads make one page four times slower on a busy machine, not faster.
  run.extra_env = {"OMP_THREAD_LIMIT=1"};
  run.timeout = settings_.timeout;
  run.max_output = 16 * 1024 * 1024;
  Result<ChildExit> ran = RunChild(run);
  if (!ran) return R::Error("the letter reader cannot start: " + ran.error());
  if (!ran->ok()) {
    std::string err = ran->err.substr(0, 300);
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    std::string why = ran->Describe(settings_.timeout);
    if (ran->signal == 9 || ran->signal == 24) why += ": over the time limit";
    if (ran->signal == 6 || ran->signal == 11) why += ": it crashed on this file";
    return R::Error("the letter could not be read (" + why + ")" + (err.empty() ? "" : ": " + err));
  }
  return ParseLetterReaderOutput(ran->out, names);
}

}  // namespace complaints
