// bench/classify: texts per second on one core through complaintsd's classifier (fastText and
// the word model, the cue rules and the Code's bias), beside the peer: fastText's own predictLine
// (reading the fastText part of the same model file) on the same texts already split into words
// (what `fasttext predict` does per line), and the cue rules alone. Also the model's size and load
// time. Texts: the development sets in
// ../shared/corpora/classify (about 11,000), else the project's own corpus.
//
//   build/bench/classify/classify_bench [MODEL] [SHARED_DIR]
#include <fasttext/fasttext.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/intake/classifier_training.h"
#include "parsers/classifier.h"
#include "parsers/text_model.h"

namespace {

using Steady = std::chrono::steady_clock;

template <typename Fn>
double Best(int runs, Fn fn) {
  double best = 1e9;
  for (int i = 0; i < runs; ++i) {
    const auto start = Steady::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(Steady::now() - start).count());
  }
  return best;
}

std::vector<std::string> Texts(const std::string& shared) {
  std::vector<std::string> texts;
  const std::string dir = shared + "/corpora/classify";
  for (const char* set : {"complaints-dev.tsv", "nhs-feedback-dev.tsv", "suggestions-dev.tsv"}) {
    for (const auto& row : complaints::ReadLabelledSet(dir + "/" + set)) texts.push_back(row.text);
  }
  if (!texts.empty()) {
    std::printf("texts: %zu from %s\n", texts.size(), dir.c_str());
    return texts;
  }
  auto own = complaints::LoadTrainingExamples(COMPLAINTSD_SOURCE_DIR "/config/classifier/corpus");
  if (own) {
    for (const auto& e : *own) texts.push_back(e.text);
  }
  std::printf("texts: %zu from the project's corpus (%s is absent)\n", texts.size(), dir.c_str());
  return texts;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string model_path = argc > 1 ? argv[1] : complaints::DefaultModelPath();
  const std::string shared = argc > 2 ? argv[2] : COMPLAINTSD_SHARED_DIR;
  const std::vector<std::string> texts = Texts(shared);
  if (texts.empty()) return 1;
  std::shared_ptr<const complaints::TextModel> model;
  const double load = Best(5, [&] {
    auto loaded = complaints::LoadTextModelFile(model_path);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", loaded.error().c_str());
      std::exit(1);
    }
    model = *loaded;
  });
  std::error_code ec;
  std::printf("model: %s, %.1f MB, loads in %.0f ms\n", model_path.c_str(),
              static_cast<double>(std::filesystem::file_size(model_path, ec)) / 1e6, load * 1e3);

  size_t complaints = 0;
  volatile double sink = 0;  // keeps the work from being optimised away
  const double ours = Best(3, [&] {
    complaints = 0;
    for (const std::string& t : texts)
      complaints += complaints::Classify(model.get(), "", t).label == "complaint";
  });
  const double model_only = Best(3, [&] {
    for (const std::string& t : texts) sink = sink + model->Scores(t).front().probability;
  });
  const double rules = Best(3, [&] {
    for (const std::string& t : texts) sink = sink + complaints::ClassifyByCues("", t).confidence;
  });
  // The peer: fastText itself, on lines already in its own form, k = all labels like ours.
  fasttext::FastText ft;
  ft.loadModel(model_path);
  std::vector<std::string> lines;
  for (const std::string& t : texts) lines.push_back(complaints::ModelTokens(t) + "\n");
  const int k = ft.getDictionary()->nlabels();
  const double peer = Best(3, [&] {
    std::vector<std::pair<fasttext::real, std::string>> predictions;
    for (const std::string& l : lines) {
      std::istringstream in(l);
      ft.predictLine(in, predictions, k, 0.0);
    }
  });
  const double n = static_cast<double>(texts.size());
  std::printf("%-44s %9.0f texts/s  (%zu labelled complaint)\n",
              "complaintsd Classify (models + rules + bias)", n / ours, complaints);
  std::printf("%-44s %9.0f texts/s\n", "complaintsd TextModel::Scores (models only)",
              n / model_only);
  std::printf("%-44s %9.0f texts/s\n", "complaintsd cue rules alone", n / rules);
  std::printf("%-44s %9.0f texts/s\n", "fastText predictLine (peer, pre-split)", n / peer);
  return 0;
}
