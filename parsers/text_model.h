// The statistical half of the classifier: a fastText model over the resident's words, trained
// from the project's own corpus (config/classifier/corpus) by `complaintsctl classifier train`.
// Pure: the model comes in as bytes and answers with a probability for every label it knows.
// The rules that sit on top of it (the Code's bias towards "complaint") are in classifier.h.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/result.h"

namespace fasttext {
class FastText;
}

namespace complaints {

class WordModel;

struct LabelScore {
  std::string label;
  double probability = 0;
};

// The words a model sees: lower case, numbers as "0", web addresses as "url", @handles as "@user",
// "!" and "?" as words of their own, everything else that is not part of a word as a space.
// Training and prediction both go through here, so they always agree.
std::string ModelTokens(std::string_view text);

// The classifier's model file: fastText's supervised model as its saveModel writes it, then, when
// present, a WordModel's bytes (word_model.h). With both, a label's probability is the mean of the
// two models' (kWordModelShare); a file with fastText's part alone still loads.
class TextModel {
 public:
  static Result<std::shared_ptr<const TextModel>> FromBytes(const std::string& bytes);
  ~TextModel();
  TextModel(const TextModel&) = delete;
  TextModel& operator=(const TextModel&) = delete;

  // Every label the model knows, most likely first; probabilities sum to 1. Thread-safe.
  std::vector<LabelScore> Scores(std::string_view text) const;
  std::vector<std::string> Labels() const;
  // Whether the file had the word model after fastText's.
  bool HasWordModel() const { return words_ != nullptr; }

  // How much the word model counts in the mean, when present (docs/measurements.md, The
  // classifier).
  static constexpr double kWordModelShare = 0.5;

 private:
  TextModel();
  std::unique_ptr<fasttext::FastText> model_;
  std::unique_ptr<const WordModel> words_;
  int labels_ = 0;
};

}  // namespace complaints
