#include "daemon/base/command_line.h"

#include <gtest/gtest.h>

namespace complaints {
namespace {

const CommandLine::Spec kSpec{{"year", "region"}, {"json"}};

TEST(CommandLineTest, ReadsBothValueSpellingsFlagsAndWords) {
  Result<CommandLine> line =
      CommandLine::Parse({"--year", "2026", "--region=scotland", "--json", "a.eml"}, kSpec);
  ASSERT_TRUE(line.ok()) << line.error();
  EXPECT_EQ(line->Get("year"), "2026");
  EXPECT_EQ(line->Get("region"), "scotland");
  EXPECT_TRUE(line->Has("json"));
  EXPECT_EQ(line->positional(), std::vector<std::string>{"a.eml"});
}

TEST(CommandLineTest, DoubleDashEndsOptions) {
  Result<CommandLine> line = CommandLine::Parse({"--", "--json"}, kSpec);
  ASSERT_TRUE(line.ok());
  EXPECT_FALSE(line->Has("json"));
  EXPECT_EQ(line->positional(), std::vector<std::string>{"--json"});
}

TEST(CommandLineTest, RefusesUnknownMissingAndMisusedOptions) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--yaer", "2026"}, "unknown option --yaer"},
      {{"--year"}, "--year needs a value"},
      {{"--json=yes"}, "--json takes no value"},
  };
  for (const auto& [args, message] : cases) {
    Result<CommandLine> line = CommandLine::Parse(args, kSpec);
    ASSERT_FALSE(line.ok());
    EXPECT_EQ(line.error(), message);
  }
}

TEST(CommandLineTest, WholeNumbers) {
  EXPECT_EQ(*ParseWholeNumber("42", "n", 0, 100), 42);
  for (const char* bad : {"", "4x", "-1", "101", "1e3", " 4", "99999999999999999999"}) {
    EXPECT_FALSE(ParseWholeNumber(bad, "n", 0, 100).ok()) << bad;
  }
}

TEST(CommandLineTest, Probabilities) {
  EXPECT_EQ(*ParseProbability("0.13", "p"), 0.13);
  EXPECT_EQ(*ParseProbability("1", "p"), 1.0);
  EXPECT_EQ(*ParseProbability("0", "p"), 0.0);
  EXPECT_EQ(*ParseProbability(".5", "p"), 0.5);
  for (const char* bad : {"", ".", "1.5", "-0.1", "+0.1", "1e-1", "nan", "inf", "0.1.2", " 0.1"}) {
    Result<double> p = ParseProbability(bad, "p");
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.error(), "invalid p '" + std::string(bad) +
                             "': expected a probability from 0 to 1, such as 0.13");
  }
}

}  // namespace
}  // namespace complaints
