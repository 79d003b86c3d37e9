#include "daemon/base/subprocess.h"

#include <gtest/gtest.h>

namespace complaints {
namespace {

ChildExit Shell(const std::string& script,
                std::chrono::milliseconds timeout = std::chrono::seconds{10},
                std::vector<std::string> env = {}) {
  ChildRun run;
  run.argv = {"/bin/sh", "-c", script};
  run.timeout = timeout;
  run.extra_env = std::move(env);
  Result<ChildExit> ran = RunChild(run);
  EXPECT_TRUE(ran.ok()) << (ran.ok() ? "" : ran.error());
  return ran.ok() ? *ran : ChildExit{};
}

TEST(SubprocessTest, OutputErrorsAndExitCodeComeBackSeparately) {
  const ChildExit e = Shell("echo out; echo err >&2; exit 3");
  EXPECT_EQ(e.out, "out\n");
  EXPECT_EQ(e.err, "err\n");
  EXPECT_EQ(e.exit_code, 3);
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.Describe(std::chrono::seconds{1}), "exit 3");
  EXPECT_TRUE(Shell("true").ok());
}

TEST(SubprocessTest, TheExtraEnvironmentReachesTheChild) {
  EXPECT_EQ(
      Shell("printf %s \"$OMP_THREAD_LIMIT\"", std::chrono::seconds{10}, {"OMP_THREAD_LIMIT=1"})
          .out,
      "1");
}

TEST(SubprocessTest, AHangingChildIsKilledAtTheLimit) {
  const auto start = std::chrono::steady_clock::now();
  const ChildExit e = Shell("sleep 30", std::chrono::milliseconds{300});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{5});
  EXPECT_TRUE(e.timed_out);
  EXPECT_EQ(e.Describe(std::chrono::milliseconds{300}), "no answer within 1 s");
}

TEST(SubprocessTest, ACrashIsReportedAsItsSignal) {
  const ChildExit e = Shell("kill -SEGV $$");
  EXPECT_EQ(e.signal, 11);
  EXPECT_EQ(e.Describe(std::chrono::seconds{1}), "killed by signal 11");
}

// A child that prints far more than we keep must neither block on a full pipe nor fill memory.
TEST(SubprocessTest, FloodsOfOutputAreCappedWithoutBlocking) {
  ChildRun run;
  run.argv = {"/bin/sh", "-c",
              "head -c 5000000 /dev/zero; head -c 3000000 /dev/zero >&2; echo done"};
  run.max_output = 1000;
  Result<ChildExit> ran = RunChild(run);
  ASSERT_TRUE(ran.ok());
  EXPECT_TRUE(ran->ok());
  EXPECT_EQ(ran->out.size(), 1000u);
  EXPECT_EQ(ran->err.size(), 1000u);
}

TEST(SubprocessTest, AProgramThatDoesNotExistIsAnError) {
  ChildRun run;
  run.argv = {"/nonexistent/complaintsd-letter"};
  Result<ChildExit> ran = RunChild(run);
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().find("/nonexistent/complaintsd-letter could not be started"),
            std::string::npos);
}

}  // namespace
}  // namespace complaints
