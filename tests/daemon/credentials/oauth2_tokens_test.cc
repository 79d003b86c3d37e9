#include "daemon/credentials/oauth2_tokens.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/credentials/jwt.h"
#include "tests/daemon/fake_clock.h"

namespace complaints {
namespace {

using std::chrono::seconds;

// Records each form it is sent and answers from a queue (or with a fresh token).
class FakeEndpoint : public TokenEndpoint {
 public:
  Result<HttpAnswer> Post(const std::string& url, const Form& form) override {
    urls.push_back(url);
    forms.push_back(form);
    if (!answers.empty()) {
      HttpAnswer a = answers.front();
      answers.erase(answers.begin());
      return a;
    }
    return HttpAnswer{200, R"({"access_token": "at-)" + std::to_string(forms.size()) +
                               R"(", "expires_in": 3600})"};
  }
  std::string Get(size_t i, const std::string& name) const {
    for (const auto& [k, v] : forms.at(i)) {
      if (k == name) return v;
    }
    return "";
  }
  std::vector<std::string> urls;
  std::vector<Form> forms;
  std::vector<HttpAnswer> answers;
};

class OAuth2TokensTest : public ::testing::Test {
 protected:
  OAuth2Settings Secret() {
    OAuth2Settings s;
    s.flow = "client-credentials";
    s.tenant = "contoso";
    s.client_id = "app-1";
    s.client_secret = "the-secret";
    return s;
  }
  OAuth2Tokens Make(OAuth2Settings s) {
    auto endpoint = std::make_unique<FakeEndpoint>();
    fake_ = endpoint.get();
    return OAuth2Tokens(std::move(s), std::move(endpoint), clock_);
  }
  testing::FakeClock clock_{testing::Instant("2026-11-16T09:00:00Z")};
  FakeEndpoint* fake_ = nullptr;
};

TEST_F(OAuth2TokensTest, ClientCredentialsAsksOnceAnHourLessTheMargin) {
  OAuth2Tokens tokens = Make(Secret());
  ASSERT_EQ(*tokens.Token(), "at-1");
  EXPECT_EQ(fake_->urls[0], "https://login.microsoftonline.com/contoso/oauth2/v2.0/token");
  EXPECT_EQ(fake_->Get(0, "grant_type"), "client_credentials");
  EXPECT_EQ(fake_->Get(0, "client_secret"), "the-secret");
  EXPECT_EQ(fake_->Get(0, "scope"), "https://outlook.office365.com/.default");
  clock_.Advance(seconds{3600 - 301});
  EXPECT_EQ(*tokens.Token(), "at-1");
  clock_.Advance(seconds{2});
  EXPECT_EQ(*tokens.Token(), "at-2");
  tokens.Forget();
  EXPECT_EQ(*tokens.Token(), "at-3");
}

TEST_F(OAuth2TokensTest, RefusalsSayWhatToCheckAndAreNotRetriedAtOnce) {
  OAuth2Tokens tokens = Make(Secret());
  fake_->answers = {
      {401, R"({"error": "invalid_client", "error_description": "AADSTS7000222: The provided )"
            R"(client secret keys are expired.\r\nTrace ID: 1"})"},
      {503, "<html>down</html>"}};
  Result<std::string> refused = tokens.Token();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(),
            "the provider refused the grant: invalid_client (AADSTS7000222: The provided client "
            "secret keys are expired.): the client secret is wrong or has expired: add a new one "
            "under the app registration's Certificates & secrets and put it in "
            "oauth2.client-secret-file");
  EXPECT_EQ(tokens.Token().error(), refused.error());
  EXPECT_EQ(fake_->forms.size(), 1u);
  clock_.Advance(seconds{61});
  Result<std::string> down = tokens.Token();
  EXPECT_NE(down.error().find("answered HTTP 503: the provider is failing for now"),
            std::string::npos)
      << down.error();
  EXPECT_EQ(down.error().find("<html>"), std::string::npos);
  EXPECT_EQ(*tokens.Token(), "at-3");  // a failure of the provider is not held against it
}

TEST_F(OAuth2TokensTest, ACertificateSignsAnAssertionInsteadOfASecret) {
  const std::string dir =
      std::filesystem::temp_directory_path() / ("oauth2_tokens_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  ASSERT_EQ(
      std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 20 -subj /CN=app -keyout " +
                   dir + "/k.pem -out " + dir + "/c.pem 2>/dev/null")
                      .c_str()),
      0);
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  OAuth2Settings s = Secret();
  s.client_secret.clear();
  s.certificate_pem = read(dir + "/c.pem");
  s.private_key_pem = read(dir + "/k.pem");
  std::filesystem::remove_all(dir);
  clock_ = testing::FakeClock(
      std::chrono::floor<seconds>(std::chrono::system_clock::now()));  // the certificate's time
  OAuth2Tokens tokens = Make(s);
  ASSERT_TRUE(tokens.Token().ok());
  EXPECT_EQ(fake_->Get(0, "client_secret"), "");
  EXPECT_EQ(fake_->Get(0, "client_assertion_type"),
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  const std::string jwt = fake_->Get(0, "client_assertion");
  ASSERT_EQ(std::count(jwt.begin(), jwt.end(), '.'), 2) << jwt;
  EXPECT_EQ(jwt.substr(0, jwt.find('.')),
            Base64Url(R"({"alg":"RS256","typ":"JWT","x5t":")" +
                      ReadCertificate(s.certificate_pem)->sha1_thumbprint + "\"}"));
  std::optional<std::string> warning = tokens.CertificateWarning();
  ASSERT_TRUE(warning.has_value());
  EXPECT_NE(warning->find("in 20 days"), std::string::npos) << *warning;
}

TEST_F(OAuth2TokensTest, Base64UrlHasNoPaddingAndTheUrlSafeAlphabet) {
  EXPECT_EQ(Base64Url(""), "");
  EXPECT_EQ(Base64Url("f"), "Zg");
  EXPECT_EQ(Base64Url("fo"), "Zm8");
  EXPECT_EQ(Base64Url("foo"), "Zm9v");
  EXPECT_EQ(Base64Url("\xfb\xff\xbf"), "-_-_");
}

TEST_F(OAuth2TokensTest, DeviceCodeWithoutALoginSaysToRunIt) {
  OAuth2Settings s = Secret();
  s.flow = "device-code";
  s.refresh_token_file = "/nonexistent/oauth2-refresh-token";
  OAuth2Tokens tokens = Make(s);
  Result<std::string> none = tokens.Token();
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("run 'complaintsctl mailbox login --config FILE' once"),
            std::string::npos)
      << none.error();
  EXPECT_TRUE(fake_->forms.empty());
  EXPECT_EQ(OAuth2Scope(s),
            "offline_access https://outlook.office.com/IMAP.AccessAsUser.All "
            "https://outlook.office.com/SMTP.Send");
  EXPECT_EQ(OAuth2DeviceCodeUrl(s),
            "https://login.microsoftonline.com/contoso/oauth2/v2.0/devicecode");
}

}  // namespace
}  // namespace complaints
