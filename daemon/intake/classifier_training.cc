#include "daemon/intake/classifier_training.h"

#include <fasttext/fasttext.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>

#include "daemon/base/digest.h"
#include "parsers/classifier.h"
#include "parsers/text_model.h"
#include "parsers/word_model.h"

namespace complaints {
namespace {

bool KnownLabel(const std::string& label) {
  return std::any_of(std::begin(kClassifierLabels), std::end(kClassifierLabels),
                     [&](const char* l) { return label == l; });
}

Status ReadFile(const std::filesystem::path& file, std::vector<TrainingExample>& out,
                std::vector<std::string>* names) {
  std::ifstream in(file);
  if (!in) return Status::Error(file.string() + ": cannot be read");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    const std::string where = file.string() + ": line " + std::to_string(number);
    if (tab == std::string::npos) return Status::Error(where + ": expected label<TAB>text");
    TrainingExample example{line.substr(0, tab), line.substr(tab + 1)};
    if (!KnownLabel(example.label)) {
      return Status::Error(where + ": unknown label '" + example.label +
                           "' (complaint, comment, compliment, service_request, asb, other)");
    }
    if (example.text.find_first_not_of(" \t") == std::string::npos) {
      return Status::Error(where + ": empty text");
    }
    out.push_back(std::move(example));
    if (names) names->push_back(file.filename().string());
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<TrainingExample>> LoadTrainingExamples(const std::string& path,
                                                          std::vector<std::string>* names) {
  using R = Result<std::vector<TrainingExample>>;
  std::error_code ec;
  std::vector<TrainingExample> out;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      if (entry.path().extension() == ".tsv") files.push_back(entry.path());
    }
    if (ec) return R::Error(path + ": " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) return R::Error(path + ": no .tsv files of examples");
    for (const auto& f : files) {
      if (Status s = ReadFile(f, out, names); !s) return R(s);
    }
  } else {
    if (Status s = ReadFile(path, out, names); !s) return R(s);
  }
  return out;
}

bool IsHousingFile(const std::string& file_name) { return file_name.rfind("general-", 0) != 0; }

std::vector<TrainingExample> ReadLabelledSet(const std::string& path) {
  std::vector<TrainingExample> rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const size_t a = line.find('\t');
    const size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b != std::string::npos) rows.push_back({line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return rows;
}

int TextBucket(const std::string& text, int buckets) {
  const unsigned long hash = std::strtoul(Sha256Hex(text).substr(0, 8).c_str(), nullptr, 16);
  return static_cast<int>(hash % static_cast<unsigned long>(buckets));
}

bool HeldOut(const std::string& text, int percent) { return TextBucket(text, 100) < percent; }

Status TrainTextModel(const std::vector<TrainingExample>& examples,
                      const TrainingSettings& settings, const std::string& out_path) {
  if (examples.empty()) return Status::Error("no examples to train on");
  std::vector<const TrainingExample*> order;
  for (const TrainingExample& e : examples) order.push_back(&e);
  // Our own Fisher-Yates over mt19937 (fully specified), so every platform shuffles alike.
  std::mt19937 rng(static_cast<uint32_t>(settings.seed));
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);

  const std::filesystem::path out(out_path);
  std::error_code ec;
  const std::filesystem::path dir = out.has_parent_path() ? out.parent_path() : ".";
  std::filesystem::create_directories(dir, ec);
  const std::filesystem::path input =
      dir / (".classifier-train-" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream file(input, std::ios::trunc);
    for (const TrainingExample* e : order) {
      file << "__label__" << e->label << ' ' << ModelTokens(e->text) << '\n';
    }
    if (!file) return Status::Error(input.string() + ": cannot be written");
  }
  fasttext::Args args;
  args.input = input.string();
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.epoch = settings.epoch;
  args.lr = settings.learning_rate;
  args.dim = settings.dimensions;
  args.wordNgrams = settings.word_ngrams;
  args.minn = settings.min_subword;
  args.maxn = settings.max_subword;
  args.bucket = settings.buckets;
  args.minCount = 1;
  args.thread = 1;
  args.seed = settings.seed;
  args.verbose = 0;
  const std::filesystem::path partial = out.string() + ".partial";
  try {
    fasttext::FastText model;
    model.train(args);
    model.saveModel(partial.string());
  } catch (const std::exception& e) {
    std::filesystem::remove(input, ec);
    return Status::Error(std::string("fastText could not train: ") + e.what());
  }
  std::filesystem::remove(input, ec);
  // The word model follows fastText's in the same file, trained on the same shuffled examples.
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(order.size());
  for (const TrainingExample* e : order) pairs.emplace_back(e->label, e->text);
  WordModelSettings word_settings;
  word_settings.seed = static_cast<uint32_t>(settings.seed);
  Result<WordModel> words = WordModel::Train(pairs, word_settings);
  if (!words) {
    std::filesystem::remove(partial, ec);
    return Status::Error("the word model could not be trained: " + words.error());
  }
  {
    std::ofstream file(partial, std::ios::binary | std::ios::app);
    file << words->Bytes();
    file.close();
    if (!file) {
      std::filesystem::remove(partial, ec);
      return Status::Error(partial.string() + ": cannot be written");
    }
  }
  std::filesystem::rename(partial, out, ec);  // a reader never sees half a model
  if (ec) return Status::Error(out_path + ": " + ec.message());
  return Status::Ok();
}

std::string LabelReport(const std::vector<std::pair<std::string, std::string>>& gold_predicted,
                        const std::vector<std::string>& labels, std::map<std::string, double>* f1,
                        std::map<std::string, double>* recall) {
  struct Counts {
    int tp = 0, fp = 0, fn = 0;
  };
  std::map<std::string, Counts> per;
  for (const auto& [gold, predicted] : gold_predicted) {
    if (gold == predicted) {
      ++per[gold].tp;
    } else {
      ++per[gold].fn;
      ++per[predicted].fp;
    }
  }
  std::string out;
  for (const std::string& label : labels) {
    const Counts& c = per[label];
    const double p = c.tp + c.fp ? static_cast<double>(c.tp) / (c.tp + c.fp) : 0;
    const double r = c.tp + c.fn ? static_cast<double>(c.tp) / (c.tp + c.fn) : 0;
    const double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    char row[200];
    std::snprintf(row, sizeof row, "%-16s precision %.3f  recall %.3f  F1 %.3f  (%d texts)\n",
                  label.c_str(), p, r, f, c.tp + c.fn);
    out += row;
    if (f1) (*f1)[label] = f;
    if (recall) (*recall)[label] = r;
  }
  return out;
}

UntieredAnswer Untiered(const TextModel* model, const std::string& gold, const std::string& text) {
  ClassifierSettings untiered;
  untiered.complaint_floor = 1;  // the Code's floor never decides
  untiered.complaint_sure = 1;  // a likeliest complaint is always "uncertain", with its alternative
  const CueVerdict v = Classify(model, "", text, untiered);
  UntieredAnswer a;
  a.gold = gold;
  a.best = v.label;
  a.best_other = v.label == "complaint" ? v.alternative : v.label;
  a.complaint_chance = v.complaint_chance;
  return a;
}

TierOutcome ApplyTiers(const UntieredAnswer& answer, double complaint_floor,
                       double complaint_sure) {
  ClassifierSettings settings;
  settings.complaint_floor = complaint_floor;
  settings.complaint_sure = complaint_sure;
  const Tier tier = DecideTier(answer.best, answer.best_other, answer.complaint_chance, settings);
  return {answer.gold, tier.label, tier.uncertain, tier.alternative};
}

TierFigures MeasureTiers(const std::vector<TierOutcome>& outcomes) {
  TierFigures f;
  int right = 0, strictly_right = 0, found = 0, false_acks = 0, triaged = 0;
  for (const TierOutcome& o : outcomes) {
    ++f.texts;
    const bool complaint = o.gold == "complaint";
    (complaint ? f.complaints : f.non_complaints) += 1;
    if (o.uncertain) {
      ++triaged;
      right += complaint || o.gold == o.alternative;
    } else {
      right += o.label == o.gold;
    }
    strictly_right += o.label == o.gold;
    if (complaint && o.label == "complaint") ++found;
    if (!complaint && o.label == "complaint" && !o.uncertain) ++false_acks;
  }
  auto share = [](int n, int of) { return of ? static_cast<double>(n) / of : 0.0; };
  f.accuracy = share(right, f.texts);
  f.strict_accuracy = share(strictly_right, f.texts);
  f.complaint_recall = share(found, f.complaints);
  f.false_complaint_acks = share(false_acks, f.non_complaints);
  f.triage = share(triaged, f.texts);
  return f;
}

std::string TierReport(const std::string& title, const TierFigures& f) {
  char text[1200];
  std::snprintf(
      text, sizeof text,
      "%s: %d texts (%d complaints)\n"
      "  label accuracy %.3f  (a confident label is right when it is the truth; an uncertain\n"
      "                        one, sent the neutral receipt, when the truth is complaint or the\n"
      "                        alternative staff are offered; %.3f counting every uncertain one\n"
      "                        as a complaint)\n"
      "  complaint recall %.3f  (true complaints given a complaint acknowledgement or the "
      "receipt)\n"
      "  complaint acks to non-complaints %.3f  (true non-complaints acknowledged as complaints)\n"
      "  triage %.3f  (all texts found uncertain: the receipt, and a person decides)\n",
      title.c_str(), f.texts, f.complaints, f.accuracy, f.strict_accuracy, f.complaint_recall,
      f.false_complaint_acks, f.triage);
  return text;
}

std::string ThresholdTable(const std::vector<UntieredAnswer>& answers, double floor, double sure) {
  auto row = [&](double fl, double su) {
    std::vector<TierOutcome> outcomes;
    outcomes.reserve(answers.size());
    for (const UntieredAnswer& a : answers) outcomes.push_back(ApplyTiers(a, fl, su));
    const TierFigures f = MeasureTiers(outcomes);
    char text[200];
    std::snprintf(text, sizeof text, "  %c %5.2f  %5.2f  %8.3f  %9.3f  %14.3f  %6.3f\n",
                  fl == floor && su == sure ? '*' : ' ', fl, su, f.accuracy, f.complaint_recall,
                  f.false_complaint_acks, f.triage);
    return std::string(text);
  };
  std::set<double> sures = {0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90};
  std::set<double> floors = {0.08, 0.10, 0.13, 0.16, 0.20, 0.25, 0.30};
  sures.insert(sure);
  floors.erase(floor);
  std::string out =
      "    floor   sure  accuracy  complaint  complaint-acks  triage\n"
      "                            recall     to non-complaints\n";
  for (double su : sures) out += row(floor, su);
  for (double fl : floors) out += row(fl, sure);
  return out;
}

std::string DefaultModelPath() { return COMPLAINTSD_MODEL_PATH; }

Result<std::shared_ptr<const TextModel>> LoadTextModelFile(const std::string& path) {
  using R = Result<std::shared_ptr<const TextModel>>;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return R::Error(path +
                    ": the classifier model cannot be read (train one with "
                    "'complaintsctl classifier train --out " +
                    path + "')");
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  R model = TextModel::FromBytes(bytes);
  if (!model) return R::Error(path + ": " + model.error());
  return model;
}

}  // namespace complaints
