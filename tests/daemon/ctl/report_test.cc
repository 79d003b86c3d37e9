// complaintsctl report tsm on a store made through complaintsctl with --at, against figures
// worked by hand below (the financial year 2025-26: 1 April 2025 to 31 March 2026).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
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
  // Explaining (which only --explain pays for) changes nothing that is counted.
  const nlohmann::json quiet = Tsm({"--year=2025", "--homes=2000"});
  nlohmann::json told = Tsm({"--year=2025", "--homes=2000", "--explain"});
  ASSERT_TRUE(told.contains("cases"));
  EXPECT_FALSE(quiet.contains("cases"));
  told.erase("cases");
  EXPECT_EQ(quiet, told);
}

// The CSV's rows as "section|measure|category" -> value (no value below holds a comma).
std::map<std::string, std::string> CsvFigures(const std::string& csv) {
  std::map<std::string, std::string> out;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream row(line);
    while (std::getline(row, cell, ',')) cells.push_back(cell);
    if (cells.size() == 3) cells.push_back("");
    if (cells.size() == 4) out[cells[0] + "|" + cells[1] + "|" + cells[2]] = cells[3];
  }
  return out;
}

TEST_F(CtlReportTest, AnnualReportFiguresMatchTheCasesMadeByHand) {
  auto open = [&](const std::string& type, const std::string& channel, const std::string& summary,
                  const std::string& at) {
    const CtlRun r = Ctl({"cases", "open", "--type=" + type, "--channel=" + channel, "--name=R",
                          "--summary=" + summary, "--at=" + at});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  };
  // A: by email about mould, acknowledged and upheld in time, with an apology and two payments;
  // a learning action follows. Its service area stays as suggested.
  const std::string a = open("complaint", "email", "Black mould and damp on the bathroom walls",
                             "2025-06-02T09:00:00+01:00");
  Do({"ack", a, "--at=2025-06-03T10:00:00+01:00"});
  Do({"respond", a, "--outcome=upheld", "--apology", "--financial=75:distress",
      "--financial=25:time and trouble", "--at=2025-06-13T12:00:00+01:00"});
  Do({"learning", a, "--what=Treat mould within five working days", "--owner=Repairs manager",
      "--due=2025-09-30", "--at=2025-06-16T10:00:00+01:00"});
  // B: by phone about a repair (area confirmed), not upheld late at stage one, escalated, upheld in
  // part at stage two with a payment, then taken to the Ombudsman, who found service failure.
  const std::string b =
      open("complaint", "phone", "Nobody came to repair the boiler", "2025-07-07T09:00:00+01:00");
  Do({"ack", b, "--at=2025-07-08T10:00:00+01:00"});
  Do({"area", b, "--area=repairs", "--at=2025-07-08T11:00:00+01:00"});
  Do({"respond", b, "--outcome=not_upheld", "--at=2025-07-30T12:00:00+01:00"});
  Do({"escalate", b, "--at=2025-08-04T10:00:00+01:00"});
  Do({"ack", b, "--at=2025-08-05T10:00:00+01:00"});
  Do({"respond", b, "--outcome=partly_upheld", "--financial=50:delay",
      "--at=2025-08-20T12:00:00+01:00"});
  Do({"ombudsman", b, "--at=2025-11-10T10:00:00+00:00"});
  Do({"ombudsman", b, "--outcome=service_failure", "--at=2026-02-02T10:00:00+00:00"});
  // C: refused: it is about a neighbour. D: withdrawn. E: a compliment. F: last year's.
  const std::string c =
      open("complaint", "letter", "My neighbour plays loud music", "2025-11-03T09:00:00+00:00");
  Do({"refuse", c, "--reason=neighbour", "--at=2025-11-04T10:00:00+00:00"});
  const std::string d = open("complaint", "phone", "The officer was rude to me on the phone",
                             "2025-10-06T09:00:00+01:00");
  Do({"withdraw", d, "--reason=resolved informally", "--at=2025-10-08T10:00:00+01:00"});
  open("compliment", "email", "Thank you to the caretaker", "2025-09-01T09:00:00+01:00");
  open("complaint", "phone", "The bins were not emptied", "2024-12-02T09:00:00+00:00");

  std::ofstream(dir_ / "evidence.txt") << "# kept by the complaints team\n[1]\n"
                                       << "Our leaflet uses the Code's definition, word for word.\n"
                                       << "[8]\nThe board scrutinised this report in June.\n";
  const std::vector<std::string> common = {"report", "annual", "--year=2025", "--homes=1000",
                                           "--evidence=" + (dir_ / "evidence.txt").string()};
  std::vector<std::string> csv_args = common;
  csv_args.push_back("--format=csv");
  const CtlRun csv = Ctl(csv_args);
  ASSERT_EQ(csv.code, 0) << csv.err;
  std::map<std::string, std::string> f = CsvFigures(csv.out);
  EXPECT_EQ(f["received|stage one|"], "3");  // A B D (C was refused)
  EXPECT_EQ(f["received|stage two|"], "1");  // B
  EXPECT_EQ(f["tsm|CH01_1|"], "3.00");
  EXPECT_EQ(f["received by month|stage one|June 2025"], "1");
  EXPECT_EQ(f["received by month|stage one|July 2025"], "1");
  EXPECT_EQ(f["received by month|stage one|October 2025"], "1");
  EXPECT_EQ(f["received by month|stage two|August 2025"], "1");
  EXPECT_EQ(f["received by month|stage one|December 2025"], "0");
  EXPECT_EQ(f["received by channel|stage one|email"], "1");
  EXPECT_EQ(f["received by channel|stage one|phone"], "2");
  EXPECT_EQ(f["received by type|cases|compliment"], "1");
  EXPECT_EQ(f["timescales|stage one responded|"], "2");  // A B
  EXPECT_EQ(f["timescales|stage one on time|"], "1");    // A (B answered 30 July, due 22 July)
  EXPECT_EQ(f["timescales|stage two on time|"], "1");
  EXPECT_EQ(f["outcomes|stage one|upheld"], "1");
  EXPECT_EQ(f["outcomes|stage one|not_upheld"], "1");
  EXPECT_EQ(f["outcomes|stage two|partly_upheld"], "1");
  EXPECT_EQ(f["remedies|apologies|"], "1");
  EXPECT_EQ(f["remedies|responses with a financial remedy|"], "2");
  EXPECT_EQ(f["remedies|financial remedy (pounds)|"], "150.00");
  EXPECT_EQ(f["remedies|financial remedy (pounds)|distress"], "75.00");
  EXPECT_EQ(f["remedies|financial remedy (pounds)|delay"], "50.00");
  EXPECT_EQ(f["escalations|stage two requests|"], "1");
  EXPECT_EQ(f["refusals|complaints|neighbour"], "1");
  EXPECT_EQ(f["withdrawals|complaints|"], "1");
  EXPECT_EQ(f["ombudsman|referred|"], "1");
  EXPECT_EQ(f["ombudsman|determination|service_failure"], "1");
  EXPECT_EQ(f["themes|complaints|damp_and_mould"], "1");
  EXPECT_EQ(f["themes|confirmed by staff|damp_and_mould"], "0");
  EXPECT_EQ(f["themes|upheld|damp_and_mould"], "1");
  EXPECT_EQ(f["themes|complaints|repairs"], "1");
  EXPECT_EQ(f["themes|confirmed by staff|repairs"], "1");
  EXPECT_EQ(f["themes|upheld|repairs"], "0");
  EXPECT_EQ(f["themes|complaints|staff_conduct"], "1");
  EXPECT_EQ(f["learning|" + a + "|Treat mould within five working days"],
            "Repairs manager; due 2025-09-30; outstanding");
  EXPECT_EQ(f.count("received by month|stage one|March 2025"), 0u);  // not this year

  // The HTML carries the same figures, the staff's evidence and the charts as SVG.
  const CtlRun html = Ctl(common);
  ASSERT_EQ(html.code, 0) << html.err;
  EXPECT_NE(html.out.find("<svg"), std::string::npos);
  EXPECT_NE(html.out.find("The board scrutinised this report in June."), std::string::npos);
  EXPECT_NE(html.out.find("Treat mould within five working days"), std::string::npos);
  EXPECT_NE(html.out.find("£150.00"), std::string::npos);

  // The PDF is written to a file, is real text, and renders.
  std::vector<std::string> pdf_args = common;
  pdf_args.insert(pdf_args.end(), {"--format=pdf", "--out=" + (dir_ / "r.pdf").string()});
  const CtlRun pdf = Ctl(pdf_args);
  ASSERT_EQ(pdf.code, 0) << pdf.err;
  std::ifstream in(dir_ / "r.pdf", std::ios::binary);
  std::string head(5, '\0');
  in.read(head.data(), 5);
  EXPECT_EQ(head, "%PDF-");
  if (std::system("command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null") != 0) {
    ADD_FAILURE() << "pdftoppm and pdftotext (poppler-utils) are needed: scripts/bootstrap";
    return;
  }
  const std::string pdf_path = (dir_ / "r.pdf").string();
  ASSERT_EQ(std::system(("pdftoppm -r 40 -png -f 1 -l 2 '" + pdf_path + "' '" +
                         (dir_ / "page").string() + "'")
                            .c_str()),
            0);
  EXPECT_GT(std::filesystem::file_size(dir_ / "page-1.png"), 2000u);
  EXPECT_GT(std::filesystem::file_size(dir_ / "page-2.png"), 2000u);
  ASSERT_EQ(
      std::system(("pdftotext '" + pdf_path + "' '" + (dir_ / "r.txt").string() + "'").c_str()), 0);
  std::ifstream text_in(dir_ / "r.txt");
  const std::string text((std::istreambuf_iterator<char>(text_in)), {});
  EXPECT_NE(text.find("Complaints performance and service"), std::string::npos) << text;
  EXPECT_NE(text.find("Treat mould within five working days"), std::string::npos);
}

