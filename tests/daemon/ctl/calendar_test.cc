#include "daemon/ctl/commands.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/daemon/test_support.h"

namespace complaints {
namespace {

using testing::CtlRun;

CtlRun Ctl(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = RunCtl(args, out, err);
  return {code, out.str(), err.str()};
}

class CtlCalendarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() /
        ("ctl_calendar_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(CtlCalendarTest, HolidaysOnePerLineAscending) {
  const CtlRun run = Ctl({"calendar", "holidays", "--year", "2026", "--region", "scotland"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out,
            "2026-01-01\n2026-01-02\n2026-04-03\n2026-05-04\n2026-05-25\n2026-06-15\n"
            "2026-08-03\n2026-11-30\n2026-12-25\n2026-12-28\n");
  EXPECT_EQ(run.err, "");
}

TEST_F(CtlCalendarTest, AddPrintsTheNthWorkingDay) {
  EXPECT_EQ(Ctl({"calendar", "add", "--from", "2026-12-18", "--working-days", "5"}).out,
            "2026-12-29\n");
  EXPECT_EQ(Ctl({"calendar", "add", "--from=2026-06-13", "--working-days=0"}).out, "2026-06-15\n");
}

TEST_F(CtlCalendarTest, DuePrintsCloseOfBusinessWithOffset) {
  EXPECT_EQ(
      Ctl({"calendar", "due", "--received", "2026-06-10T09:30:00+01:00", "--working-days", "5"})
          .out,
      "2026-06-17T17:00:00+01:00\n");
  EXPECT_EQ(Ctl({"calendar", "due", "--received", "2026-06-10T09:30:00+01:00", "--working-days",
                 "5", "--close", "16:00"})
                .out,
            "2026-06-17T16:00:00+01:00\n");
}

TEST_F(CtlCalendarTest, BankHolidaysFileAddsProclamations) {
  const std::string feed =
      Write("feed.json",
            R"({"england-and-wales": {"events": [{"title": "New", "date": "2031-07-04"}]}})");
  const CtlRun run = Ctl({"calendar", "holidays", "--year", "2031", "--bank-holidays", feed});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "2031-07-04\n");
}

TEST_F(CtlCalendarTest, ConfigClosuresApply) {
  const std::string config = Write("c.properties", "calendar.closures = 2026-12-29..2026-12-31\n");
  EXPECT_EQ(
      Ctl({"calendar", "add", "--from", "2026-12-24", "--working-days", "1", "--config", config})
          .out,
      "2027-01-04\n");
}

TEST_F(CtlCalendarTest, BadArgumentsGiveOneLineAndExitTwo) {
  const std::string bad_json = Write("bad.json", "{\"england-and-wales\": [");
  const std::vector<std::vector<std::string>> cases = {
      {"calendar", "holidays", "--year", "2026", "--region", "mars"},
      {"calendar", "holidays"},
      {"calendar", "holidays", "--year", "twenty"},
      {"calendar", "add", "--from", "2026-02-30", "--working-days", "1"},
      {"calendar", "add", "--from", "2026-02-20", "--working-days", "-1"},
      {"calendar", "due", "--received", "2026-06-10T09:30:00", "--working-days", "5"},
      {"calendar", "due", "--received", "2026-06-10T09:30Z", "--working-days", "5", "--close",
       "25:00"},
      {"calendar", "holidays", "--year", "2026", "--bank-holidays", bad_json},
      {"calendar", "holidays", "--year", "2026", "--bank-holidays", "/nonexistent.json"},
      {"calendar", "holidays", "--year", "2026", "--bogus"},
      {"calendar", "holidays", "--year", "2026", "stray"},
      {"calendar", "fly"},
  };
  for (const auto& args : cases) {
    const CtlRun run = Ctl(args);
    EXPECT_EQ(run.code, 2) << args.back();
    EXPECT_EQ(run.out, "") << args.back();
    EXPECT_FALSE(run.err.empty()) << args.back();
    if (args[1] != "fly") {
      EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    }
  }
}

TEST_F(CtlCalendarTest, UnknownCommandAndHelp) {
  EXPECT_EQ(Ctl({"frobnicate"}).code, 2);
  EXPECT_EQ(Ctl({}).code, 2);
  const CtlRun help = Ctl({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("calendar"), std::string::npos);
}

}  // namespace
}  // namespace complaints
