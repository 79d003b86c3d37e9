#include "daemon/ctl/commands.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "daemon/base/command_line.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/intake/classifier_training.h"
#include "parsers/classifier.h"
#include "parsers/mail_parser.h"

namespace complaints {
namespace {

nlohmann::json Verdict(const CueVerdict& v) {
  return {{"label", v.label},
          {"confidence", v.confidence},
          {"needs_review", v.needs_review},
          {"cues", v.cues}};
}

// The models' whole distribution for a text and the rules' own verdict, for study.
void AddScores(nlohmann::json& v, const TextModel& model, const std::string& text) {
  for (const LabelScore& s : model.Scores(text)) v["scores"][s.label] = s.probability;
  const CueVerdict rules = ClassifyByCues("", text);
  v["rules"] = {{"label", rules.label}, {"confidence", rules.confidence}};
}

std::string Dump(const nlohmann::json& v) {
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The set's own labels, and ours mapped onto them (see ../shared/corpora/README.md): complaint vs
// anything else; comment (a suggestion) vs anything else; compliment vs complaint, where anything
// of ours that is not praise counts as the complaint side (those answers are criticism).
std::string Mapped(const std::set<std::string>& labels, const std::string& ours) {
  if (labels.count("not_complaint")) return ours == "complaint" ? "complaint" : "not_complaint";
  if (labels.count("not_suggestion")) return ours == "comment" ? "suggestion" : "not_suggestion";
  if (labels.count("compliment") && labels.count("complaint") && labels.size() == 2) {
    return ours == "compliment" ? "compliment" : "complaint";
  }
  return ours;
}

int Eval(const std::string& path, const TextModel* model, const ClassifierSettings& settings,
         std::ostream& out, std::ostream& err) {
  if (!std::ifstream(path)) {
    err << "complaintsctl classify: " << path << ": cannot be read\n";
    return 2;
  }
  const std::vector<TrainingExample> rows = ReadLabelledSet(path);  // gold label, text
  std::set<std::string> labels;
  for (const auto& [gold, text] : rows) labels.insert(gold);
  std::vector<std::pair<std::string, std::string>> pairs;
  int correct = 0;
  for (const auto& [gold, text] : rows) {
    pairs.push_back({gold, Mapped(labels, Classify(model, "", text, settings).label)});
    correct += pairs.back().first == pairs.back().second;
  }
  std::map<std::string, double> f1;
  out << LabelReport(pairs, {labels.begin(), labels.end()}, &f1);
  double macro = 0;
  for (const std::string& label : labels) macro += f1[label] / static_cast<double>(labels.size());
  char summary[200];
  const double accuracy = rows.empty() ? 0 : static_cast<double>(correct) / rows.size();
  if (labels.count("not_complaint")) {
    std::snprintf(summary, sizeof summary, "headline: macro-F1 %.3f over %zu texts\n", macro,
                  rows.size());
  } else if (labels.count("not_suggestion")) {
    std::snprintf(summary, sizeof summary, "headline: suggestion F1 %.3f over %zu texts\n",
                  f1["suggestion"], rows.size());
  } else {
    std::snprintf(summary, sizeof summary, "headline: accuracy %.3f over %zu texts\n", accuracy,
                  rows.size());
  }
  out << summary;
  return 0;
}

constexpr const char* kTrainUsage =
    "usage: complaintsctl classifier train --out FILE [--corpus PATH]... [--db DB]\n"
    "                                      [--holdout PERCENT | --folds K]\n"
    "  --corpus   a .tsv of label<TAB>text lines, or a folder of them (default: the shipped\n"
    "             config/classifier/corpus); repeatable\n"
    "  --db       also learn from the cases staff relabelled in this case store\n"
    "  --holdout  keep this share of the examples out of training and report on it\n"
    "  --folds    cross-validate first: train K models, each without one K-th of the examples\n"
    "             (chosen by a hash of the text), and report on every example from the model\n"
    "             that did not see it; then train FILE on everything\n"
    "  --scores   with --folds: write each example's out-of-fold scores to this file, one JSON\n"
    "             line each: its label (gold), ours, the chance of a complaint the floor is\n"
    "             compared with, the models' distribution and the rules' verdict\n";

// Cross-validation: every example is classified by a model trained without it. Returns the
// report, or an error.
Result<std::string> CrossValidate(const std::vector<TrainingExample>& all, int folds,
                                  const std::string& scratch, std::ostream* scores) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int k = 0; k < folds; ++k) {
    std::vector<TrainingExample> train, held;
    for (const TrainingExample& e : all)
      (TextBucket(e.text, folds) == k ? held : train).push_back(e);
    if (Status s = TrainTextModel(train, TrainingSettings{}, scratch); !s) {
      return Result<std::string>::Error(s.error());
    }
    Result<std::shared_ptr<const TextModel>> model = LoadTextModelFile(scratch);
    std::error_code ec;
    std::filesystem::remove(scratch, ec);
    if (!model) return Result<std::string>::Error(model.error());
    for (const TrainingExample& e : held) {
      const CueVerdict verdict = Classify(model->get(), "", e.text);
      pairs.push_back({e.label, verdict.label});
      if (scores) {
        nlohmann::json v = {{"gold", e.label},
                            {"label", verdict.label},
                            {"complaint_chance", verdict.complaint_chance}};
        AddScores(v, **model, e.text);
        *scores << Dump(v) << '\n';
      }
    }
  }
  std::map<std::string, double> recall;
  std::string report =
      std::to_string(folds) + "-fold cross-validation over " + std::to_string(all.size()) +
      " examples:\n" +
      LabelReport(pairs, {std::begin(kClassifierLabels), std::end(kClassifierLabels)}, nullptr,
                  &recall);
  char row[200];
  std::snprintf(row, sizeof row, "headline: complaint recall %.3f in %d-fold cross-validation\n",
                recall["complaint"], folds);
  return report + row;
}

int Train(const CommandLine& line, std::ostream& out, std::ostream& err) {
  auto fail = [&](const std::string& why, int code) {
    err << "complaintsctl classifier train: " << why << '\n';
    return code;
  };
  const std::optional<std::string> target = line.Get("out");
  if (!target) return fail("missing --out FILE\n" + std::string(kTrainUsage), 2);
  std::vector<std::string> corpora = line.GetAll("corpus");
  if (corpora.empty())
    corpora.push_back(std::string(COMPLAINTSD_SOURCE_DIR) + "/config/classifier/corpus");
  std::vector<TrainingExample> all;
  for (const std::string& path : corpora) {
    Result<std::vector<TrainingExample>> read = LoadTrainingExamples(path);
    if (!read) return fail(read.error(), 2);
    all.insert(all.end(), read->begin(), read->end());
  }
  int corrections = 0;
  if (auto db = line.Get("db")) {
    if (!std::filesystem::exists(*db)) return fail(*db + ": no such case store", 2);
    Result<std::unique_ptr<SqliteCaseStore>> store = SqliteCaseStore::Open(*db);
    if (!store) return fail(store.error(), 2);
    Result<std::vector<std::pair<std::string, std::string>>> relabelled =
        (*store)->RelabelledCases();
    if (!relabelled) return fail(relabelled.error(), 2);
    for (const auto& [label, raw] : *relabelled) {
      Result<ParsedMail> mail = ParseMail(raw);
      if (!mail) continue;  // unreadable mail teaches nothing
      all.push_back({label, mail->subject + "\n" + mail->new_text});
      ++corrections;
    }
  }
  int percent = 0;
  if (auto holdout = line.Get("holdout")) {
    Result<long> p = ParseWholeNumber(*holdout, "--holdout", 0, 90);
    if (!p) return fail(p.error(), 2);
    percent = static_cast<int>(*p);
  }
  if (line.Get("scores") && !line.Get("folds")) return fail("--scores needs --folds", 2);
  if (auto folds = line.Get("folds")) {
    if (percent > 0) return fail("--holdout and --folds are two ways to measure: give one", 2);
    Result<long> k = ParseWholeNumber(*folds, "--folds", 2, 20);
    if (!k) return fail(k.error(), 2);
    std::ofstream scores;
    if (auto path = line.Get("scores")) {
      scores.open(*path, std::ios::trunc);
      if (!scores) return fail(*path + ": cannot be written", 2);
    }
    Result<std::string> report = CrossValidate(all, static_cast<int>(*k), *target + ".fold",
                                               scores.is_open() ? &scores : nullptr);
    if (!report) return fail(report.error(), 1);
    out << *report;
  }
  std::vector<TrainingExample> train, held;
  for (const TrainingExample& e : all) (HeldOut(e.text, percent) ? held : train).push_back(e);
  std::map<std::string, int> count;
  for (const TrainingExample& e : train) ++count[e.label];
  const auto started = std::chrono::steady_clock::now();
  if (Status s = TrainTextModel(train, TrainingSettings{}, *target); !s) return fail(s.error(), 1);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(*target, ec);
  char row[200];
  std::snprintf(
      row, sizeof row, "trained on %zu examples (%d staff corrections) in %.1f s: %s, %.1f MB\n",
      train.size(), corrections, seconds, target->c_str(), static_cast<double>(bytes) / 1e6);
  out << row;
  for (const auto& [label, n] : count) out << "  " << label << ": " << n << '\n';
  if (held.empty()) return 0;
  Result<std::shared_ptr<const TextModel>> model = LoadTextModelFile(*target);
  if (!model) return fail(model.error(), 1);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const TrainingExample& e : held)
    pairs.push_back({e.label, Classify(model->get(), "", e.text).label});
  std::map<std::string, double> recall;
  out << "held out " << held.size() << " examples (" << percent << "%):\n"
      << LabelReport(pairs, {std::begin(kClassifierLabels), std::end(kClassifierLabels)}, nullptr,
                     &recall);
  std::snprintf(row, sizeof row, "headline: complaint recall %.3f on the held-out slice\n",
                recall["complaint"]);
  out << row;
  return 0;
}

}  // namespace

int RunClassifierCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] != "train") {
    (args.empty() || args[0] == "--help" ? out : err) << kTrainUsage;
    return args.empty() || args[0] != "--help" ? 2 : 0;
  }
  Result<CommandLine> line = CommandLine::Parse(
      {args.begin() + 1, args.end()}, {{"out", "corpus", "db", "holdout", "folds", "scores"}, {}});
  if (!line) {
    err << "complaintsctl classifier train: " << line.error() << '\n';
    return 2;
  }
  if (!line->positional().empty()) {
    err << "complaintsctl classifier train: unexpected argument '" << line->positional()[0]
        << "'\n";
    return 2;
  }
  return Train(*line, out, err);
}

int RunClassifyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Result<CommandLine> line = CommandLine::Parse(
      args, {{"eval", "model", "floor"}, {"json", "text", "rules-only", "scores"}});
  if (!line) {
    err << "complaintsctl classify: " << line.error() << '\n';
    return 2;
  }
  ClassifierSettings settings;
  if (auto floor = line->Get("floor")) {  // for measurement: 1 turns the Code's preference off
    Result<double> p = ParseProbability(*floor, "--floor");
    if (!p) {
      err << "complaintsctl classify: " << p.error() << '\n';
      return 2;
    }
    settings.complaint_floor = *p;
  }
  std::shared_ptr<const TextModel> model;
  if (!line->Has("rules-only")) {
    Result<std::shared_ptr<const TextModel>> loaded =
        LoadTextModelFile(line->Get("model").value_or(DefaultModelPath()));
    if (!loaded) {
      err << "complaintsctl classify: " << loaded.error() << " (or use --rules-only)\n";
      return 2;
    }
    model = *loaded;
  }
  if (auto path = line->Get("eval")) return Eval(*path, model.get(), settings, out, err);
  if (line->Has("text")) {
    const bool scores = line->Has("scores");
    for (std::string text; std::getline(std::cin, text);) {
      const CueVerdict verdict = Classify(model.get(), "", text, settings);
      nlohmann::json v = Verdict(verdict);
      if (scores && model) {
        v["complaint_chance"] = verdict.complaint_chance;
        AddScores(v, *model, text);
      }
      out << Dump(v) << '\n';
    }
    return 0;
  }
  if (line->positional().empty()) {
    err << "usage: complaintsctl classify [--model FILE | --rules-only] [--floor P] "
           "[--json] FILE.eml... | --text | --eval FILE.tsv\n";
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
    nlohmann::json v = Verdict(Classify(model.get(), mail->subject, mail->new_text, settings));
    v["file"] = file;
    out << Dump(v) << '\n';
  }
  return code;
}

}  // namespace complaints