TEST_F(CtlReportTest, MonthlyViewCountsTheMonth) {
  const std::string a = Open("2025-06-02T09:00:00+01:00");
  Do({"ack", a, "--at=2025-06-03T10:00:00+01:00"});
  Do({"assign", a, "--handler=Priya", "--at=2025-06-03T11:00:00+01:00"});
  Do({"respond", a, "--outcome=upheld", "--at=2025-06-13T12:00:00+01:00"});
  const std::string b = Open("2025-06-16T09:00:00+01:00");  // never answered: breached in June
  const std::string c = Open("2025-07-01T09:00:00+01:00");  // next month's
  const CtlRun r = Ctl({"report", "monthly", "--month=2025-06", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["stage1_received"], 2);
  EXPECT_EQ(j["responded"], 1);
  EXPECT_EQ(j["on_time"], 1);
  EXPECT_EQ(j["open"], 1);
  EXPECT_EQ(j["oldest_open"], b);
  // Its acknowledgement, due 18 June, and its response, due 30 June (ten working days).
  ASSERT_EQ(j["breached"].size(), 2u) << j.dump();
  EXPECT_EQ(j["breached"][0].get<std::string>().rfind(b + ": stage 1 acknowledge", 0), 0u);
  EXPECT_EQ(j["breached"][1].get<std::string>().rfind(b + ": stage 1 respond", 0), 0u);
  bool priya = false;
  for (const auto& h : j["by_handler"]) {
    if (h["name"] == "Priya") {
      priya = true;
      EXPECT_EQ(h["responded"], 1);
      EXPECT_EQ(h["on_time"], 1);
    }
  }
  EXPECT_TRUE(priya) << j.dump();
  const CtlRun text = Ctl({"report", "monthly", "--month=2025-06"});
  EXPECT_NE(text.out.find("Complaints in June 2025"), std::string::npos) << text.out;
  // This month, still in progress: a deadline still to come is not missed.
  const CtlRun today = Ctl({"cases", "open", "--type=complaint", "--channel=phone", "--name=N"});
  ASSERT_EQ(today.code, 0) << today.err;
  const std::time_t t = std::time(nullptr);
  char this_month[16];
  std::strftime(this_month, sizeof this_month, "%Y-%m", std::gmtime(&t));
  const CtlRun now = Ctl({"report", "monthly", std::string("--month=") + this_month, "--json"});
  ASSERT_EQ(now.code, 0) << now.err;
  const nlohmann::json so_far = nlohmann::json::parse(now.out);
  EXPECT_GE(so_far["stage1_received"].get<int>(), 1) << so_far.dump();
  EXPECT_TRUE(so_far["breached"].empty()) << so_far.dump();
  EXPECT_EQ(Ctl({"report", "monthly", "--month=2025-13"}).code, 2);
  EXPECT_EQ(Ctl({"report", "monthly", "--month=June"}).code, 2);
  (void)c;
}

TEST_F(CtlReportTest, MissingHomesAndBadYearsAreClearErrors) {
  const CtlRun no_homes = Ctl({"report", "tsm", "--year=2025"});
  EXPECT_EQ(no_homes.code, 2);
  EXPECT_NE(no_homes.err.find("--homes"), std::string::npos);
  EXPECT_EQ(Ctl({"report", "tsm", "--year=twenty", "--homes=10"}).code, 2);
  EXPECT_EQ(Ctl({"report", "tsm", "--year=2025", "--homes=0"}).code, 2);
  EXPECT_EQ(Ctl({"report", "annual"}).code, 2);
  EXPECT_EQ(Ctl({"report", "annual", "--year=2025", "--homes=10", "--format=docx"}).code, 2);
  const CtlRun pdf_to_terminal =
      Ctl({"report", "annual", "--year=2025", "--homes=10", "--format=pdf"});
  EXPECT_EQ(pdf_to_terminal.code, 2);
  EXPECT_NE(pdf_to_terminal.err.find("--out"), std::string::npos);
  std::ofstream(dir_ / "bad-evidence.txt") << "[12]\nnot a section\n";
  const CtlRun bad = Ctl({"report", "annual", "--year=2025", "--homes=10",
                          "--evidence=" + (dir_ / "bad-evidence.txt").string()});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("[1] to [9]"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace complaints
