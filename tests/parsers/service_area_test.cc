#include "parsers/service_area.h"

#include <gtest/gtest.h>

namespace complaints {
namespace {

TEST(ServiceAreaTest, EachAreaFromATypicalComplaint) {
  struct Case {
    const char* text;
    const char* area;
  } cases[] = {
      {"The boiler has broken down three times and the engineer never turned up for the repair.",
       "repairs"},
      {"There is black mould on the bedroom walls and the damp is making my son's asthma worse.",
       "damp_and_mould"},
      {"I reported the neighbour's loud music and the harassment six times and nothing was done.",
       "asb_handling"},
      {"The housing officer was rude and dismissive when I came to the office.", "staff_conduct"},
      {"I have been chasing for weeks, nobody got back to me and there is no record of my call.",
       "communication"},
      {"My rent account shows arrears that are wrong because the direct debit was taken twice.",
       "rent_and_charges"},
      {"The communal stairwell has not been cleaned in a month and the bins are overflowing.",
       "estate_services"},
  };
  for (const Case& c : cases) {
    const ServiceAreaSuggestion s = SuggestServiceArea(c.text);
    EXPECT_EQ(s.area, c.area) << c.text;
    EXPECT_GT(s.confidence, 0.5) << c.text;
    EXPECT_LE(s.confidence, 1.0) << c.text;
  }
}

TEST(ServiceAreaTest, NothingToGoOnIsOtherWithNoConfidence) {
  const ServiceAreaSuggestion s = SuggestServiceArea("I am not happy with how this was handled.");
  EXPECT_EQ(s.area, "other");
  EXPECT_EQ(s.confidence, 0.0);
}

TEST(ServiceAreaTest, MixedTextIsLessCertainThanPlainText) {
  const ServiceAreaSuggestion plain = SuggestServiceArea("Mould and damp in every room.");
  const ServiceAreaSuggestion mixed = SuggestServiceArea(
      "Mould in the bathroom, and the officer who came was rude and patronising.");
  EXPECT_EQ(plain.area, "damp_and_mould");
  EXPECT_LT(mixed.confidence, plain.confidence);
  EXPECT_LT(mixed.confidence, 0.6);  // not much more than half the evidence
}

TEST(ServiceAreaTest, CuesMatchOnlyAtTheStartOfAWord) {
  // "current" and "parent" hold "rent" inside a word: no evidence.
  EXPECT_EQ(SuggestServiceArea("My parent's current situation is hard.").area, "other");
  EXPECT_EQ(SuggestServiceArea("RENT INCREASE is unfair").area, "rent_and_charges");
}

TEST(ServiceAreaTest, NamesAndTitles) {
  EXPECT_EQ(ServiceAreas().size(), 8u);
  EXPECT_EQ(ServiceAreas().back(), "other");
  EXPECT_EQ(ServiceAreaTitle("communication"), "Communication and record keeping");
  EXPECT_EQ(ServiceAreaTitle("other"), "Other");
  EXPECT_TRUE(IsServiceArea("damp_and_mould"));
  EXPECT_FALSE(IsServiceArea("plumbing"));
}

}  // namespace
}  // namespace complaints
