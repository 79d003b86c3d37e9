#include "daemon/cases/policy.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "daemon/ctl/commands.h"

namespace complaints {
namespace {

std::string PolicyPath(const std::string& name) {
  return std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/" + name + ".json";
}

Policy Load(const std::string& name) {
  Result<Policy> p = LoadPolicy(PolicyPath(name));
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error());
  return p.ok() ? *p : Policy{};
}

std::vector<std::string> Paragraphs(const Policy& policy) {
  std::vector<std::string> out;
  for (const CodeConflict& c : CheckAgainstCode(policy)) out.push_back(c.paragraph);
  return out;
}

TEST(PolicyTest, CodeDefaultHasNoConflict) {
  const Policy p = Load("hos-code-2024");
  EXPECT_EQ(p.stages.size(), 2u);
  EXPECT_TRUE(CheckAgainstCode(p).empty());
}

TEST(PolicyTest, WestwayLeafletTimescalesAndConflicts) {
  const Policy p = Load("westway");
  ASSERT_EQ(p.stages.size(), 3u);
  EXPECT_EQ(p.stages[0].acknowledge_days, 2);
  EXPECT_EQ(p.stages[0].respond_days, 10);
  EXPECT_EQ(p.stages[0].escalation_window_days, 20);
  EXPECT_EQ(p.stages[1].acknowledge_days, 2);
  EXPECT_EQ(p.stages[1].respond_days, 10);
  EXPECT_EQ(p.stages[1].escalation_window_days, 20);
  ASSERT_TRUE(p.pre_formal.has_value());
  EXPECT_EQ(p.pre_formal->resolve_within_days, 1);
  EXPECT_EQ(p.pre_formal->escalate_within_days, 5);
  EXPECT_EQ(p.exclusion_max_age_months, 6);
  EXPECT_EQ(Paragraphs(p), (std::vector<std::string>{"5.2", "5.3", "2.3", "6.4", "6.14",
                                                     "Ombudsman access", "Ombudsman access"}));
}

TEST(PolicyTest, WillowTreeConflictsAreTheInformalStageAndCompensation) {
  const Policy p = Load("willow-tree");
  ASSERT_TRUE(p.stages[1].panel.has_value());
  EXPECT_EQ(p.stages[1].panel->members, 3);
  EXPECT_EQ(Paragraphs(p), (std::vector<std::string>{"5.2", "7.1"}));
}

TEST(PolicyTest, SpsoIsScottishWithDirectEntry) {
  const Policy p = Load("spso-model");
  EXPECT_EQ(p.division, Division::kScotland);
  EXPECT_FALSE(p.stages[0].acknowledge_days.has_value());
  EXPECT_TRUE(p.stages[1].direct_entry);
  EXPECT_EQ(Paragraphs(p), (std::vector<std::string>{"2.3"}));
}

TEST(PolicyTest, StricterTimescalesAreNotConflictsButSlowerOnesAre) {
  Policy p = Load("hos-code-2024");
  p.stages[0].acknowledge_days = 2;
  p.stages[0].respond_days = 8;
  EXPECT_TRUE(CheckAgainstCode(p).empty());
  p.stages[0].acknowledge_days = 6;
  p.stages[0].respond_days = 11;
  p.stages[0].max_extension_days = 15;
  p.stages[1].acknowledge_days = 7;
  p.stages[1].respond_days = 25;
  p.stages[1].max_extension_days.reset();
  EXPECT_EQ(Paragraphs(p), (std::vector<std::string>{"6.2", "6.3", "6.4", "6.11", "6.13", "6.14"}));
}

TEST(PolicyTest, InvalidFilesNameTheLineOrKey) {
  const std::string good = R"({"id": "x", "name": "n", "landlord": "l",
    "reference_format": "XX-{year}-{seq:5}", "ombudsman": {"name": "o"},
    "stages": [{"name": "s", "handler": "h", "acknowledge_days": 5, "respond_days": 10,
                "response_clock": "acknowledgement"}]})";
  ASSERT_TRUE(ParsePolicy(good, "p.json").ok()) << ParsePolicy(good, "p.json").error();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\n  \"id\": \"x\",\n  oops\n}", "line 3"},
      {R"({"id": "x"})", "p.json: name: missing"},
      {R"({"id": "x", "name": "n", "landlord": "l", "reference_format": "{seq:5}{seq:3}",
          "ombudsman": {"name": "o"}, "stages": []})",
       "p.json: reference_format: '{seq:5}{seq:3}' is not a reference format"},
      {R"({"id": "x", "name": "n", "landlord": "l", "reference_format": "A-{seq:5}",
          "ombudsman": {"name": "o"}, "stages": [{"name": "s", "handler": "h",
          "respond_days": 10, "response_clock": "receipt", "acknowlege_days": 5}]})",
       "p.json: stages[0].acknowlege_days: unknown key"},
      {R"({"id": "x", "name": "n", "landlord": "l", "reference_format": "A-{seq:5}",
          "ombudsman": {"name": "o"}, "stages": [{"name": "s", "handler": "h",
          "respond_days": "ten", "response_clock": "receipt"}]})",
       "p.json: stages[0].respond_days: expected a whole number"},
      {R"({"id": "x", "name": "n", "landlord": "l", "reference_format": "A-{seq:5}",
          "region": "wales", "ombudsman": {"name": "o"}, "stages": [{"name": "s",
          "handler": "h", "respond_days": 5, "response_clock": "receipt"}]})",
       "p.json: region: unknown region"},
  };
  for (const auto& [text, message] : cases) {
    Result<Policy> p = ParsePolicy(text, "p.json");
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_NE(p.error().find(message), std::string::npos) << p.error();
  }
}

