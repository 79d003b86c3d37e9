// A subject access export holds all of one resident's cases and messages and none of another's:
// two residents on one case thread (a Cc, then the neighbour's reply), and a letter forwarded by
// reception for the other.
#include "daemon/privacy/subject_access.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/daemon/privacy/privacy_fixture.h"

namespace complaints {
namespace {

using nlohmann::json;
using testing::Instant;
namespace fs = std::filesystem;

class SubjectAccessTest : public testing::PrivacyFixture {
 protected:
  void SetUp() override {
    PrivacyFixture::SetUp();
    alice_ = AddContact("Alice Able", "alice@example.org", "1 Elm Road");
    bob_ = AddContact("Bob Baker", "bob@example.org", "2 Elm Road");
    noise_ = AddCase(alice_, CaseType::kAsb, "2026-06-01T09:00:00Z",
                     "Bob Baker at number 2 plays loud music at night");
    older_ = AddCase(alice_, CaseType::kComplaint, "2026-01-10T09:00:00Z", "alice-boiler-secret",
                     "2026-02-10T09:00:00Z");
    letter_ = AddCase(bob_, CaseType::kComplaint, "2026-06-03T09:00:00Z", "bob-letter-secret");
    alice_mail_ = AddMessage(Mail("Alice Able <alice@example.org>", "complaints@westway.example",
                                  "Bob Baker <bob@example.org>", "Noise", "a1@example.org",
                                  "The music from number 2 again."),
                             "2026-06-01T09:00:00Z", noise_.id);
    bob_reply_ =
        AddMessage(Mail("bob@example.org", "complaints@westway.example", "alice@example.org",
                        "Re: Noise [" + noise_.reference + "]", "b1@example.org", "It was not me."),
                   "2026-06-02T09:00:00Z", noise_.id);
    alice_ack_ = AddOutgoing(noise_.id, "alice@example.org", "2026-06-01T10:00:00Z", "We have it");
    reception_ = AddMessage(
        Mail("reception@westway.example", "complaints@westway.example", "", "Fwd: letter",
             "r1@westway.example", "Scanned letter attached (bob-forward-secret)."),
        "2026-06-03T09:00:00Z", letter_.id);
    AddDocument(letter_.id, reception_, "%PDF-bob-scan", "Dear Sir, I am Bob Baker of 2 Elm Road");
    bob_ack_ = AddOutgoing(letter_.id, "bob@example.org", "2026-06-03T10:00:00Z", "Your letter");
  }

  json Export(const std::string& email, const std::string& name) {
    Result<PersonIds> person = privacy_->ContactsWithEmail(email);
    EXPECT_TRUE(person.ok());
    const std::string out = (dir_ / name).string();
    Result<ExportSummary> done = ExportPerson(*cases_, *privacy_, *person, out, "WW-[0-9]+",
                                              Instant("2026-12-06T10:00:00Z"));
    EXPECT_TRUE(done.ok()) << (done.ok() ? "" : done.error());
    std::ifstream in(dir_ / name / "export.json");
    return json::parse(in, nullptr, false);
  }

