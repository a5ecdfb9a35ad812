// The power-loss chaos profile, shared by its test and its negative control. Every service runs under the lossy VFS
// (storage/lossy_vfs), so each SIGKILL of a service is a power cut of its disk: what it had not fsynced is gone. The
// fault loop cuts the five services in turn at random moments, alongside broker kills, broker amnesia and SIGSTOPs,
// under the mixed order stream, and the ledger records what each cut discarded.
//
// Once the faults stop it restarts whatever is down, waits over HTTP until every accepted order is terminal, waits
// through /metrics until nothing is left to do, checks each order's outcome by its class (HTTP), stops every service
// with SIGTERM (a clean exit writes out what is unsynced, as an OS would) and only then reads the databases: every
// accepted order present, and every guarantee of tools/verify/verify.h by the verify library and by
// `sagactl verify`.
//
// Run reports what it saw and asserts nothing: the test expects a sound system to show nothing wrong, the negative
// control expects a deliberately faulty one (SAGAFLOW_TEST_FAULT) to be caught.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/chaos/contract_check.h"
#include "tests/chaos/outcomes.h"
#include "tests/chaos/power_cuts.h"

namespace sagaflow::testing {

struct PowerLossOptions {
  uint64_t seed = 0;
  int fault_seconds = 70;
  std::string test_fault;  // SAGAFLOW_TEST_FAULT for every service; empty: none
  std::chrono::milliseconds converge_timeout = std::chrono::seconds(180);
  std::chrono::milliseconds quiesce_timeout = std::chrono::seconds(120);
};

struct PowerLossReport {
  std::string faults;  // the fault loop's summary
  PowerCutLedger cuts;
  size_t accepted = 0;
  int rejected = 0;  // POSTs that never got a 2xx
  bool all_terminal = false;
  int64_t converge_ms = 0;  // from the last fault until every accepted order was terminal (or the timeout)
  bool quiescent = false;
  int64_t quiesce_ms = 0;  // from then until quiescent (or the timeout)
  std::string not_quiescent_because;
  std::map<std::string, std::optional<int>> stop_exit_codes;  // of the SIGTERM at the end, by service
  Outcomes outcomes;
  std::vector<std::string> missing_on_disk;  // accepted orders orders.db does not hold after the stop
  ContractCheck contract;
  int64_t total_ms = 0;
  std::string logs;  // the end of every process's log, for a failure message

  // Anything a sound system must never show: a violation, an outcome problem, an accepted order missing, sagactl
  // verify not passing.
  bool FoundSomethingWrong() const;
  // Lines prefixed "power-loss: ", for the test's output.
  std::string Summary() const;
};

PowerLossReport RunPowerLossProfile(const PowerLossOptions& options);

}  // namespace sagaflow::testing
