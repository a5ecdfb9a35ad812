#include "tests/chaos/power_loss_profile.h"

#include <csignal>
#include <iostream>

#include "storage/lossy_vfs/lossy_vfs.h"
#include "tests/chaos/fault_loop.h"
#include "tests/chaos/order_stream.h"
#include "tests/chaos/quiescence.h"

namespace sagaflow::testing {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using SteadyClock = std::chrono::steady_clock;

int64_t MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start).count();
}

// Mostly power cuts, the services in turn so that each gets several even in a short run; the rest as in the kill
// profile, with the broker's kills its own kind since the cuts never draw it.
constexpr FaultMix kPowerLossMix{
    .kill = 60, .burst = 10, .stop = 10, .broker_kill = 10, .broker_amnesia = 10, .services_in_turn = true};

constexpr int kStepTimeoutMs = 2000;

}  // namespace

bool PowerLossReport::FoundSomethingWrong() const {
  return !contract.violations.empty() || contract.sagactl.exit_code != std::optional<int>(0) ||
         !outcomes.problems.empty() || !missing_on_disk.empty();
}

std::string PowerLossReport::Summary() const {
  std::map<int, int> by_guarantee;
  for (const auto& violation : contract.violations) ++by_guarantee[violation.guarantee];
  std::string guarantees;
  for (const auto& [guarantee, count] : by_guarantee) {
    guarantees += " " + std::to_string(count) + " of guarantee " + std::to_string(guarantee) + ";";
  }
  std::string problems;
  for (const auto& [kind, count] : outcomes.CountByKind()) problems += " " + std::to_string(count) + " " + kind + ";";
  std::string exits;
  for (const auto& [service, code] : stop_exit_codes) {
    exits += " " + service + "=" + (code ? std::to_string(*code) : std::string("none"));
  }
  const std::string p = "power-loss: ";
  return p + "faults: " + faults + "\n" + p + "power cuts:\n" + cuts.Summary() + p + std::to_string(accepted) +
         " orders accepted, " + std::to_string(rejected) + " POSTs without a 2xx; " +
         (all_terminal ? "all terminal " : "NOT all terminal ") + std::to_string(converge_ms) +
         " ms after the last fault; " + (quiescent ? "quiescent " : "NOT quiescent (" + not_quiescent_because + ") ") +
         std::to_string(quiesce_ms) + " ms later" + "\n" + p + std::to_string(outcomes.completed) + " completed, " +
         std::to_string(outcomes.cancelled) + " cancelled; " + std::to_string(outcomes.problems.size()) +
         " outcome problems" + (problems.empty() ? "" : ":" + problems) + " " + std::to_string(missing_on_disk.size()) +
         " accepted orders missing from orders.db\n" + p + std::to_string(contract.violations.size()) + " violations" +
         (guarantees.empty() ? "" : ":" + guarantees) + " sagactl verify exit " +
         (contract.sagactl.exit_code ? std::to_string(*contract.sagactl.exit_code) : std::string("none")) + "\n" + p +
         "stopped with SIGTERM, exit codes" + exits + "; " + std::to_string(total_ms / 1000) + " s in all\n";
}

PowerLossReport RunPowerLossProfile(const PowerLossOptions& options) {
  const auto started = SteadyClock::now();
  PowerLossReport report;
  TempDir stats_dir("sagaflow-lossy-stats");
  SystemOptions system_options;
  system_options.step_timeout_ms = kStepTimeoutMs;
  system_options.nudge_ms = 1500;
  system_options.extra_env = {{"SAGAFLOW_STEP_ATTEMPTS", "10"},
                              {"SAGAFLOW_COMPENSATION_ATTEMPTS", "1000"},
                              {storage::lossy_vfs::kEnableVariable, "1"},
                              {storage::lossy_vfs::kStatsDirVariable, stats_dir.path()}};
  if (!options.test_fault.empty()) system_options.extra_env["SAGAFLOW_TEST_FAULT"] = options.test_fault;
  AddContestedStock(system_options);
  System system(system_options);
  system.Start();

  PowerCutLedger ledger(stats_dir.path());
  const auto until = SteadyClock::now() + seconds(options.fault_seconds);
  OrderStream orders(system, options.seed);
  orders.Start(until);
  FaultLoop faults(system, options.seed, kPowerLossMix,
                   [&ledger](const std::string& service, pid_t pid) { ledger.Record(service, pid); });
  faults.Run(until);
  orders.Join();
  report.faults = faults.Summary();
  report.cuts = ledger;
  report.accepted = orders.accepted().size();
  report.rejected = orders.rejected();
  std::cout << "power-loss: faults stopped; " << report.accepted << " orders accepted\n" << std::flush;

  // The faults stop: everything runs again, then the system converges with nothing reading its databases.
  const auto last_fault = SteadyClock::now();
  std::vector<std::string> processes = {"mosquitto"};
  const std::vector<std::string> services = ServiceNames();
  processes.insert(processes.end(), services.begin(), services.end());
  for (const auto& name : processes) {
    system.process(name).Signal(SIGCONT);
    if (!system.IsRunning(name)) system.Restart(name);
  }
  report.all_terminal = system.WaitAllTerminal(orders.accepted_ids(), options.converge_timeout);
  report.converge_ms = MillisSince(last_fault);
  const auto terminal = SteadyClock::now();
  // Quiet for longer than a step timeout and the nudge, so that a message still on its way shows as activity.
  report.quiescent = WaitQuiescent(system, milliseconds(2 * kStepTimeoutMs + 1000), options.quiesce_timeout,
                                   &report.not_quiescent_because);
  report.quiesce_ms = MillisSince(terminal);
  report.outcomes = CheckOutcomes(system.http_port(), orders.accepted());

  // Only once every lossy process is gone may another read its database.
  for (const auto& name : ServiceNames()) report.stop_exit_codes[name] = system.process(name).Terminate(seconds(30));
  report.missing_on_disk = MissingFromDisk(system.data_dir() + "/orders.db", orders.accepted());
  report.contract = CheckContractOnce(system);
  report.logs = system.Logs();
  report.total_ms = MillisSince(started);
  return report;
}

}  // namespace sagaflow::testing
