#include "daemon/ctl_classify.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "daemon/command_line.h"
#include "parsers/cue_classifier.h"
#include "parsers/mail_parser.h"

namespace complaints {
namespace {

nlohmann::json Verdict(const CueVerdict& v) {
  return {{"label", v.label},
          {"confidence", v.confidence},
          {"needs_review", v.needs_review},
          {"cues", v.cues}};
}

struct Counts {
  int tp = 0, fp = 0, fn = 0;
  double Precision() const { return tp + fp ? static_cast<double>(tp) / (tp + fp) : 0; }
  double Recall() const { return tp + fn ? static_cast<double>(tp) / (tp + fn) : 0; }
  double F1() const {
    const double p = Precision(), r = Recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

// The set's own labels, and ours mapped onto them (see ../shared/corpora/README.md).
std::string Mapped(const std::set<std::string>& labels, const std::string& ours) {
  if (labels.count("not_complaint")) return ours == "complaint" ? "complaint" : "not_complaint";
  if (labels.count("not_suggestion")) return ours == "comment" ? "suggestion" : "not_suggestion";
  return ours;  // compliment | complaint: anything else counts as wrong
}

int Eval(const std::string& path, std::ostream& out, std::ostream& err) {
  std::ifstream in(path);
  if (!in) {
    err << "complaintsctl classify: " << path << ": cannot be read\n";
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> rows;  // gold label, text
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const size_t a = line.find('\t');
    const size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b == std::string::npos) continue;
    rows.push_back({line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  std::set<std::string> labels;
  for (const auto& [gold, text] : rows) labels.insert(gold);
  std::map<std::string, Counts> per;
  int correct = 0;
  for (const auto& [gold, text] : rows) {
    const std::string predicted = Mapped(labels, ClassifyByCues("", text).label);
    if (predicted == gold) {
      ++correct;
      ++per[gold].tp;
    } else {
      ++per[gold].fn;
      ++per[predicted].fp;
    }
  }
  double macro = 0;
  for (const std::string& label : labels) {
    const Counts& c = per[label];
    char row[160];
    std::snprintf(row, sizeof row, "%-16s precision %.3f  recall %.3f  F1 %.3f\n", label.c_str(),
                  c.Precision(), c.Recall(), c.F1());
    out << row;
    macro += c.F1() / static_cast<double>(labels.size());
  }
  char summary[200];
  const double accuracy = rows.empty() ? 0 : static_cast<double>(correct) / rows.size();
  if (labels.count("not_complaint")) {
    std::snprintf(summary, sizeof summary, "headline: macro-F1 %.3f over %zu texts\n", macro,
                  rows.size());
  } else if (labels.count("not_suggestion")) {
    std::snprintf(summary, sizeof summary, "headline: suggestion F1 %.3f over %zu texts\n",
                  per["suggestion"].F1(), rows.size());
  } else {
    std::snprintf(summary, sizeof summary, "headline: accuracy %.3f over %zu texts\n", accuracy,
                  rows.size());
  }
  out << summary;
  return 0;
}

}  // namespace

int RunClassifyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Result<CommandLine> line = CommandLine::Parse(args, {{"eval"}, {"json", "text"}});
  if (!line) {
    err << "complaintsctl classify: " << line.error() << '\n';
    return 2;
  }
  if (auto path = line->Get("eval")) return Eval(*path, out, err);
  if (line->Has("text")) {
    for (std::string text; std::getline(std::cin, text);) {
      out << Verdict(ClassifyByCues("", text)).dump() << '\n';
    }
    return 0;
  }
  if (line->positional().empty()) {
    err << "usage: complaintsctl classify [--json] FILE.eml... | --text | --eval FILE.tsv\n";
    return 2;
  }
  int code = 0;
  for (const std::string& file : line->positional()) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    Result<ParsedMail> mail =
        in ? ParseMail(bytes.str()) : Result<ParsedMail>::Error("cannot be read");
    if (!mail) {
      code = 1;
      out << nlohmann::json{{"file", file}, {"error", mail.error()}}.dump() << '\n';
      continue;
    }
    nlohmann::json v = Verdict(ClassifyByCues(mail->subject, mail->new_text));
    v["file"] = file;
    out << v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return code;
}

}  // namespace complaints
