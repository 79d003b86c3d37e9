#include "parsers/word_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <set>

namespace complaints {
namespace {

constexpr std::string_view kMagic = "CMPLWM01";
constexpr float kLargestIdf = 100;  // ln(n + 1) + 1 reaches it only past 10^42 examples
constexpr float kLargestWeight = 1e4;

// The words of ModelTokens' output (separated by single spaces).
std::vector<std::string_view> Words(std::string_view tokens) {
  std::vector<std::string_view> words;
  while (!tokens.empty()) {
    const size_t space = tokens.find(' ');
    const std::string_view word = tokens.substr(0, space);
    if (!word.empty()) words.push_back(word);
    tokens.remove_prefix(space == std::string_view::npos ? tokens.size() : space + 1);
  }
  return words;
}

// Calls fn with each of the words and adjacent word pairs ("a b": a word never holds a space);
// `pair` is the buffer pairs are written into.
template <typename Fn>
void ForEachTerm(const std::vector<std::string_view>& words, std::string& pair, Fn fn) {
  for (size_t i = 0; i < words.size(); ++i) {
    fn(words[i]);
    if (i + 1 < words.size()) {
      pair.assign(words[i]);
      pair += ' ';
      pair += words[i + 1];
      fn(std::string_view(pair));
    }
  }
}

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void PutF32(std::string& out, float f) {
  uint32_t v;
  std::memcpy(&v, &f, 4);
  PutU32(out, v);
}
void PutString(std::string& out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out += s;
}

// Reads little-endian values from bytes, remembering whether it ever ran out.
struct Reader {
  std::string_view bytes;
  bool bad = false;

