// The classifier's second statistical model: multinomial logistic regression over the TF-IDF
// weights of the resident's words and word pairs (the tokens of ModelTokens). fastText learns
// dense features from few examples; this one keeps every word pair it saw as its own feature.
// Averaged with fastText it measurably improved every external development set and held-out
// complaint recall (docs/measurements.md, The classifier). Training is deterministic: the same
// examples in the same order give the same bytes. Pure: no I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "parsers/result.h"
#include "parsers/text_model.h"

namespace complaints {

struct WordModelSettings {
  int epochs = 30;
  double learning_rate = 0.5;  // AdaGrad's base rate
  double l2 = 1e-5;            // weight decay per update
  uint32_t seed = 20241;
};

class WordModel {
 public:
  // `examples` are (label, text) pairs; labels may be any strings (at least two distinct).
  static Result<WordModel> Train(const std::vector<std::pair<std::string, std::string>>& examples,
                                 const WordModelSettings& settings = {});
  // Reads what Bytes() wrote; any damage is an error, never a crash.
  static Result<WordModel> FromBytes(std::string_view bytes);
  std::string Bytes() const;

  // Every label, most likely first; probabilities sum to 1. Thread-safe.
  std::vector<LabelScore> Scores(std::string_view text) const;
  // The same for text already through ModelTokens (fastText's input: tokenised once for both).
  std::vector<LabelScore> ScoresOfTokens(std::string_view tokens) const;
  const std::vector<std::string>& Labels() const { return labels_; }
  size_t Features() const { return idf_.size(); }

 private:
  using Sparse = std::vector<std::pair<uint32_t, float>>;
  // The known features of ModelTokens' output, TF-IDF weighted (1 + ln count), unit length.
  Sparse Vector(std::string_view tokens) const;
  // Lookups by string_view, without building a string per word.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<double> Probabilities(const Sparse& x) const;

  std::vector<std::string> labels_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> index_;
  std::vector<float> idf_;
  std::vector<float> weights_;  // feature-major: weights_[feature * labels + label]
  std::vector<float> bias_;
};

}  // namespace complaints
