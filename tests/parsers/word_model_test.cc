// The word model (TF-IDF logistic regression): it learns, it is deterministic, its bytes
// round-trip, and damaged bytes are errors, never crashes.
#include "parsers/word_model.h"

#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace complaints {
namespace {

std::vector<std::pair<std::string, std::string>> Examples() {
  return {
      {"complaint", "the boiler is still broken and nobody came"},
      {"complaint", "third time nobody came, still no heating"},
      {"complaint", "still waiting, nobody came again"},
      {"compliment", "thank you, the plumber was lovely"},
      {"compliment", "lovely job, thank you so much"},
      {"compliment", "thank you for the quick repair"},
      {"service_request", "please could you fix the kitchen tap"},
      {"service_request", "could you send a rent statement please"},
  };
}

double Probability(const std::vector<LabelScore>& scores, const std::string& label) {
  for (const LabelScore& s : scores) {
    if (s.label == label) return s.probability;
  }
  return -1;
}

TEST(WordModelTest, LearnsWordsAndWordPairs) {
  Result<WordModel> m = WordModel::Train(Examples());
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_EQ(m->Labels(), (std::vector<std::string>{"complaint", "compliment", "service_request"}));
  EXPECT_EQ(m->Scores("nobody came, still broken").front().label, "complaint");
  EXPECT_EQ(m->Scores("Thank you, lovely!").front().label, "compliment");
  EXPECT_EQ(m->Scores("could you fix the tap please").front().label, "service_request");
  EXPECT_GT(Probability(m->Scores("nobody came"), "complaint"), 0.6);
  // "nobody came" is a pair it saw: a feature of its own beside the two words.
  EXPECT_GT(m->Features(), 40u);
}

TEST(WordModelTest, ProbabilitiesSumToOneEvenForUnknownWords) {
  Result<WordModel> m = WordModel::Train(Examples());
  ASSERT_TRUE(m.ok());
  for (const char* text : {"", "zzzz qqqq", "nobody came", "\xC3\xA9t\xC3\xA9"}) {
    const std::vector<LabelScore> scores = m->Scores(text);
    ASSERT_EQ(scores.size(), 3u) << text;
    const double sum =
        std::accumulate(scores.begin(), scores.end(), 0.0,
                        [](double a, const LabelScore& s) { return a + s.probability; });
    EXPECT_NEAR(sum, 1.0, 1e-9) << text;
    EXPECT_GE(scores[0].probability, scores[1].probability);
  }
}

TEST(WordModelTest, TrainingIsDeterministicAndBytesRoundTrip) {
  Result<WordModel> a = WordModel::Train(Examples());
  Result<WordModel> b = WordModel::Train(Examples());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Bytes(), b->Bytes());
  Result<WordModel> read = WordModel::FromBytes(a->Bytes());
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(read->Bytes(), a->Bytes());
  for (const char* text : {"nobody came", "thank you", "fix the tap"}) {
    const std::vector<LabelScore> x = a->Scores(text), y = read->Scores(text);
    ASSERT_EQ(x.size(), y.size());
    for (size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(x[i].label, y[i].label);
      EXPECT_DOUBLE_EQ(x[i].probability, y[i].probability);
    }
  }
  // Another seed shuffles differently: the bytes are the seed's, not a constant.
  WordModelSettings other;
  other.seed = 7;
  EXPECT_NE(WordModel::Train(Examples(), other)->Bytes(), a->Bytes());
}

TEST(WordModelTest, DamagedBytesAreErrorsNotCrashes) {
  const std::string bytes = WordModel::Train(Examples())->Bytes();
  EXPECT_FALSE(WordModel::FromBytes("").ok());
  EXPECT_FALSE(WordModel::FromBytes("not a model at all").ok());
  for (size_t cut = 0; cut < bytes.size(); cut += 7) {
    EXPECT_FALSE(WordModel::FromBytes(bytes.substr(0, cut)).ok()) << cut;
  }
  EXPECT_FALSE(WordModel::FromBytes(bytes + "x").ok());  // trailing bytes
  std::string huge = bytes;
  huge[8] = '\x7F';  // the label count
  EXPECT_FALSE(WordModel::FromBytes(huge).ok());
}

// Values no training gives (an IDF near FLT_MAX, labels out of order) are damage: they would make
// scores NaN or labels ambiguous.
TEST(WordModelTest, ValuesTrainingCannotGiveAreRefused) {
  const std::string bytes = WordModel::Train(Examples())->Bytes();
  // After the magic, the label count and the labels ("complaint", "compliment",
  // "service_request"), the biases, the feature count: the first term, then its IDF.
  size_t at = 8 + 4;
  for (const char* label : {"complaint", "compliment", "service_request"})
    at += 4 + std::strlen(label);
  at += 3 * 4 + 4;
  const uint32_t term = static_cast<unsigned char>(bytes[at]);
  at += 4 + term;
  std::string huge_idf = bytes;
  const float big = 3e38f;
  std::memcpy(&huge_idf[at], &big, 4);
  Result<WordModel> damaged = WordModel::FromBytes(huge_idf);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().find("training cannot give"), std::string::npos) << damaged.error();

  // "complaint" starts at byte 16 and "compliment" at 29: swapping their sixth letters gives
  // "compliint" before "complament", out of order.
  std::string swapped = bytes;
  ASSERT_EQ(swapped.substr(16, 9), "complaint");
  ASSERT_EQ(swapped.substr(29, 10), "compliment");
  std::swap(swapped[16 + 5], swapped[29 + 5]);
  EXPECT_FALSE(WordModel::FromBytes(swapped).ok());
}

TEST(WordModelTest, NeedsTwoLabels) {
  Result<WordModel> one = WordModel::Train({{"complaint", "a"}, {"complaint", "b"}});
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.error().find("two labels"), std::string::npos);
}

}  // namespace
}  // namespace complaints
