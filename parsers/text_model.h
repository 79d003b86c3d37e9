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

struct LabelScore {
  std::string label;
  double probability = 0;
};

// The words a model sees: lower case, numbers as "0", web addresses as "url", @handles as "@user",
// "!" and "?" as words of their own, everything else that is not part of a word as a space.
// Training and prediction both go through here, so they always agree.
std::string ModelTokens(std::string_view text);

class TextModel {
 public:
  // `bytes` is a file written by fastText's saveModel (a supervised model).
  static Result<std::shared_ptr<const TextModel>> FromBytes(const std::string& bytes);
  ~TextModel();
  TextModel(const TextModel&) = delete;
  TextModel& operator=(const TextModel&) = delete;

  // Every label the model knows, most likely first; probabilities sum to 1. Thread-safe.
  std::vector<LabelScore> Scores(std::string_view text) const;
  std::vector<std::string> Labels() const;

 private:
  TextModel();
  std::unique_ptr<fasttext::FastText> model_;
  int labels_ = 0;
};

}  // namespace complaints