TEST(PolicyTest, ReferenceFormatAndPattern) {
  EXPECT_EQ(FormatReference("WW-{year}-{seq:5}", 2026, 42), "WW-2026-00042");
  EXPECT_EQ(FormatReference("WW-{year}-{seq:5}", 2026, 123456), "WW-2026-123456");
  EXPECT_EQ(FormatReference("C{seq:3}", 2026, 7), "C007");
  const std::regex pattern(ReferencePattern("WW-{year}-{seq:5}"));
  EXPECT_TRUE(std::regex_search("Re: [WW-2026-00042] boiler", pattern));
  EXPECT_FALSE(std::regex_search("WW-26-00042", pattern));
}

TEST(PolicyTest, ShowDescribesTheTimelineInWords) {
  const std::string text = DescribePolicy(Load("westway"));
  EXPECT_NE(text.find("Quick fix: the person taking the complaint resolves it within 1 working "
                      "day; the resident may move to the formal process within 5 working days"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("acknowledge within 2 working days of receipt; respond within 10 working "
                      "days of receipt"),
            std::string::npos);
  EXPECT_NE(text.find("References look like WW-2026-00042."), std::string::npos);
}

TEST(PolicyTest, CheckCommandExitCodes) {
  std::ostringstream out, err;
  EXPECT_EQ(RunCtl({"policy", "check", PolicyPath("hos-code-2024")}, out, err), 0);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(RunCtl({"policy", "check", PolicyPath("westway")}, out, err), 1);
  EXPECT_NE(out.str().find("5.3: 3 stages"), std::string::npos);
  std::ostringstream err2;
  EXPECT_EQ(RunCtl({"policy", "check", "/nonexistent.json"}, out, err2), 2);
  EXPECT_NE(err2.str().find("/nonexistent.json: cannot be read"), std::string::npos);
  std::ostringstream show;
  EXPECT_EQ(RunCtl({"policy", "show", PolicyPath("willow-tree")}, show, err), 0);
  EXPECT_NE(show.str().find("decided by a panel of 3"), std::string::npos);
}

}  // namespace
}  // namespace complaints
