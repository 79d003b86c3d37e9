#include "parsers/cue_classifier.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace complaints {
namespace {

struct Case {
  const char* text;
  const char* label;
};

// The hard cases the Code cares about, in the project's own words.
TEST(CueClassifierTest, TheCodesHardCases) {
  const std::vector<Case> cases = {
      {"The contractor has been out three times and the boiler is still not fixed.", "complaint"},
      {"Could you please send someone to fix my tap? This is the third time I have asked and "
       "nobody came.",
       "complaint"},  // a repair request with dissatisfaction is a complaint
      {"I am sorry to bother you, but I was disappointed that nobody rang me back as promised.",
       "complaint"},  // polite, never says "complaint"
      {"Thanks for nothing. Brilliant service as always.", "complaint"},  // sarcastic thanks
      {"My neighbour plays loud music every night and swore at me.", "asb"},
      {"Could someone come and look at my dripping kitchen tap please?", "service_request"},
      {"It would really help if the bin store had signs. Just a suggestion.", "comment"},
      {"A big thank you to the caretaker, he went above and beyond.", "compliment"},
  };
  for (const Case& c : cases) {
    const CueVerdict v = ClassifyByCues("", c.text);
    EXPECT_EQ(v.label, c.label) << c.text;
    EXPECT_FALSE(v.cues.empty()) << c.text;  // always explainable
  }
}

// Cues match at the start of a word, so a word that merely contains one is not it.
TEST(CueClassifierTest, CuesStartAWord) {
  const auto cues = [](const char* text) { return ClassifyByCues("", text).cues; };
  const auto has = [](const std::vector<std::string>& v, const std::string& cue) {
    return std::find(v.begin(), v.end(), cue) != v.end();
  };
  EXPECT_FALSE(has(cues("The officer was very sympathetic."), "dissatisfied:pathetic"));
  EXPECT_TRUE(has(cues("The response was pathetic."), "dissatisfied:pathetic"));
  EXPECT_FALSE(has(cues("My parent lives with me."), "request:rent"));
  EXPECT_TRUE(has(cues("Can I pay my rent weekly?"), "request:rent"));
  EXPECT_TRUE(has(cues("I complained twice."), "dissatisfied:complain"));  // stems still match
  EXPECT_EQ(ClassifyByCues("", "Thank you, the officer was so sympathetic and kind.").label,
            "compliment");
}

TEST(CueClassifierTest, UnsureMeansComplaintWithReview) {
  const CueVerdict mixed =
      ClassifyByCues("", "Thanks for coming, but the repair was wrong and I had to chase it.");
  EXPECT_EQ(mixed.label, "complaint");
  EXPECT_TRUE(mixed.needs_review);
  const CueVerdict blank = ClassifyByCues("", "Hello");
  EXPECT_EQ(blank.label, "other");
  EXPECT_TRUE(blank.needs_review);
}

TEST(CueClassifierTest, UnhappyWithHowWeHandledAsbIsAComplaint) {
  const CueVerdict v = ClassifyByCues(
      "",
      "I reported my neighbour's noise in May and you have done nothing. I am fed up and "
      "not satisfied with how this has been ignored.");
  EXPECT_EQ(v.label, "complaint");
}

}  // namespace
}  // namespace complaints
