#include "daemon/command_line.h"

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

}  // namespace
}  // namespace complaints
