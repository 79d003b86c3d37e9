#include "daemon/ctl/commands.h"

#include <algorithm>
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
  nlohmann::json j = {{"label", v.label},
                      {"confidence", v.confidence},
                      {"needs_review", v.needs_review},
                      {"cues", v.cues}};
  if (v.uncertain) {
    j["uncertain"] = true;
    j["alternative"] = v.alternative;
  }
  return j;
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

std::string TierHeadline(const std::string& where, const TierFigures& f);

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
  std::vector<TierOutcome> tiers;
  int correct = 0;
  for (const auto& [gold, text] : rows) {
    const CueVerdict v = Classify(model, "", text, settings);
    pairs.push_back({gold, Mapped(labels, v.label)});
    correct += pairs.back().first == pairs.back().second;
    tiers.push_back({gold, v.label, v.uncertain, v.alternative});
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
  // A set labelled with our own six labels (a landlord's, say): the certainty tiers too.
  const bool own = !labels.empty() && std::all_of(labels.begin(), labels.end(), [](const auto& l) {
    return std::find(std::begin(kClassifierLabels), std::end(kClassifierLabels), l) !=
           std::end(kClassifierLabels);
  });
  if (own && Mapped(labels, "comment") == "comment") {
    char thresholds[120];
    std::snprintf(thresholds, sizeof thresholds, "the certainty tiers (floor %.2f, sure %.2f)",
                  settings.complaint_floor, settings.complaint_sure);
    out << TierReport(thresholds, MeasureTiers(tiers)) << TierHeadline(path, MeasureTiers(tiers));
  }
  return 0;
}

constexpr const char* kTrainUsage =
    "usage: complaintsctl classifier train --out FILE [--corpus PATH]... [--db DB]\n"
    "                                      [--holdout PERCENT | --folds K] [--floor P] [--sure P]\n"
    "  --corpus   a .tsv of label<TAB>text lines, or a folder of them (default: the shipped\n"
    "             config/classifier/corpus); repeatable\n"
    "  --db       also learn from the cases staff relabelled in this case store\n"
    "  --holdout  keep this share of the examples out of training and report on it\n"
    "  --folds    cross-validate first: train K models, each without one K-th of the examples\n"
    "             (chosen by a hash of the text), and report on every example from the model\n"
    "             that did not see it; then train FILE on everything\n"
    "  --scores   with --folds: write each example's out-of-fold scores to this file, one JSON\n"
    "             line each: its label (gold), ours, the chance of a complaint the floor is\n"
    "             compared with, the models' distribution and the rules' verdict\n"
    "  --floor, --sure  the certainty tiers' thresholds to measure (default: the shipped\n"
    "             complaint_floor and complaint_sure); both measures also report the tiers on\n"
    "             the housing slice (examples outside the general-*.tsv files), and --folds a\n"
    "             table of candidate thresholds to choose them from\n";

// The tiers' figures in one line the tests and the README read.
std::string TierHeadline(const std::string& where, const TierFigures& f) {
  char row[300];
  std::snprintf(row, sizeof row,
                "headline: %s: label accuracy %.3f, complaint recall %.3f, complaint acks to "
                "non-complaints %.3f, triage %.3f\n",
                where.c_str(), f.accuracy, f.complaint_recall, f.false_complaint_acks, f.triage);
  return row;
}

