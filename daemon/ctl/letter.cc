#include "daemon/ctl/commands.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon/base/command_line.h"
#include "daemon/cases/policy.h"
#include "daemon/ctl/session.h"
#include "daemon/intake/classifier_training.h"
#include "daemon/letters/letter_reader.h"
#include "parsers/classifier.h"
#include "parsers/letter_fields.h"

namespace complaints {
namespace {

constexpr const char* kUsage =
    "usage: complaintsctl letter [--json] [--policy FILE] [--model FILE] [--max-pages N] FILE...\n"
    "  reads scanned or typed letters (PDF, TIFF, PNG, JPEG) as the daemon would, and shows the\n"
    "  resident's details and the label it would give; no case is touched\n";

std::string IsoDate(const std::optional<std::chrono::year_month_day>& d) {
  if (!d) return "";
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d->year()),
                static_cast<unsigned>(d->month()), static_cast<unsigned>(d->day()));
  return text;
}

}  // namespace

int RunLetterCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Result<CommandLine> line =
      CommandLine::Parse(args, {{"policy", "model", "max-pages", "reader"}, {"json"}});
  if (!line) {
    err << "complaintsctl letter: " << line.error() << "\n" << kUsage;
    return 2;
  }
  if (line->positional().empty()) {
    err << kUsage;
    return 2;
  }
  LetterReaderSettings settings;
  settings.helper = line->Get("reader").value_or(DefaultLetterHelper());
  if (auto pages = line->Get("max-pages")) {
    Result<long> n = ParseWholeNumber(*pages, "--max-pages", 1, 500);
    if (!n) {
      err << "complaintsctl letter: " << n.error() << "\n";
      return 2;
    }
    settings.max_pages = static_cast<int>(*n);
  }
  Result<Policy> policy = LoadPolicy(line->Get("policy").value_or(DefaultPolicyPath()));
  if (!policy) {
    err << "complaintsctl letter: " << policy.error() << "\n";
    return 2;
  }
  Result<std::shared_ptr<const TextModel>> model =
      LoadTextModelFile(line->Get("model").value_or(DefaultModelPath()));
  if (!model) {
    err << "complaintsctl letter: " << model.error() << "\n";
    return 2;
  }
  const std::string pattern = ReferencePattern(policy->reference_format);
  const ChildLetterReader reader(settings);
  const bool json = line->Has("json");
  int code = 0;
  for (const std::string& file : line->positional()) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    Result<LetterReading> reading =
        in ? reader.Read({{file, bytes.str()}})
           : Result<LetterReading>::Error(file + ": cannot be read (no such file?)");
    if (!reading) {
      code = 1;
      if (json) {
        out << nlohmann::json{{"file", file}, {"error", reading.error()}}.dump() << "\n";
      } else {
        err << "complaintsctl letter: " << reading.error() << "\n";
      }
      continue;
    }
    const std::string text = reading->Text();
    const LetterFields f = ExtractLetterFields(text, pattern);
    const CueVerdict label = Classify(model->get(), "", LetterBody(text));
    std::vector<std::string> address = f.address;
    if (!f.postcode.empty()) address.push_back(f.postcode);
    if (json) {
      nlohmann::json v = {{"file", file},
                          {"pages", reading->Pages()},
                          {"text", text},
                          {"method", reading->Method()},
                          {"name", f.name},
                          {"address", address},
                          {"postcode", f.postcode},
                          {"email", f.email},
                          {"phone", f.phone},
                          {"references", f.references},
                          {"letter_date", IsoDate(f.letter_date)},
                          {"label", label.label},
                          {"confidence", label.confidence},
                          {"needs_review", label.needs_review},
                          {"warnings", reading->Warnings()}};
      out << v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      continue;
    }
    auto show = [&](const char* what, const std::string& value) {
      out << "  " << what << ": " << (value.empty() ? "(not found)" : value) << "\n";
    };
    std::string refs;
    for (const std::string& r : f.references) refs += (refs.empty() ? "" : ", ") + r;
    std::string lines;
    for (const std::string& l : address) lines += (lines.empty() ? "" : ", ") + l;
    out << file << ": " << reading->Pages() << " page(s) read by " << reading->Method() << "\n";
    show("name", f.name);
    show("address", lines);
    show("email", f.email);
    show("phone", f.phone);
    show("references", refs);
    show("dated", IsoDate(f.letter_date));
    out << "  label: " << label.label << " (confidence "
        << std::to_string(label.confidence).substr(0, 4)
        << (label.needs_review ? ", needs review" : "") << ")\n";
    if (!f.postcode.empty() && !ValidUkPostcode(f.postcode)) {
      out << "  warning: the postcode " << f.postcode << " is not valid: check it on the scan\n";
    }
    for (const std::string& w : reading->Warnings()) out << "  warning: " << w << "\n";
    out << "  text:\n";
    std::istringstream body(text);
    for (std::string l; std::getline(body, l);) out << "    " << l << "\n";
  }
  return code;
}

}  // namespace complaints
