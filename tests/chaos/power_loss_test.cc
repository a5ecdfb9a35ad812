// The power-loss chaos profile (power_loss_profile.h): every service's disk loses power again and again while
// orders flow and the broker is killed, wiped and services frozen, and afterwards nothing accepted is lost and every
// guarantee listed in tools/verify/verify.h holds. Its negative control runs the same profile with the relay publishing
// before the fsync (SAGAFLOW_TEST_FAULT=publish-before-fsync) and must find what that breaks: a profile that cannot
// catch the fault it exists for proves nothing.
//
// Seeded like the kill profile (SAGAFLOW_CHAOS_SEED, printed). SAGAFLOW_POWER_LOSS_SECONDS sets the length of the
// fault phase (default 70: the profile of scripts/test; scripts/chaos --profile power-loss runs a long one), and
// SAGAFLOW_POWER_LOSS_CONTROL_SECONDS the negative control's (default 35).
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

#include "tests/chaos/chaos_settings.h"
#include "tests/chaos/power_loss_profile.h"

namespace sagaflow::testing {
namespace {

TEST(PowerLossChaosTest, EveryAcceptedOrderEndsCorrectlyAfterPowerCuts) {
  PowerLossOptions options;
  options.seed = ChaosSeedFromEnvironment();
  options.fault_seconds = SecondsFromEnvironment("SAGAFLOW_POWER_LOSS_SECONDS", 70);
  SCOPED_TRACE("chaos seed " + std::to_string(options.seed) +
               " (rerun with SAGAFLOW_CHAOS_SEED=" + std::to_string(options.seed) + ")");
  std::cout << "power-loss: seed " << options.seed << ", " << options.fault_seconds << " s of faults\n" << std::flush;

  const PowerLossReport report = RunPowerLossProfile(options);
  std::cout << report.Summary() << std::flush;

  EXPECT_TRUE(report.all_terminal) << report.logs;
  EXPECT_TRUE(report.quiescent) << report.not_quiescent_because << "\n" << report.logs;
  for (const auto& violation : report.contract.violations) ADD_FAILURE() << verify::ToString(violation);
  EXPECT_EQ(report.contract.sagactl.exit_code, std::optional<int>(0)) << report.contract.sagactl.output;
  for (const auto& problem : report.outcomes.problems) ADD_FAILURE() << problem.kind << ": " << problem.detail;
  for (const auto& id : report.missing_on_disk) ADD_FAILURE() << "accepted order " << id << " is not in orders.db";
  EXPECT_EQ(report.rejected, 0) << "POSTs that never got a 2xx";
  for (const auto& [service, code] : report.stop_exit_codes) {
    EXPECT_EQ(code, std::optional<int>(0)) << service << " did not stop cleanly, so the check read a cut disk";
  }

  // A run that cut nothing, or whose cuts lost nothing, proves nothing.
  const int planned_cuts = std::max(5, options.fault_seconds * 2 / 7);  // 20 in the default 70 s
  const CutTally total = report.cuts.total();
  EXPECT_GE(total.cuts, planned_cuts) << report.cuts.Summary();
  for (const auto& service : ServiceNames()) {
    auto it = report.cuts.by_service().find(service);
    const int cuts = it == report.cuts.by_service().end() ? 0 : it->second.cuts;
    EXPECT_GE(cuts, std::max(1, planned_cuts / 7)) << service << " was hardly cut\n" << report.cuts.Summary();
  }
  EXPECT_GT(total.bytes, 0) << "the power cuts discarded nothing\n" << report.cuts.Summary();
  EXPECT_GE(total.discarding, total.cuts / 3) << "too few cuts discarded anything\n" << report.cuts.Summary();
  for (const auto& error : report.cuts.errors()) ADD_FAILURE() << "unreadable stats file: " << error;
  EXPECT_GE(report.accepted, static_cast<size_t>(options.fault_seconds * 3)) << "too few orders to prove anything";
}

TEST(PowerLossChaosTest, PublishingBeforeTheFsyncIsCaught) {
  PowerLossOptions options;
  options.seed = ChaosSeedFromEnvironment();
  options.fault_seconds = SecondsFromEnvironment("SAGAFLOW_POWER_LOSS_CONTROL_SECONDS", 35);
  options.test_fault = "publish-before-fsync";
  // A faulty system may never settle; what it got wrong by then is the finding.
  options.converge_timeout = std::chrono::seconds(60);
  options.quiesce_timeout = std::chrono::seconds(30);
  SCOPED_TRACE("chaos seed " + std::to_string(options.seed) +
               " (rerun with SAGAFLOW_CHAOS_SEED=" + std::to_string(options.seed) + ")");
  std::cout << "power-loss: negative control, seed " << options.seed << ", " << options.fault_seconds
            << " s of faults, every relay publishing before the fsync\n"
            << std::flush;

  const PowerLossReport report = RunPowerLossProfile(options);
  std::cout << report.Summary();
  for (const auto& violation : report.contract.violations) std::cout << "  " << verify::ToString(violation) << "\n";
  for (const auto& problem : report.outcomes.problems)
    std::cout << "  " << problem.kind << ": " << problem.detail << "\n";
  std::cout << std::flush;

  EXPECT_GT(report.cuts.total().bytes, 0) << "the power cuts discarded nothing\n" << report.cuts.Summary();
  EXPECT_TRUE(report.FoundSomethingWrong()) << "the profile did not catch a relay that publishes before the fsync\n"
                                            << report.logs;
}

}  // namespace
}  // namespace sagaflow::testing
