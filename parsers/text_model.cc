#include "parsers/text_model.h"

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>

#include "parsers/word_model.h"

namespace complaints {
namespace {

constexpr std::string_view kLabelPrefix = "__label__";
constexpr int32_t kFastTextMagic = 793712314;  // fastText's file signature
constexpr int32_t kFastTextVersion = 12;

bool WordByte(unsigned char c) { return std::isalnum(c) || c == '\'' || c >= 0x80; }

}  // namespace

std::string ModelTokens(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  size_t i = 0;
  auto space = [&] {
    if (!out.empty() && out.back() != ' ') out += ' ';
  };
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!WordByte(c) && c != '@') {
      space();
      if (c == '!' || c == '?') {
        out += static_cast<char>(c);
        out += ' ';
      }
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() &&
           (WordByte(static_cast<unsigned char>(text[end])) || (end == i && text[end] == '@') ||
            text[end] == '.' || text[end] == '/' || text[end] == ':')) {
      ++end;
    }
    std::string word(text.substr(i, end - i));
    if (word.rfind("http", 0) == 0 || word.rfind("www.", 0) == 0) {  // the whole address
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    }
    // Trailing full stops and the like belong to the sentence, not the word.
    while (!word.empty() && (word.back() == '.' || word.back() == ':' || word.back() == '/' ||
                             word.back() == '\'')) {
      word.pop_back();
    }
    while (!word.empty() && word.front() == '\'') word.erase(0, 1);
    for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    i = end;
    if (word.empty()) continue;
    space();
    if (word.rfind("http", 0) == 0 || word.rfind("www.", 0) == 0) {
      out += "url";
    } else if (word[0] == '@') {
      out += word.size() > 1 ? "@user" : "at";
    } else if (std::isdigit(static_cast<unsigned char>(word[0]))) {
      out += '0';
    } else {
      // Abbreviations keep their letters ("e.g" -> "eg"); other joined words split at the marks.
      for (char ch : word) out += (ch == '.' || ch == '/' || ch == ':') ? ' ' : ch;
    }
    out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

TextModel::TextModel() : model_(std::make_unique<fasttext::FastText>()) {}
TextModel::~TextModel() = default;

Result<std::shared_ptr<const TextModel>> TextModel::FromBytes(const std::string& bytes) {
  using R = Result<std::shared_ptr<const TextModel>>;
  int32_t magic = 0, version = 0;
  if (bytes.size() < 8) return R::Error("not a fastText model (too short)");
  std::memcpy(&magic, bytes.data(), 4);
  std::memcpy(&version, bytes.data() + 4, 4);
  if (magic != kFastTextMagic) return R::Error("not a fastText model (wrong signature)");
  if (version != kFastTextVersion) {
    return R::Error("a fastText model of version " + std::to_string(version) + ", expected " +
                    std::to_string(kFastTextVersion));
  }
  std::shared_ptr<TextModel> model(new TextModel());
  try {
    std::istringstream in(bytes.substr(8));
    // fastText reads a truncated file's strings until a NUL that never comes: make running out of
    // bytes an exception instead.
    in.exceptions(std::ios::failbit | std::ios::badbit | std::ios::eofbit);
    model->model_->loadModel(in);
    if (model->model_->getArgs().model != fasttext::model_name::sup) {
      return R::Error("a fastText model, but not a supervised classifier");
    }
    model->labels_ = model->model_->getDictionary()->nlabels();
    const std::streamoff used = in.tellg();
    if (used < 0) throw std::ios_base::failure("no position after the model");
    const std::string_view rest = std::string_view(bytes).substr(8 + static_cast<size_t>(used));
    if (!rest.empty()) {
      Result<WordModel> words = WordModel::FromBytes(rest);
      if (!words) return R::Error("after the fastText model: " + words.error());
      std::vector<std::string> theirs = model->Labels();
      std::sort(theirs.begin(), theirs.end());
      if (words->Labels() != theirs) {  // both sorted
        return R::Error("after the fastText model: a word model for other labels");
      }
      model->words_ = std::make_unique<const WordModel>(std::move(*words));
    }
  } catch (const std::exception& e) {
    return R::Error(std::string("the fastText model could not be read: ") + e.what());
  }
  if (model->labels_ < 2) return R::Error("the fastText model knows fewer than two labels");
  return std::shared_ptr<const TextModel>(std::move(model));
}

std::vector<LabelScore> TextModel::Scores(std::string_view text) const {
  const std::string tokens = ModelTokens(text);
  std::istringstream in(tokens + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  model_->predictLine(in, predictions, labels_, 0.0);
  std::vector<LabelScore> out;
  out.reserve(predictions.size());
  for (const auto& [probability, label] : predictions) {
    std::string name = label.substr(std::min(label.size(), kLabelPrefix.size()));
    out.push_back({std::move(name), static_cast<double>(probability)});
  }
  if (words_ == nullptr || out.empty()) return out;
  std::map<std::string, double> mean;
  for (const LabelScore& s : out) mean[s.label] += (1 - kWordModelShare) * s.probability;
  for (const LabelScore& s : words_->ScoresOfTokens(tokens)) {
    mean[s.label] += kWordModelShare * s.probability;
  }
  out.clear();
  for (const auto& [label, probability] : mean) out.push_back({label, probability});
  std::stable_sort(out.begin(), out.end(), [](const LabelScore& a, const LabelScore& b) {
    return a.probability > b.probability;
  });
  return out;
}

std::vector<std::string> TextModel::Labels() const {
  std::vector<std::string> out;
  auto dictionary = model_->getDictionary();
  for (int32_t i = 0; i < dictionary->nlabels(); ++i) {
    const std::string label = dictionary->getLabel(i);
    out.push_back(label.substr(std::min(label.size(), kLabelPrefix.size())));
  }
  return out;
}

}  // namespace complaints
