// complaintsctl report tsm on a store made through complaintsctl with --at, against figures
// worked by hand below (the financial year 2025-26: 1 April 2025 to 31 March 2026).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon/ctl/commands.h"
#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::CtlRun;

class CtlReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ctl_report_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CtlRun Ctl(std::vector<std::string> args) {
    if (args[0] == "cases") args.insert(args.begin(), {"--as", "tester"});
    args.insert(args.begin(),
                {"--db", (dir_ / "c.db").string(), "--policy",
                 std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/westway.json"});
    std::ostringstream out, err;
    const int code = RunCtl(args, out, err);
    return {code, out.str(), err.str()};
  }
  // Opens a complaint received at `at`; returns its reference.
  std::string Open(const std::string& at) {
    const CtlRun r =
        Ctl({"cases", "open", "--type=complaint", "--channel=phone", "--name=R", "--at=" + at});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }
  void Do(std::vector<std::string> args) {
    args.insert(args.begin(), "cases");
    const CtlRun r = Ctl(args);
    EXPECT_EQ(r.code, 0) << args[1] << " " << args[2] << ": " << r.err;
  }
  nlohmann::json Tsm(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"report", "tsm", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CtlRun r = Ctl(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }

  std::filesystem::path dir_;
};

TEST_F(CtlReportTest, Ch01AndCh02MatchTheFiguresWorkedByHand) {
  // A: acknowledged 3 June, so due 17 June (10 working days); answered 13 June: on time.
  const std::string a = Open("2025-06-02T09:00:00+01:00");
  Do({"ack", a, "--at=2025-06-03T10:00:00+01:00"});
  Do({"respond", a, "--outcome=upheld", "--at=2025-06-13T12:00:00+01:00"});
  // B: acknowledged 4 June, due 18 June; answered 30 June: late.
  const std::string b = Open("2025-06-02T09:05:00+01:00");
  Do({"ack", b, "--at=2025-06-04T10:00:00+01:00"});
  Do({"respond", b, "--outcome=not_upheld", "--at=2025-06-30T12:00:00+01:00"});
  // C: due 22 July, extended 10 working days (the Code's cap) to 5 August; answered 25 July.
  const std::string c = Open("2025-07-07T09:00:00+01:00");
  Do({"ack", c, "--at=2025-07-08T10:00:00+01:00"});
  Do({"extend", c, "--working-days=10", "--reason=contractor report",
      "--at=2025-07-15T10:00:00+01:00"});
  Do({"respond", c, "--outcome=upheld", "--at=2025-07-25T12:00:00+01:00"});
  // D: extended 15 working days (Westway sets no cap; the Code allows 10, so it counts to 5
  // August); answered 8 August: within Westway's policy, late under the Code.
  const std::string d = Open("2025-07-07T09:05:00+01:00");
  Do({"ack", d, "--at=2025-07-08T10:00:00+01:00"});
  Do({"extend", d, "--working-days=15", "--reason=surveyor", "--at=2025-07-15T10:00:00+01:00"});
  Do({"respond", d, "--outcome=partly_upheld", "--at=2025-08-08T12:00:00+01:00"});
  // E: stage one answered in time, escalated 15 September, stage two acknowledged 16 September
  // (due 14 October, 20 working days) and answered 1 October: counted at both stages.
  const std::string e = Open("2025-09-01T09:00:00+01:00");
  Do({"ack", e, "--at=2025-09-02T10:00:00+01:00"});
  Do({"respond", e, "--outcome=not_upheld", "--at=2025-09-10T12:00:00+01:00"});
  Do({"escalate", e, "--at=2025-09-15T10:00:00+01:00"});
  Do({"ack", e, "--at=2025-09-16T10:00:00+01:00"});
  Do({"respond", e, "--outcome=upheld", "--at=2025-10-01T12:00:00+01:00"});
  // F: withdrawn before a response: received, not responded to.
  const std::string f = Open("2025-10-06T09:00:00+01:00");
  Do({"ack", f, "--at=2025-10-07T10:00:00+01:00"});
  Do({"withdraw", f, "--reason=sorted with the contractor", "--at=2025-10-10T10:00:00+01:00"});
  // G: refused (not a complaint under the policy): not counted.
  const std::string g = Open("2025-11-03T09:00:00+00:00");
  Do({"refuse", g, "--reason=neighbour", "--at=2025-11-04T10:00:00+00:00"});
  // H: received in the year before (20 March 2025), answered 2 April 2025 (due 4 April): counted
  // as responded to in this year, on time, but not as received.
  const std::string h = Open("2025-03-20T09:00:00+00:00");
  Do({"ack", h, "--at=2025-03-21T10:00:00+00:00"});
  Do({"respond", h, "--outcome=upheld", "--at=2025-04-02T12:00:00+01:00"});
  // I: received 25 March 2026, answered 2 April 2026: received this year, responded to the next.
  const std::string i = Open("2026-03-25T09:00:00+00:00");
  Do({"ack", i, "--at=2026-03-26T10:00:00+00:00"});
  Do({"respond", i, "--outcome=upheld", "--at=2026-04-02T12:00:00+01:00"});

  // The stock grew in the year; the figure on 31 March counts.
  std::ofstream(dir_ / "key") << "k\n";
  std::filesystem::permissions(
      dir_ / "key", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ofstream(dir_ / "c.properties")
      << "store.path = c.db\nmailbox.maildir = m\noutbox.pickup-dir = o\n"
      << "mail.signing-key-file = key\npolicy.file = " << COMPLAINTSD_SOURCE_DIR
      << "/config/policies/westway.json\n"
      << "landlord.homes = 2024-04-01:1000, 2026-01-01:2000\n";
  const nlohmann::json y = Tsm({"--year=2025", "--config=" + (dir_ / "c.properties").string()});
  EXPECT_EQ(y["homes"], 2000);
  EXPECT_EQ(y["stage1_received"], 7);   // A B C D E F I
  EXPECT_EQ(y["stage2_received"], 1);   // E
  EXPECT_EQ(y["stage1_responded"], 6);  // A B C D E H
  EXPECT_EQ(y["stage1_on_time"], 4);    // A C E H
  EXPECT_EQ(y["stage2_responded"], 1);
  EXPECT_EQ(y["stage2_on_time"], 1);
  EXPECT_DOUBLE_EQ(y["CH01_1"].get<double>(), 3.5);  // 7 per 2,000 homes
  EXPECT_DOUBLE_EQ(y["CH01_2"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(y["CH02_1"].get<double>(), 66.67);  // 4 of 6
  EXPECT_DOUBLE_EQ(y["CH02_2"].get<double>(), 100.0);

  // The year before, with --homes: only H was received, nothing answered.
  const nlohmann::json before = Tsm({"--year=2024", "--homes=1000"});
  EXPECT_EQ(before["stage1_received"], 1);
  EXPECT_DOUBLE_EQ(before["CH01_1"].get<double>(), 1.0);
  EXPECT_TRUE(before["CH02_1"].is_null());

  // --explain names every case and why; the refused one is not counted.
  const CtlRun explained = Ctl({"report", "tsm", "--year=2025", "--homes=2000", "--explain"});
  ASSERT_EQ(explained.code, 0) << explained.err;
  EXPECT_NE(explained.out.find(d + "  stage 1  received  late"), std::string::npos)
      << explained.out;
  EXPECT_NE(explained.out.find("counted up to the Code's 10"), std::string::npos);
  EXPECT_NE(explained.out.find(f + "  stage 1  received  -  "), std::string::npos);
  EXPECT_NE(explained.out.find(g + "  stage 1  -  -  refused"), std::string::npos);
  EXPECT_NE(explained.out.find(h + "  stage 1  -  on time"), std::string::npos);
}

TEST_F(CtlReportTest, MissingHomesAndBadYearsAreClearErrors) {
  const CtlRun no_homes = Ctl({"report", "tsm", "--year=2025"});
  EXPECT_EQ(no_homes.code, 2);
  EXPECT_NE(no_homes.err.find("--homes"), std::string::npos);
  EXPECT_EQ(Ctl({"report", "tsm", "--year=twenty", "--homes=10"}).code, 2);
  EXPECT_EQ(Ctl({"report", "tsm", "--year=2025", "--homes=0"}).code, 2);
  EXPECT_EQ(Ctl({"report", "annual"}).code, 2);
}

}  // namespace
}  // namespace complaints
