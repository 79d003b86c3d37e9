// Training the classifier's fastText model from labelled examples: the project's corpus
// (config/classifier/corpus/*.tsv) and, for a landlord, its staff's corrections of labels.
// Deterministic: the same examples give the same model, byte for byte (one thread, a fixed seed,
// a fixed shuffle).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "parsers/result.h"

namespace complaints {

struct TrainingExample {
  std::string label;  // complaint | comment | compliment | service_request | asb | other
  std::string text;
};

// Reads `label<TAB>text` lines from a .tsv file, or from every .tsv file in a folder (in name
// order). Blank lines and lines starting with '#' are skipped; a bad label or a line without a
// tab is an error naming the file and line. When `names` is given, each example's file name
// (without its folder) is appended to it, in step with the examples.
Result<std::vector<TrainingExample>> LoadTrainingExamples(
    const std::string& path, std::vector<std::string>* names = nullptr);

// Whether an example from this corpus file is one of the landlord's own kind (the "housing
// slice"): every file except the general-*.tsv customer-service examples.
bool IsHousingFile(const std::string& file_name);

// A labelled set in the format of ../shared/corpora/classify: a header line, then
// id<TAB>label<TAB>text. Lines without two tabs are skipped. An unreadable file is empty.
std::vector<TrainingExample> ReadLabelledSet(const std::string& path);

// A stable split: an example goes to the held-out slice when a hash of its text says so, so the
// slice never changes as examples are added elsewhere. `percent` in 0..100.
bool HeldOut(const std::string& text, int percent);

// The stable bucket, 0 to buckets - 1, a hash of the text puts it in: HeldOut's slice and the
// folds of `classifier train --folds` are both chosen by it.
int TextBucket(const std::string& text, int buckets);

struct TrainingSettings {
  int epoch = 30;
  double learning_rate = 0.5;
  int dimensions = 32;
  int word_ngrams = 2;
  int min_subword = 3;  // character n-grams: spelling mistakes still land near the right word
  int max_subword = 5;
  int buckets = 50000;  // 7 MB on disk; 200000 (41 MB) measured no better
  int seed = 20241;
};

// Trains on `examples` (shuffled deterministically) and writes the model to `out_path` (through a
// temporary file beside it, renamed into place).
Status TrainTextModel(const std::vector<TrainingExample>& examples,
                      const TrainingSettings& settings, const std::string& out_path);

}  // namespace complaints

namespace complaints {

class TextModel;

// Precision, recall and F1 per label over (gold, predicted) pairs, one line per label in `labels`
// order; returns each label's F1 through `f1` when given.
std::string LabelReport(const std::vector<std::pair<std::string, std::string>>& gold_predicted,
                        const std::vector<std::string>& labels,
                        std::map<std::string, double>* f1 = nullptr,
                        std::map<std::string, double>* recall = nullptr);

// The certainty tiers of parsers/classifier, measured. A text's untiered answer is what the
// models and rules say before the tiers (Classify with complaint_floor 1 and complaint_sure 1):
// their likeliest label, the combined chance of a complaint, and the likeliest label other than
// complaint. Any thresholds' tiers follow from it without classifying again.
struct UntieredAnswer {
  std::string gold;
  std::string best;
  std::string best_other;  // the likeliest label other than complaint
  double complaint_chance = 0;
};
UntieredAnswer Untiered(const TextModel* model, const std::string& gold, const std::string& text);

// What Classify decides for that answer under these thresholds: the label, whether it is
// uncertain (a neutral receipt and the triage list) and the alternative offered to staff.
struct TierOutcome {
  std::string gold;
  std::string label;
  bool uncertain = false;
  std::string alternative;
};
TierOutcome ApplyTiers(const UntieredAnswer& answer, double complaint_floor, double complaint_sure);

// The figures issue 17 asks for, over a set of outcomes:
//  - label accuracy: a confident label is right when it is the truth; an uncertain one (neutral
//    receipt, triage) is right when the truth is complaint or the alternative staff are offered;
//  - strict accuracy: the same with every uncertain one counted as a complaint;
//  - complaint recall: the share of true complaints given a complaint acknowledgement or the
//    neutral receipt (not a typed non-complaint reply, and not ignored as other);
//  - complaint acks to non-complaints: the share of true non-complaints that were confident
//    complaints (acknowledged as complaints);
//  - triage: the share of all texts that were uncertain (the cost in staff time).
struct TierFigures {
  int texts = 0, complaints = 0, non_complaints = 0;
  double accuracy = 0, strict_accuracy = 0, complaint_recall = 0, false_complaint_acks = 0,
         triage = 0;
};
TierFigures MeasureTiers(const std::vector<TierOutcome>& outcomes);

// The figures as a few lines under `title`.
std::string TierReport(const std::string& title, const TierFigures& figures);

// A table of candidate thresholds: a row per complaint_sure at `floor`, then per complaint_floor
// at `sure`, each with the figures over `answers`; the given pair is marked with '*'.
std::string ThresholdTable(const std::vector<UntieredAnswer>& answers, double floor, double sure);

// The model the build trains from the shipped corpus (see daemon/CMakeLists.txt).
std::string DefaultModelPath();

// Reads a model file written by TrainTextModel, with an error that says what to do.
Result<std::shared_ptr<const TextModel>> LoadTextModelFile(const std::string& path);

}  // namespace complaints
