#include "daemon/service/monthly_report_mail.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "daemon/cases/case_engine.h"
#include "daemon/cases/sqlite_case_store.h"
#include "parsers/mail_parser.h"
#include "tests/daemon/fake_clock.h"

namespace complaints {
namespace {

using testing::FakeClock;
using testing::Instant;

TEST(MonthlyReportMailTest, LastMonthOnTheFirstWorkingDayOnceToEachRecipient) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("monthly_mail_test_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = std::move(SqliteCaseStore::Open((dir / "c.db").string())).value();
  const Policy policy =
      *LoadPolicy(std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/hos-code-2024.json");
  const MailTemplates templates =
      *MailTemplates::Load(std::string(COMPLAINTSD_SOURCE_DIR) + "/templates");
  const BusinessHours hours(WorkingCalendar(), std::chrono::hours{17});
  FakeClock clock(Instant("2026-07-14T10:00:00+01:00"));
  CaseEngine engine(*store, policy, hours, clock);
  MailSettings settings;
  settings.signing_key = "k";
  CaseMailer mailer(templates, policy, hours, settings, clock);
  OpenRequest july;
  july.contact.name = "Jo";
  july.summary = "Black mould in the bedroom again";
  ASSERT_TRUE(engine.Open(july, "staff").ok());
  MonthlyReportMail monthly(*store, mailer, hours, {"chair@board.example", "mrc@ha.example"},
                            std::chrono::minutes{8 * 60 + 30}, clock);

  // 1 August 2026 is a Saturday: the first working day is Monday 3 August.
  clock.Set("2026-08-01T09:00:00+01:00");
  EXPECT_EQ(*monthly.RunOnce(), 0);
  clock.Set("2026-08-03T08:29:00+01:00");
  EXPECT_EQ(*monthly.RunOnce(), 0);
  clock.Set("2026-08-03T08:30:00+01:00");
  EXPECT_EQ(*monthly.RunOnce(), 2);
  EXPECT_EQ(*monthly.RunOnce(), 0);  // once per month and recipient
  clock.Set("2026-08-20T09:00:00+01:00");
  EXPECT_EQ(*monthly.RunOnce(), 0);

  const auto outbox = *store->DueOutgoing(Instant("2100-01-01T00:00:00Z"), 10);
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"chair@board.example"});
  EXPECT_EQ(outbox[1].recipients, std::vector<std::string>{"mrc@ha.example"});
  EXPECT_NE(outbox[0].message_id, outbox[1].message_id);
  const auto mail = ParseMail(outbox[0].raw);
  ASSERT_TRUE(mail.ok());
  EXPECT_EQ(mail->subject, "Complaints in July 2026: the monthly view");
  EXPECT_NE(mail->text.find("Received: 1 stage one, 0 stage two"), std::string::npos) << mail->text;
  EXPECT_NE(mail->text.find("Damp and mould"), std::string::npos) << mail->text;

  // Down on the first working day of September: sent when it is next up in the month.
  clock.Set("2026-09-09T11:00:00+01:00");
  EXPECT_EQ(*monthly.RunOnce(), 2);
  const auto more = *store->DueOutgoing(Instant("2100-01-01T00:00:00Z"), 10);
  ASSERT_EQ(more.size(), 4u);
  EXPECT_NE(ParseMail(more[2].raw)->subject.find("August 2026"), std::string::npos);

  // Nobody configured: nothing.
  MonthlyReportMail nobody(*store, mailer, hours, {}, std::chrono::minutes{0}, clock);
  EXPECT_EQ(*nobody.RunOnce(), 0);
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace complaints