  uint32_t U32() {
    if (bytes.size() < 4) {
      bad = true;
      bytes = {};
      return 0;
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
    bytes.remove_prefix(4);
    return v;
  }
  float F32() {
    const uint32_t v = U32();
    float f;
    std::memcpy(&f, &v, 4);
    if (!std::isfinite(f)) bad = true;
    return f;
  }
  std::string String() {
    const uint32_t n = U32();
    if (n > bytes.size()) {
      bad = true;
      bytes = {};
      return {};
    }
    std::string s(bytes.substr(0, n));
    bytes.remove_prefix(n);
    return s;
  }
};

}  // namespace

WordModel::Sparse WordModel::Vector(std::string_view tokens) const {
  std::vector<uint32_t> found;
  std::string pair;
  ForEachTerm(Words(tokens), pair, [&](std::string_view term) {
    const auto it = index_.find(term);
    if (it != index_.end()) found.push_back(it->second);
  });
  std::sort(found.begin(), found.end());
  Sparse x;
  double norm = 0;
  for (size_t i = 0; i < found.size();) {
    size_t j = i;
    while (j < found.size() && found[j] == found[i]) ++j;
    const float value =
        static_cast<float>((1 + std::log(static_cast<double>(j - i))) * idf_[found[i]]);
    x.emplace_back(found[i], value);
    norm += static_cast<double>(value) * value;
    i = j;
  }
  if (norm > 0) {
    const float scale = static_cast<float>(1 / std::sqrt(norm));
    for (auto& [feature, value] : x) value *= scale;
  }
  return x;
}

std::vector<double> WordModel::Probabilities(const Sparse& x) const {
  const size_t labels = labels_.size();
  std::vector<double> z(bias_.begin(), bias_.end());
  for (const auto& [feature, value] : x) {
    const float* w = &weights_[static_cast<size_t>(feature) * labels];
    for (size_t l = 0; l < labels; ++l) z[l] += static_cast<double>(w[l]) * value;
  }
  const double top = *std::max_element(z.begin(), z.end());
  double sum = 0;
  for (double& v : z) sum += (v = std::exp(v - top));
  if (!std::isfinite(sum) || sum <= 0) {  // cannot happen with checked weights: a backstop
    std::fill(z.begin(), z.end(), 1.0 / static_cast<double>(labels));
    return z;
  }
  for (double& v : z) v /= sum;
  return z;
}

Result<WordModel> WordModel::Train(const std::vector<std::pair<std::string, std::string>>& examples,
                                   const WordModelSettings& settings) {
  using R = Result<WordModel>;
  WordModel m;
  const std::set<std::string> label_set = [&] {
    std::set<std::string> s;
    for (const auto& e : examples) s.insert(e.first);
    return s;
  }();
  if (label_set.size() < 2) return R::Error("a word model needs examples of at least two labels");
  m.labels_.assign(label_set.begin(), label_set.end());
  const size_t labels = m.labels_.size();

  // The vocabulary in sorted order (so the same examples give the same indices), with the number
  // of examples each term appears in.
  std::vector<std::string> tokens;
  std::map<std::string, uint32_t, std::less<>> df;
  std::string pair;
  for (const auto& e : examples) {
    tokens.push_back(ModelTokens(e.second));
    std::set<std::string, std::less<>> seen;
    ForEachTerm(Words(tokens.back()), pair, [&](std::string_view term) {
      if (seen.emplace(term).second) ++df[std::string(term)];
    });
  }
  const double n = static_cast<double>(examples.size());
  for (const auto& [term, count] : df) {
    m.index_.emplace(term, static_cast<uint32_t>(m.idf_.size()));
    m.idf_.push_back(static_cast<float>(std::log((1 + n) / (1 + count)) + 1));  // smoothed IDF
  }
  m.weights_.assign(m.idf_.size() * labels, 0.0f);
  m.bias_.assign(labels, 0.0f);

  std::vector<Sparse> xs;
  std::vector<size_t> ys;
  for (size_t i = 0; i < examples.size(); ++i) {
    xs.push_back(m.Vector(tokens[i]));
    ys.push_back(static_cast<size_t>(
        std::lower_bound(m.labels_.begin(), m.labels_.end(), examples[i].first) -
        m.labels_.begin()));
  }

  // AdaGrad over the softmax loss with a little L2, examples in a fresh fixed order each epoch
  // (our own Fisher-Yates over mt19937, fully specified, so every platform shuffles alike).
  std::vector<float> g2(m.weights_.size(), 0.0f), b2(labels, 0.0f);
  std::vector<size_t> order(examples.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(settings.seed);
  const double eta = settings.learning_rate;
  constexpr double kTiny = 1e-8;
  for (int epoch = 0; epoch < settings.epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    for (const size_t i : order) {
      const std::vector<double> p = m.Probabilities(xs[i]);
      for (size_t l = 0; l < labels; ++l) {
        const double g = p[l] - (l == ys[i] ? 1.0 : 0.0);
        b2[l] += static_cast<float>(g * g);
        m.bias_[l] -= static_cast<float>(eta * g / (std::sqrt(b2[l]) + kTiny));
        for (const auto& [feature, value] : xs[i]) {
          const size_t k = static_cast<size_t>(feature) * labels + l;
          const double gw = g * value + settings.l2 * m.weights_[k];
          g2[k] += static_cast<float>(gw * gw);
          m.weights_[k] -= static_cast<float>(eta * gw / (std::sqrt(g2[k]) + kTiny));
        }
      }
    }
  }
  return m;
}

std::string WordModel::Bytes() const {
  std::string out(kMagic);
  PutU32(out, static_cast<uint32_t>(labels_.size()));
  for (const std::string& l : labels_) PutString(out, l);
  for (float b : bias_) PutF32(out, b);
  // Terms in index order, each with its IDF and its weight per label.
  std::vector<const std::string*> terms(idf_.size());
  for (const auto& [term, i] : index_) terms[i] = &term;
  PutU32(out, static_cast<uint32_t>(terms.size()));
  for (size_t i = 0; i < terms.size(); ++i) {
    PutString(out, *terms[i]);
    PutF32(out, idf_[i]);
    for (size_t l = 0; l < labels_.size(); ++l) PutF32(out, weights_[i * labels_.size() + l]);
  }
  return out;
}

Result<WordModel> WordModel::FromBytes(std::string_view bytes) {
  using R = Result<WordModel>;
  if (bytes.substr(0, kMagic.size()) != kMagic) return R::Error("not a word model");
  Reader in{bytes.substr(kMagic.size())};
  WordModel m;
  const uint32_t labels = in.U32();
  if (labels < 2 || labels > 64)
    return R::Error("a word model with " + std::to_string(labels) + " labels");
  for (uint32_t l = 0; l < labels && !in.bad; ++l) {
    m.labels_.push_back(in.String());
    // Train writes them sorted and distinct (it looks labels up by binary search).
    if (l > 0 && !(m.labels_[l - 1] < m.labels_[l])) in.bad = true;
  }
  for (uint32_t l = 0; l < labels && !in.bad; ++l) m.bias_.push_back(in.F32());
  const uint32_t features = in.U32();
  // Each feature takes at least 4 + 4 + 4 * labels bytes: a count the bytes cannot hold is damage.
  if (in.bad || features > in.bytes.size() / (8 + 4 * labels)) {
    return R::Error("the word model is cut short or damaged");
  }
  m.idf_.reserve(features);
  m.weights_.reserve(static_cast<size_t>(features) * labels);
  for (uint32_t f = 0; f < features && !in.bad; ++f) {
    if (!m.index_.emplace(in.String(), f).second) in.bad = true;  // a term twice
    m.idf_.push_back(in.F32());
    for (uint32_t l = 0; l < labels; ++l) m.weights_.push_back(in.F32());
  }
  if (in.bad || !in.bytes.empty()) return R::Error("the word model is cut short or damaged");
  // Values training cannot give would make scores overflow into NaN: smoothed IDF lies in
  // [1, ln(n + 1) + 1], and weights stay small.
  const auto wild = [](float v) { return std::fabs(v) > kLargestWeight; };
  if (std::any_of(m.idf_.begin(), m.idf_.end(), [](float v) { return v < 1 || v > kLargestIdf; }) ||
      std::any_of(m.weights_.begin(), m.weights_.end(), wild) ||
      std::any_of(m.bias_.begin(), m.bias_.end(), wild)) {
    return R::Error("the word model holds values training cannot give: damaged");
  }
  return m;
}

std::vector<LabelScore> WordModel::Scores(std::string_view text) const {
  return ScoresOfTokens(ModelTokens(text));
}

std::vector<LabelScore> WordModel::ScoresOfTokens(std::string_view tokens) const {
  const std::vector<double> p = Probabilities(Vector(tokens));
  std::vector<LabelScore> out;
  for (size_t l = 0; l < labels_.size(); ++l) out.push_back({labels_[l], p[l]});
  std::stable_sort(out.begin(), out.end(), [](const LabelScore& a, const LabelScore& b) {
    return a.probability > b.probability;
  });
  return out;
}

}  // namespace complaints
