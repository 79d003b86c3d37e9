// The incoming path assembled for tests: a store in a temporary folder, a shipped policy, the
// shipped templates, the case engine, the mailer and intake, with the fake reader and classifier.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "daemon/cases/case_engine.h"
#include "daemon/cases/sqlite_case_store.h"
#include "daemon/intake/intake.h"
#include "tests/daemon/fake_mail.h"

namespace complaints::testing {

struct IntakeStack {
  IntakeStack(const std::string& name, const std::string& policy_name, MailSettings settings,
              const Clock& clock)
      : dir(std::filesystem::temp_directory_path() /
            (name + "_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::move(SqliteCaseStore::Open((dir / "c.db").string())).value();
    policy = *LoadPolicy(std::string(COMPLAINTSD_SOURCE_DIR) + "/config/policies/" + policy_name +
                         ".json");
    templates = std::make_unique<MailTemplates>(
        *MailTemplates::Load(std::string(COMPLAINTSD_SOURCE_DIR) + "/templates"));
    hours = std::make_unique<BusinessHours>(WorkingCalendar(), std::chrono::hours{17});
    engine = std::make_unique<CaseEngine>(*store, policy, *hours, clock);
    if (settings.signing_key.empty()) settings.signing_key = "test-key";
    mailer = std::make_unique<CaseMailer>(*templates, policy, *hours, settings, clock);
    intake = std::make_unique<Intake>(*store, *engine, *mailer, reader, classifier, clock);
  }
  ~IntakeStack() {
    intake.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  std::filesystem::path dir;
  std::unique_ptr<SqliteCaseStore> store;
  Policy policy;
  std::unique_ptr<MailTemplates> templates;
  std::unique_ptr<BusinessHours> hours;
  std::unique_ptr<CaseEngine> engine;
  std::unique_ptr<CaseMailer> mailer;
  FakeReader reader;
  FakeClassifier classifier;
  std::unique_ptr<Intake> intake;
};

}  // namespace complaints::testing
