// The chaos suite's kill profile: the real system under a stream of mixed orders while processes — the broker
// included — are killed with SIGKILL, frozen with SIGSTOP longer than a step timeout, killed repeatedly, and the
// broker restarted with its persistence deleted. Afterwards every accepted order must end, each class with its
// expected outcome, and `sagactl verify` must find no violation. (power_loss_test.cc cuts the services' disks too.)
//
// Seeded and reproducible in its fault schedule: SAGAFLOW_CHAOS_SEED=<n> (default: random, printed).
// SAGAFLOW_CHAOS_SECONDS sets the length of the fault phase (default 100: the short profile of
// scripts/test; scripts/chaos --minutes N runs a long one).
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>

#include "tests/chaos/chaos_settings.h"
#include "tests/chaos/contract_check.h"
#include "tests/chaos/fault_loop.h"
#include "tests/chaos/order_stream.h"
#include "tests/chaos/outcomes.h"

namespace sagaflow::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ChaosTest, EveryAcceptedOrderEndsCorrectlyWhateverIsKilled) {
  const uint64_t seed = ChaosSeedFromEnvironment();
  const int fault_seconds = SecondsFromEnvironment("SAGAFLOW_CHAOS_SECONDS", 100);
  SCOPED_TRACE("chaos seed " + std::to_string(seed) + " (rerun with SAGAFLOW_CHAOS_SEED=" + std::to_string(seed) + ")");
  std::cout << "chaos: seed " << seed << ", " << fault_seconds << " s of faults\n";

  SystemOptions options;
  options.step_timeout_ms = 2000;
  options.nudge_ms = 1500;
  options.extra_env = {{"SAGAFLOW_STEP_ATTEMPTS", "10"}, {"SAGAFLOW_COMPENSATION_ATTEMPTS", "1000"}};
  AddContestedStock(options);
  System system(options);
  system.Start();

  const auto until = std::chrono::steady_clock::now() + seconds(fault_seconds);
  OrderStream orders(system, seed);
  orders.Start(until);
  FaultLoop chaos(system, seed, FaultMix{});
  chaos.Run(until);
  orders.Join();
  std::cout << "chaos: " << chaos.Summary() << "; " << orders.accepted().size() << " orders accepted\n";

  // Faults stop: make sure everything runs again, then let the system converge.
  for (const auto& name :
       {"mosquitto", "order-service", "orchestrator", "payment-service", "inventory-service", "notification-service"}) {
    system.process(name).Signal(SIGCONT);
    if (!system.IsRunning(name)) system.Restart(name);
  }
  const auto converge_start = std::chrono::steady_clock::now();
  ASSERT_TRUE(system.WaitAllTerminal(orders.accepted_ids(), seconds(180))) << system.Logs();
  auto violations = system.WaitGuarantees(seconds(120));
  std::cout << "chaos: converged "
            << std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - converge_start).count()
            << " ms after the last fault\n";

  // The same checker an operator runs.
  const SagactlResult verified = SagactlVerify(system);
  EXPECT_EQ(verified.exit_code, std::optional<int>(0)) << verified.output;
  for (const auto& violation : violations) ADD_FAILURE() << verify::ToString(violation);

  const Outcomes outcomes = CheckOutcomes(system.http_port(), orders.accepted());
  for (const auto& problem : outcomes.problems) ADD_FAILURE() << problem.kind << ": " << problem.detail;
  std::cout << "chaos: " << outcomes.completed << " completed, " << outcomes.cancelled << " cancelled, "
            << violations.size() << " violations\n";
  EXPECT_EQ(orders.rejected(), 0) << "POSTs that never got a 2xx";

  // A run that injected nothing proves nothing.
  const int planned_kills = fault_seconds * 30 / 100;
  EXPECT_GE(chaos.kills(), planned_kills) << chaos.Summary();
  EXPECT_GE(orders.accepted().size(), static_cast<size_t>(fault_seconds * 3)) << "too few orders to prove anything";
}

}  // namespace
}  // namespace sagaflow::testing
