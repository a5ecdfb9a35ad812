// PeriodicTask: when passes run (at once, after the asked delay, at the interval, on a wake-up), how failures
// back off and are reported, and that Stop does not wait out a sleep. Intervals are an hour wherever a pass
// must not run by itself, so every pass these tests see was asked for.
#include "common/periodic_task.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "common/testing/eventually.h"

namespace sagaflow {
namespace {

using testing::Eventually;

constexpr Millis kHour{3'600'000};

class PeriodicTaskTest : public ::testing::Test {
 protected:
  PeriodicTaskOptions Options(Millis interval = kHour) {
    PeriodicTaskOptions options;
    options.name = "test task";
    options.interval = interval;
    options.failure_backoff = BackoffPolicy{.initial = Millis(1), .multiplier = 2, .cap = Millis(4), .jitter = 0};
    return options;
  }
  std::string Log() {
    std::lock_guard lock(log_mu_);
    return log_.str();
  }

  SeededRandom random_{7};
  Metrics metrics_;
  std::mutex log_mu_;
  std::ostringstream log_;
  Logger logger_ = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink<std::mutex>>(log_, /*force_flush=*/true));
};

TEST_F(PeriodicTaskTest, SleepsWhatThePassAsksForOrTheIntervalOrABackOff) {
  const auto options = Options(Millis(500));
  EXPECT_EQ(PeriodicTask::SleepAfter(options, NextPass::Now(), 0, 0.5), Millis(0));
  EXPECT_EQ(PeriodicTask::SleepAfter(options, NextPass::After(Millis(42)), 0, 0.5), Millis(42));
  EXPECT_EQ(PeriodicTask::SleepAfter(options, NextPass::After(Millis(-5)), 0, 0.5), Millis(0));
  EXPECT_EQ(PeriodicTask::SleepAfter(options, NextPass::AtInterval(), 0, 0.5), Millis(500));
  const Result<NextPass> failed = Status::Unavailable("broker down");
  EXPECT_EQ(PeriodicTask::SleepAfter(options, failed, 1, 0.5), Millis(1));
  EXPECT_EQ(PeriodicTask::SleepAfter(options, failed, 2, 0.5), Millis(2));
  EXPECT_EQ(PeriodicTask::SleepAfter(options, failed, 3, 0.5), Millis(4));
  EXPECT_EQ(PeriodicTask::SleepAfter(options, failed, 30, 0.5), Millis(4));  // capped
}

TEST_F(PeriodicTaskTest, RunsAgainAtOnceWhileThePassSaysMoreIsWaiting) {
  std::atomic<int> passes{0};
  PeriodicTask task(
      Options(), [&]() -> Result<NextPass> { return ++passes < 5 ? NextPass::Now() : NextPass::AtInterval(); }, logger_,
      &metrics_, &random_);
  task.Start();
  ASSERT_TRUE(Eventually([&] { return passes == 5; }));
  task.Stop();
  EXPECT_EQ(passes, 5);  // then it slept for its interval
  EXPECT_EQ(metrics_.Get("sagaflow_task_passes_total{task=\"test task\"}"), 5);
}

TEST_F(PeriodicTaskTest, AWakeUpRunsAPassBeforeTheIntervalEnds) {
  std::atomic<int> passes{0};
  PeriodicTask task(
      Options(),
      [&]() -> Result<NextPass> {
        ++passes;
        return NextPass::AtInterval();
      },
      logger_, &metrics_, &random_);
  task.Start();
  ASSERT_TRUE(Eventually([&] { return passes == 1; }));
  task.Wake();
  ASSERT_TRUE(Eventually([&] { return passes == 2; }));
  task.Wake();
  ASSERT_TRUE(Eventually([&] { return passes == 3; }));
}

TEST_F(PeriodicTaskTest, AWakeUpDuringAPassIsNotLost) {
  std::atomic<int> passes{0};
  std::atomic<bool> in_first_pass{false};
  std::atomic<bool> release{false};
  PeriodicTask task(
      Options(),
      [&]() -> Result<NextPass> {
        if (++passes == 1) {
          in_first_pass = true;
          while (!release) std::this_thread::yield();  // held open until the test has woken the task
        }
        return NextPass::AtInterval();
      },
      logger_, &metrics_, &random_);
  task.Start();
  ASSERT_TRUE(Eventually([&] { return in_first_pass.load(); }));
  task.Wake();
  release = true;
  EXPECT_TRUE(Eventually([&] { return passes == 2; }));
}

TEST_F(PeriodicTaskTest, StopDoesNotWaitOutTheSleep) {
  std::atomic<int> passes{0};
  PeriodicTask task(
      Options(),
      [&]() -> Result<NextPass> {
        ++passes;
        return NextPass::After(kHour);
      },
      logger_, &metrics_, &random_);
  task.Start();
  ASSERT_TRUE(Eventually([&] { return passes == 1; }));
  const auto before = std::chrono::steady_clock::now();
  task.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
}

TEST_F(PeriodicTaskTest, StartsAgainAfterStop) {
  std::atomic<int> passes{0};
  PeriodicTask task(
      Options(),
      [&]() -> Result<NextPass> {
        ++passes;
        return NextPass::AtInterval();
      },
      logger_, &metrics_, &random_);
  task.Start();
  ASSERT_TRUE(Eventually([&] { return passes == 1; }));
  task.Stop();
  task.Start();
  EXPECT_TRUE(Eventually([&] { return passes == 2; }));
}

TEST_F(PeriodicTaskTest, FailuresBackOffAndAreCountedAndTheRecoveryIsLogged) {
  std::atomic<int> passes{0};
  PeriodicTask task(
      Options(),
      [&]() -> Result<NextPass> {
        if (++passes <= 3) return Status::Unavailable("not connected to the broker");
        return NextPass::AtInterval();
      },
      logger_, &metrics_, &random_);
  task.Start();
  ASSERT_TRUE(Eventually([&] { return passes == 4; }));  // three back-offs of 1, 2 and 4 ms
  task.Stop();
  EXPECT_EQ(metrics_.Get("sagaflow_task_failures_total{task=\"test task\"}"), 3);
  const std::string log = Log();
  EXPECT_NE(log.find("test task: not connected to the broker (attempt 1)"), std::string::npos) << log;
  EXPECT_EQ(log.find("(attempt 2)"), std::string::npos) << log;  // only the first of a run, and every 50th
  EXPECT_NE(log.find("test task: working again after 3 failed attempts"), std::string::npos) << log;
}

}  // namespace
}  // namespace sagaflow
