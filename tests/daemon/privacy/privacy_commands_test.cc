// complaintsctl retention, person and cases hold|unhold on a store made through complaintsctl:
// retention leaves a past year's TSM figures as they were, a hold stops it, erasure is refused
// under a hold.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon/ctl/commands.h"
#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::CtlRun;

class PrivacyCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("privacy_commands_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CtlRun Ctl(std::vector<std::string> args) {
    if (args[0] != "report") args.insert(args.begin(), {"--as", "tester"});
    args.insert(args.begin(),
                {"--db", (dir_ / "c.db").string(), "--policy",
                 std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/westway.json"});
    std::ostringstream out, err;
    const int code = RunCtl(args, out, err);
    return {code, out.str(), err.str()};
  }
  // A complaint received, acknowledged, answered and closed on the days given.
  std::string Closed(const std::string& name, const std::string& received, const std::string& ack,
                     const std::string& answered, const std::string& closed) {
    const CtlRun r = Ctl({"cases", "open", "--type=complaint", "--channel=email", "--name=" + name,
                          "--email=" + name + "@example.org", "--address=1 " + name + " Road",
                          "--summary=" + name + " says the roof leaks", "--at=" + received});
    EXPECT_EQ(r.code, 0) << r.err;
    const std::string ref = r.out.substr(0, r.out.find('\n'));
    Do({"cases", "ack", ref, "--at=" + ack});
    Do({"cases", "respond", ref, "--outcome=upheld", "--financial=50:distress",
        "--at=" + answered});
    Do({"cases", "close", ref, "--at=" + closed});
    return ref;
  }
  void Do(const std::vector<std::string>& args) {
    const CtlRun r = Ctl(args);
    EXPECT_EQ(r.code, 0) << args[0] << " " << args[1] << ": " << r.err;
  }
  std::string Tsm(const std::string& year) {
    const CtlRun r =
        Ctl({"report", "tsm", "--json", "--explain", "--year=" + year, "--homes=1000"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out;
  }
  // The annual report's every figure (the CSV has no date of making: the same figures, the same
  // bytes).
  std::string Annual(const std::string& year) {
    const CtlRun r = Ctl({"report", "annual", "--format=csv", "--year=" + year, "--homes=1000"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out;
  }

  std::filesystem::path dir_;
};

TEST_F(PrivacyCommandsTest, RetentionLeavesAPastYearsTsmFiguresUnchangedAndAHoldStopsIt) {
  const std::string on_time =
      Closed("ada", "2018-06-04T09:00:00+01:00", "2018-06-05T09:00:00+01:00",
             "2018-06-12T09:00:00+01:00", "2018-06-20T09:00:00+01:00");
  const std::string late = Closed("ben", "2018-07-02T09:00:00+01:00", "2018-07-03T09:00:00+01:00",
                                  "2018-08-30T09:00:00+01:00", "2018-09-03T09:00:00+01:00");
  const std::string held = Closed("cat", "2018-09-03T09:00:00+01:00", "2018-09-04T09:00:00+01:00",
                                  "2018-09-11T09:00:00+01:00", "2018-09-12T09:00:00+01:00");
  const std::string recent = Closed("dan", "2025-09-01T09:00:00+01:00", "2025-09-02T09:00:00+01:00",
                                    "2025-09-09T09:00:00+01:00", "2025-09-10T09:00:00+01:00");
  Do({"cases", "hold", held, "--reason=county court claim"});
  const std::string before = Tsm("2018");
  ASSERT_NE(before.find("\"stage1_received\": 3"), std::string::npos) << before;
  const std::string annual_before = Annual("2018");
  ASSERT_NE(annual_before.find("received,stage one,,3"), std::string::npos) << annual_before;

  const CtlRun dry = Ctl({"retention", "run", "--dry-run", "--json"});
  ASSERT_EQ(dry.code, 0) << dry.err;
  const nlohmann::json counted = nlohmann::json::parse(dry.out);
  EXPECT_EQ(counted["cases"], 2);
  EXPECT_EQ(counted["held"], 1);
  EXPECT_NE(Ctl({"cases", "show", on_time}).out.find("ada"), std::string::npos);

  const CtlRun run = Ctl({"retention", "run", "--json"});
  ASSERT_EQ(run.code, 0) << run.err;
  const nlohmann::json removed = nlohmann::json::parse(run.out);
  EXPECT_EQ(removed["cases"], 2);
  EXPECT_EQ(removed["contacts"], 2);
  EXPECT_EQ(removed["references"], (nlohmann::json{on_time, late}));

  EXPECT_EQ(Tsm("2018"), before);
  EXPECT_EQ(Annual("2018"), annual_before);
  const std::string ada = Ctl({"cases", "show", on_time}).out;
  EXPECT_EQ(ada.find("ada@example.org"), std::string::npos) << ada;
  EXPECT_EQ(ada.find("roof leaks"), std::string::npos) << ada;
  EXPECT_NE(ada.find("personal-data-removed"), std::string::npos) << ada;
  EXPECT_NE(Ctl({"cases", "show", held}).out.find("cat says the roof leaks"), std::string::npos);
  EXPECT_NE(Ctl({"cases", "show", recent}).out.find("dan says the roof leaks"), std::string::npos);

  // Erasure is refused while the hold applies, and done once it is released.
  const CtlRun refused = Ctl({"person", "erase", "--email=cat@example.org", "--reason=asked"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("legal hold"), std::string::npos) << refused.err;
  Do({"cases", "unhold", held, "--reason=claim settled"});
  Do({"person", "erase", "--email=cat@example.org", "--reason=asked"});
  EXPECT_EQ(Ctl({"cases", "show", held}).out.find("cat says"), std::string::npos);
  EXPECT_EQ(Tsm("2018"), before);
  EXPECT_EQ(Annual("2018"), annual_before);
}

TEST_F(PrivacyCommandsTest, ExportCorrectAndAccessLogFromTheCommandLine) {
  const std::string ref = Closed("eve", "2026-06-01T09:00:00+01:00", "2026-06-02T09:00:00+01:00",
                                 "2026-06-09T09:00:00+01:00", "2026-06-10T09:00:00+01:00");
  const std::string out = (dir_ / "sar").string();
  const CtlRun exported = Ctl({"person", "export", "--email=eve@example.org", "--out=" + out});
  ASSERT_EQ(exported.code, 0) << exported.err;
  std::ifstream in(dir_ / "sar" / "export.json");
  const nlohmann::json doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["cases"].size(), 1u);
  EXPECT_EQ(doc["cases"][0]["reference"], ref);
  struct stat st {};
  ASSERT_EQ(stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);  // personal data: the folder is the user's alone
  ASSERT_EQ(stat((dir_ / "sar" / "export.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
  ASSERT_EQ(stat((dir_ / "c.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);  // the privacy commands keep the store's files private too

  Do({"person", "correct", "--email=eve@example.org", "--address=2 New Road",
      "--reason=moved house"});
  EXPECT_NE(Ctl({"cases", "show", ref}).out.find("contact-corrected"), std::string::npos);
  const CtlRun log = Ctl({"person", "access-log", "--email=eve@example.org"});
  EXPECT_EQ(log.code, 0) << log.err;
  // complaintsctl's own read of the case (cases show) is in the log, as the workbench's are.
  EXPECT_NE(log.out.find("  tester  complaintsctl  case  " + ref + "\n"), std::string::npos)
      << log.out;
  EXPECT_EQ(std::count(log.out.begin(), log.out.end(), '\n'), 1) << log.out;
  EXPECT_EQ(Ctl({"person", "export", "--email=nobody@example.org", "--out=" + out + "2"}).code, 2);
}

}  // namespace
}  // namespace complaints
