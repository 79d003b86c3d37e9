#include "daemon/credentials/token_source.h"

#include <gtest/gtest.h>

namespace complaints {
namespace {

using std::chrono::seconds;

TEST(TokenSourceTest, TheCommandsOutputIsTheToken) {
  Result<std::string> t = RunTokenCommand("printf 'ya29.abc-DEF_123\\n\\n'", seconds{10});
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(*t, "ya29.abc-DEF_123");
  // A new token each time it is asked: nothing is cached.
  EXPECT_NE(*RunTokenCommand("date +%N", seconds{10}), *RunTokenCommand("date +%N", seconds{10}));
}

TEST(TokenSourceTest, FailuresAreClearAndNeverShowTheOutput) {
  Result<std::string> failed = RunTokenCommand("echo leaked-token; exit 3", seconds{10});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().find("exit 3"), std::string::npos) << failed.error();
  EXPECT_EQ(failed.error().find("leaked-token"), std::string::npos) << failed.error();

  Result<std::string> empty = RunTokenCommand("true", seconds{10});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().find("printed nothing"), std::string::npos);

  const auto start = std::chrono::steady_clock::now();
  Result<std::string> slow = RunTokenCommand("exec sleep 30", seconds{1});
  ASSERT_FALSE(slow.ok());
  EXPECT_NE(slow.error().find("no answer within 1 s"), std::string::npos) << slow.error();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds{10});

  EXPECT_FALSE(RunTokenCommand("/nonexistent/get-token", seconds{10}).ok());
}

}  // namespace
}  // namespace complaints
