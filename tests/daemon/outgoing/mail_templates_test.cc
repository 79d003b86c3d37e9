#include "daemon/outgoing/mail_templates.h"

#include <gtest/gtest.h>

namespace complaints {
namespace {

const std::string kDir = std::string(COMPLAINTSD_SOURCE_DIR) + "/templates";

TEST(MailTemplatesTest, ShippedTemplatesLoadAndRender) {
  Result<MailTemplates> set = MailTemplates::Load(kDir);
  ASSERT_TRUE(set.ok()) << set.error();
  for (const std::string& name : MailTemplates::RequiredNames()) {
    Result<RenderedMail> mail = set->Render(name, SampleTemplateValues());
    ASSERT_TRUE(mail.ok()) << name << ": " << mail.error();
    EXPECT_FALSE(mail->subject.empty()) << name;
    EXPECT_EQ(mail->text.find("{{"), std::string::npos) << name;
    EXPECT_EQ(mail->text.find("\n\n\n"), std::string::npos) << name;
  }
}

TEST(MailTemplatesTest, AcknowledgementSaysWhatTheCodeAsks) {
  const MailTemplates set = *MailTemplates::Load(kDir);
  nlohmann::json v = SampleTemplateValues();
  v["landlord"] = "Smith & Sons Homes";
  const RenderedMail ack = *set.Render("ack-stage", v);
  EXPECT_EQ(ack.subject, "[WW-2026-00042] We have received your complaint (Stage one)");
  for (const char* needed :
       {"Your complaint reference is WW-2026-00042",
        "Our understanding of your complaint: The "
        "boiler repair has been delayed three times.",
        "handled by Sam Smith", "by Friday 4 December 2026", "at Stage two, within 20 working days",
        "0300 111 3000", "Smith & Sons Homes"}) {
    EXPECT_NE(ack.text.find(needed), std::string::npos) << needed << "\n" << ack.text;
  }
  v["definition"] = "";
  v["handler"] = nullptr;
  v["show_ombudsman"] = false;
  const RenderedMail early = *set.Render("ack-stage", v);
  EXPECT_NE(early.text.find("What you told us: The boiler"), std::string::npos) << early.text;
  EXPECT_NE(early.text.find("We will tell you the name"), std::string::npos);
  EXPECT_EQ(early.text.find("Ombudsman"), std::string::npos);
}

TEST(MailTemplatesTest, BrokenOrMissingTemplatesAreReportedByName) {
  std::map<std::string, std::pair<std::string, std::string>> sources;
  for (const std::string& name : MailTemplates::RequiredNames()) {
    sources[name] = {"Subject: x\n\nbody {{reference}}\n", ""};
  }
  ASSERT_TRUE(MailTemplates::FromSources(sources, "t").ok());
  auto broken = sources;
  broken["refusal"].first = "Subject: x\n\n{{#open}} never closed\n";
  Result<MailTemplates> r = MailTemplates::FromSources(broken, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("refusal.txt"), std::string::npos) << r.error();
  auto missing = sources;
  missing.erase("extension");
  r = MailTemplates::FromSources(missing, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("t/extension.txt: missing"), std::string::npos);
  auto no_subject = sources;
  no_subject["asb-redirect"].first = "Hello\n";
  EXPECT_FALSE(MailTemplates::FromSources(no_subject, "t").ok());
  EXPECT_FALSE(MailTemplates::Load("/nonexistent").ok());
}

TEST(MailTemplatesTest, HtmlPartEscapesValuesTextPartDoesNot) {
  std::map<std::string, std::pair<std::string, std::string>> sources;
  for (const std::string& name : MailTemplates::RequiredNames()) {
    sources[name] = {"Subject: {{reference}}\n\n{{summary}}\n", "<p>{{summary}}</p>"};
  }
  const MailTemplates set = *MailTemplates::FromSources(sources, "t");
  nlohmann::json v = SampleTemplateValues();
  v["summary"] = "<script>alert(1)</script> & more";
  const RenderedMail m = *set.Render("refusal", v);
  EXPECT_EQ(m.text, "<script>alert(1)</script> & more\n");
  EXPECT_EQ(m.html, "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>");
}

}  // namespace
}  // namespace complaints
