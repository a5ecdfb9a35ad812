// CountRecovery: only the posted orders count, and the recovery time runs from the restart to the last
// of their outcomes.
#include <gtest/gtest.h>

#include "bench/recovery.h"

namespace sagaflow::bench {
namespace {

using std::chrono::milliseconds;

const std::chrono::steady_clock::time_point kKill{std::chrono::seconds(100)};
const std::chrono::steady_clock::time_point kHealthy = kKill + milliseconds(400);

TEST(CountRecovery, TimesFromTheRestartToTheLastOutcome) {
  const OutcomeMap outcomes = {{"a", {kHealthy + milliseconds(300), true}},
                               {"b", {kHealthy + milliseconds(1200), false}},
                               {"c", {kKill - milliseconds(50), true}}};
  const RecoveryCount count = CountRecovery({"a", "b", "c"}, outcomes, kKill, kHealthy);
  EXPECT_EQ(count.completed, 2);
  EXPECT_EQ(count.cancelled, 1);
  EXPECT_EQ(count.unfinished, 0);
  EXPECT_DOUBLE_EQ(count.healthy_to_all_terminal_s, 1.2);
  EXPECT_DOUBLE_EQ(count.kill_to_all_terminal_s, 1.6);
}

TEST(CountRecovery, OrdersPostedByOthersDoNotCount) {
  const OutcomeMap outcomes = {{"mine", {kHealthy + milliseconds(100), true}},
                               {"theirs", {kHealthy + milliseconds(9000), true}}};
  const RecoveryCount count = CountRecovery({"mine"}, outcomes, kKill, kHealthy);
  EXPECT_EQ(count.completed, 1);
  EXPECT_DOUBLE_EQ(count.healthy_to_all_terminal_s, 0.1);
}

TEST(CountRecovery, AnOrderWithoutOutcomeIsUnfinished) {
  const OutcomeMap outcomes = {{"a", {kHealthy + milliseconds(100), true}}};
  EXPECT_EQ(CountRecovery({"a", "b"}, outcomes, kKill, kHealthy).unfinished, 1);
}

TEST(CountRecovery, OutcomesBeforeTheRestartCountAsZero) {
  const OutcomeMap outcomes = {{"a", {kKill + milliseconds(100), true}}};
  const RecoveryCount count = CountRecovery({"a"}, outcomes, kKill, kHealthy);
  EXPECT_DOUBLE_EQ(count.healthy_to_all_terminal_s, 0);
  EXPECT_DOUBLE_EQ(count.kill_to_all_terminal_s, 0.1);
}

}  // namespace
}  // namespace sagaflow::bench