// Cross-validation: every example is classified by a model trained without it. Returns the
// report, or an error.
Result<std::string> CrossValidate(const std::vector<TrainingExample>& all,
                                  const std::vector<bool>& housing, int folds,
                                  const ClassifierSettings& settings, const std::string& scratch,
                                  std::ostream* scores) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::vector<UntieredAnswer> answers;  // the housing examples'
  std::vector<TierOutcome> outcomes;
  for (int k = 0; k < folds; ++k) {
    std::vector<TrainingExample> train, held;
    std::vector<bool> held_housing;
    for (size_t i = 0; i < all.size(); ++i) {
      const bool out_of_fold = TextBucket(all[i].text, folds) == k;
      (out_of_fold ? held : train).push_back(all[i]);
      if (out_of_fold) held_housing.push_back(housing[i]);
    }
    if (Status s = TrainTextModel(train, TrainingSettings{}, scratch); !s) {
      return Result<std::string>::Error(s.error());
    }
    Result<std::shared_ptr<const TextModel>> model = LoadTextModelFile(scratch);
    std::error_code ec;
    std::filesystem::remove(scratch, ec);
    if (!model) return Result<std::string>::Error(model.error());
    for (size_t i = 0; i < held.size(); ++i) {
      const TrainingExample& e = held[i];
      const CueVerdict verdict = Classify(model->get(), "", e.text, settings);
      pairs.push_back({e.label, verdict.label});
      if (held_housing[i]) {
        answers.push_back(Untiered(model->get(), e.label, e.text));
        outcomes.push_back({e.label, verdict.label, verdict.uncertain, verdict.alternative});
      }
      if (scores) {
        nlohmann::json v = {{"gold", e.label},
                            {"label", verdict.label},
                            {"uncertain", verdict.uncertain},
                            {"housing", static_cast<bool>(held_housing[i])},
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
  report += row;
  if (outcomes.empty()) return report;
  const TierFigures tiers = MeasureTiers(outcomes);
  char thresholds[120];
  std::snprintf(thresholds, sizeof thresholds, " (floor %.2f, sure %.2f)", settings.complaint_floor,
                settings.complaint_sure);
  report += TierReport("the certainty tiers, out of fold, on the housing examples" +
                           std::string(thresholds),
                       tiers) +
            TierHeadline("housing examples in " + std::to_string(folds) + "-fold cross-validation",
                         tiers) +
            "candidate thresholds, out of fold, on the housing examples (* the ones measured):\n" +
            ThresholdTable(answers, settings.complaint_floor, settings.complaint_sure);
  return report;
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
  std::vector<bool> housing;  // in step with `all`: not from a general-*.tsv file
  for (const std::string& path : corpora) {
    std::vector<std::string> files;
    Result<std::vector<TrainingExample>> read = LoadTrainingExamples(path, &files);
    if (!read) return fail(read.error(), 2);
    all.insert(all.end(), read->begin(), read->end());
    for (const std::string& file : files) housing.push_back(IsHousingFile(file));
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
      housing.push_back(true);  // a landlord's own mail
      ++corrections;
    }
  }
  int percent = 0;
  if (auto holdout = line.Get("holdout")) {
    Result<long> p = ParseWholeNumber(*holdout, "--holdout", 0, 90);
    if (!p) return fail(p.error(), 2);
    percent = static_cast<int>(*p);
  }
  ClassifierSettings settings;
  for (const auto& [name, value] :
       {std::pair<const char*, double*>{"floor", &settings.complaint_floor},
        std::pair<const char*, double*>{"sure", &settings.complaint_sure}}) {
    if (auto given = line.Get(name)) {
      Result<double> p = ParseProbability(*given, std::string("--") + name);
      if (!p) return fail(p.error(), 2);
      *value = *p;
    }
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
    Result<std::string> report =
        CrossValidate(all, housing, static_cast<int>(*k), settings, *target + ".fold",
                      scores.is_open() ? &scores : nullptr);
    if (!report) return fail(report.error(), 1);
    out << *report;
  }
  std::vector<TrainingExample> train, held;
  std::vector<bool> held_housing;
  for (size_t i = 0; i < all.size(); ++i) {
    const bool kept_out = HeldOut(all[i].text, percent);
    (kept_out ? held : train).push_back(all[i]);
    if (kept_out) held_housing.push_back(housing[i]);
  }
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
  std::vector<TierOutcome> slice, housing_slice;
  std::vector<std::pair<std::string, std::string>> housing_pairs;
  for (size_t i = 0; i < held.size(); ++i) {
    const TrainingExample& e = held[i];
    const CueVerdict v = Classify(model->get(), "", e.text, settings);
    pairs.push_back({e.label, v.label});
    slice.push_back({e.label, v.label, v.uncertain, v.alternative});
    if (held_housing[i]) {
      housing_pairs.push_back(pairs.back());
      housing_slice.push_back(slice.back());
    }
  }
  std::map<std::string, double> recall;
  const std::vector<std::string> labels(std::begin(kClassifierLabels), std::end(kClassifierLabels));
  out << "held out " << held.size() << " examples (" << percent << "%):\n"
      << LabelReport(pairs, labels, nullptr, &recall);
  std::snprintf(row, sizeof row, "headline: complaint recall %.3f on the held-out slice\n",
                recall["complaint"]);
  out << row;
  char thresholds[120];
  std::snprintf(thresholds, sizeof thresholds, " (floor %.2f, sure %.2f)", settings.complaint_floor,
                settings.complaint_sure);
  out << "the housing slice: the held-out examples outside the general-*.tsv files, "
      << housing_slice.size() << " texts; each label as the daemon would record it:\n"
      << LabelReport(housing_pairs, labels)
      << TierReport("the certainty tiers on the housing slice" + std::string(thresholds),
                    MeasureTiers(housing_slice))
      << TierReport("the certainty tiers on the whole held-out slice" + std::string(thresholds),
                    MeasureTiers(slice))
      << TierHeadline("the housing slice", MeasureTiers(housing_slice));
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
      {args.begin() + 1, args.end()},
      {{"out", "corpus", "db", "holdout", "folds", "scores", "floor", "sure"}, {}});
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
      args, {{"eval", "model", "floor", "sure"}, {"json", "text", "rules-only", "scores"}});
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
  if (auto sure = line->Get("sure")) {  // the tiers' threshold for a confident complaint
    Result<double> p = ParseProbability(*sure, "--sure");
    if (!p) {
      err << "complaintsctl classify: " << p.error() << '\n';
      return 2;
    }
    settings.complaint_sure = *p;
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
    err << "usage: complaintsctl classify [--model FILE | --rules-only] [--floor P] [--sure P] "
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
