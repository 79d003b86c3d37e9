#include "daemon/service/daily_digest.h"

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

TEST(DailyDigestTest, OnceOnWorkingDaysAtItsTime) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("digest_test_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = std::move(SqliteCaseStore::Open((dir / "c.db").string())).value();
  const Policy policy =
      *LoadPolicy(std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/hos-code-2024.json");
  const MailTemplates templates =
      *MailTemplates::Load(std::string(COMPLAINTSD_SOURCE_DIR) + "/templates");
  const BusinessHours hours(WorkingCalendar(), std::chrono::hours{17});
  FakeClock clock(Instant("2026-06-01T10:00:00+01:00"));
  CaseEngine engine(*store, policy, hours, clock);
  MailSettings settings;
  settings.signing_key = "k";
  settings.manager_address = "manager@ha.example";
  CaseMailer mailer(templates, policy, hours, settings, clock);
  OpenRequest overdue;
  overdue.contact.name = "Jo";
  overdue.summary = "Leak";
  ASSERT_TRUE(engine.Open(overdue, "staff").ok());  // acknowledge due Mon 8 June
  DailyDigest digest(*store, mailer, hours, std::chrono::minutes{8 * 60 + 30}, clock);

  // Mail that opened no case: each message in one digest, the first after it was handled.
  auto handled = [&](const std::string& at, const std::string& state, const std::string& reason) {
    ASSERT_TRUE(store
                    ->InTransaction([&](StoreTransaction& txn) -> Status {
                      IncomingMessage in;
                      in.raw = at + reason;
                      in.sha256 = at + reason;
                      in.received_at = Instant(at);
                      Result<StoredMessage> stored = txn.StoreIncoming(in);
                      if (!stored) return stored.status();
                      return txn.SetMessageState(stored->id, state, reason, std::nullopt);
                    })
                    .ok());
  };
  handled("2026-06-11T10:00:00+01:00", "review", "classified other: Thursday's, never listed yet");
  handled("2026-06-12T16:02:00+01:00", "review",
          "classified other, no case opened: from a@b.example");
  handled("2026-06-13T11:00:00+01:00", "quarantined", "cannot be read: no MIME boundary found");
  handled("2026-06-13T12:00:00+01:00", "processed", "complaint");

  clock.Set("2026-06-13T09:00:00+01:00");  // Saturday
  EXPECT_FALSE(*digest.RunOnce());
  clock.Set("2026-06-15T08:29:00+01:00");  // Monday, before its time
  EXPECT_FALSE(*digest.RunOnce());
  clock.Set("2026-06-15T08:30:00+01:00");
  EXPECT_TRUE(*digest.RunOnce());
  EXPECT_FALSE(*digest.RunOnce());  // once a day
  const auto outbox = *store->DueOutgoing(Instant("2100-01-01T00:00:00Z"), 10);
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"manager@ha.example"});
  EXPECT_NE(outbox[0].raw.find("CX-2026-00001: Stage 1 acknowledgement, Monday 8 June 2026"),
            std::string::npos);
  const std::string raw = ParseMail(outbox[0].raw)->text;  // decoded
  EXPECT_NE(raw.find("message 2, Friday 12 June 2026 16:02: classified other, no case opened: "
                     "from a@b.example"),
            std::string::npos)
      << raw;
  EXPECT_NE(raw.find("message 3, Saturday 13 June 2026 11:00 (quarantined): cannot be read"),
            std::string::npos)
      << raw;
  EXPECT_NE(raw.find("Thursday's, never listed yet"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("message 4"), std::string::npos) << raw;  // it opened a case

  // Arrived at 08:00 on Monday but handled after Monday's digest (the mailbox was down): in
  // Tuesday's, which lists nothing Monday's did.
  handled("2026-06-15T08:00:00+01:00", "review", "classified other: late but listed");
  clock.Set("2026-06-16T08:31:00+01:00");  // the next working day: a new digest
  EXPECT_TRUE(*digest.RunOnce());
  const auto both = *store->DueOutgoing(Instant("2100-01-01T00:00:00Z"), 10);
  ASSERT_EQ(both.size(), 2u);
  const std::string tuesday = ParseMail(both[1].raw)->text;
  EXPECT_NE(tuesday.find("message 5, Monday 15 June 2026 08:00: classified other: late but listed"),
            std::string::npos)
      << tuesday;
  EXPECT_EQ(tuesday.find("message 2"), std::string::npos) << tuesday;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace complaints