  // Every file of the export, concatenated.
  std::string AllBytes(const std::string& name) {
    std::string all;
    for (const auto& f : fs::recursive_directory_iterator(dir_ / name)) {
      if (!f.is_regular_file()) continue;
      std::ifstream in(f.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      all += s.str();
    }
    return all;
  }

  static std::vector<std::string> Field(const json& list, const char* key) {
    std::vector<std::string> out;
    for (const json& item : list) out.push_back(item[key].get<std::string>());
    return out;
  }

  int64_t alice_ = 0, bob_ = 0, alice_mail_ = 0, bob_reply_ = 0, reception_ = 0;
  int64_t alice_ack_ = 0, bob_ack_ = 0;
  CaseRecord noise_, older_, letter_;
};

TEST_F(SubjectAccessTest, AlicesExportHasHerCasesAndMessagesAndNoneOfBobs) {
  const json doc = Export("alice@example.org", "alice");
  ASSERT_TRUE(doc.is_object());
  ASSERT_TRUE(doc.contains("person") && doc.contains("cases") && doc.contains("messages"));
  EXPECT_EQ(Field(doc["cases"], "reference"),
            (std::vector<std::string>{noise_.reference, older_.reference}));
  EXPECT_EQ(Field(doc["messages"], "id"),
            (std::vector<std::string>{"in-" + std::to_string(alice_mail_),
                                      "out-" + std::to_string(alice_ack_),
                                      "in-" + std::to_string(bob_reply_)}));
  EXPECT_EQ(Field(doc["messages"], "message_id")[0], "a1@example.org");
  EXPECT_FALSE(doc["cases"][0]["deadlines"].empty());
  EXPECT_FALSE(doc["cases"][0]["history"].empty());
  EXPECT_TRUE(fs::exists(dir_ / "alice" / "index.html"));
  EXPECT_TRUE(
      fs::exists(dir_ / "alice" / "messages" / ("in-" + std::to_string(alice_mail_) + ".eml")));
  const std::string all = AllBytes("alice");
  EXPECT_EQ(all.find("bob-letter-secret"), std::string::npos);
  EXPECT_EQ(all.find("bob-forward-secret"), std::string::npos);
  EXPECT_EQ(all.find("%PDF-bob-scan"), std::string::npos);
  EXPECT_EQ(all.find(letter_.reference), std::string::npos);
  // Bob is in her records: listed for a person to redact before sending.
  const std::vector<std::string> redact = Field(doc["redact"], "value");
  EXPECT_NE(std::find(redact.begin(), redact.end(), "Bob Baker"), redact.end());
  EXPECT_NE(std::find(redact.begin(), redact.end(), "Bob Baker <bob@example.org>"), redact.end());
  EXPECT_EQ(std::find(redact.begin(), redact.end(), "alice@example.org"), redact.end());
}

TEST_F(SubjectAccessTest, BobsExportHasHisLetterAndTheMailHeWasInButNotAlicesCase) {
  const json doc = Export("bob@example.org", "bob");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(Field(doc["cases"], "reference"), std::vector<std::string>{letter_.reference});
  // The message he was copied into and his reply, without her case; his letter and our reply.
  EXPECT_EQ(Field(doc["messages"], "id"),
            (std::vector<std::string>{
                "in-" + std::to_string(alice_mail_), "in-" + std::to_string(bob_reply_),
                "in-" + std::to_string(reception_), "out-" + std::to_string(bob_ack_)}));
  for (const json& m : doc["messages"]) {
    if (m["id"] == "in-" + std::to_string(alice_mail_) ||
        m["id"] == "in-" + std::to_string(bob_reply_)) {
      EXPECT_TRUE(m["case"].is_null());
    }
  }
  ASSERT_EQ(doc["cases"][0]["documents"].size(), 1u);
  const std::string all = AllBytes("bob");
  EXPECT_NE(all.find("%PDF-bob-scan"), std::string::npos);
  EXPECT_EQ(all.find("alice-boiler-secret"), std::string::npos);
  EXPECT_EQ(all.find("plays loud music"), std::string::npos);  // her case's summary
  EXPECT_EQ(all.find("\"" + noise_.reference + "\""), std::string::npos);
  const std::vector<std::string> redact = Field(doc["redact"], "value");
  EXPECT_NE(std::find(redact.begin(), redact.end(), "Alice Able <alice@example.org>"),
            redact.end());
}

TEST_F(SubjectAccessTest, RefusesAFolderThatIsNotEmpty) {
  fs::create_directories(dir_ / "full");
  std::ofstream(dir_ / "full" / "x") << "x";
  Result<ExportSummary> done = ExportPerson(*cases_, *privacy_, {alice_}, (dir_ / "full").string(),
                                            "", Instant("2026-12-06T10:00:00Z"));
  EXPECT_FALSE(done.ok());
}

}  // namespace
}  // namespace complaints
