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

// "No complaints" is satisfaction, not the dissatisfaction cue; a real grievance beside it still
// counts, and "any complaint" without a negation before it is still the cue.
TEST(CueClassifierTest, NoComplaintsIsPraise) {
  const auto has = [](const CueVerdict& v, const std::string& cue) {
    return std::find(v.cues.begin(), v.cues.end(), cue) != v.cues.end();
  };
  for (const char* text : {"No complaints. Just thank you.",
                           "The caretaker was kind. Couldn\u2019t make any complaints.",
                           "Honestly I can't complain, the new kitchen is lovely.",
                           "I don't have any complaints about the flat."}) {
    const CueVerdict v = ClassifyByCues("", text);
    EXPECT_FALSE(has(v, "dissatisfied:complain")) << text;
    EXPECT_TRUE(has(v, "praise:no complaints")) << text;
    EXPECT_NE(v.label, "complaint") << text;
  }
  const CueVerdict still = ClassifyByCues(
      "", "No complaints about the flat, but nobody came to fix the boiler and I am fed up.");
  EXPECT_EQ(still.label, "complaint");
  EXPECT_TRUE(has(ClassifyByCues("", "Have there been any complaints about the lift? Mine is."),
                  "dissatisfied:complain"));
  // A negation in an earlier sentence does not reach across the full stop.
  EXPECT_TRUE(has(ClassifyByCues("", "It is not fixed. Any complaint goes where?"),
                  "dissatisfied:complain"));
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
