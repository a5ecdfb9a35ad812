// sagaflow's guarantees (listed in tools/verify/verify.h) checked over a system's SQLite files, both by the verify
// library (each violation) and by `sagactl verify`, the checker an operator runs (its exit code and output).
//
// Both read the databases directly, so under the lossy VFS they may run only once every service has stopped: a live
// lossy process's -shm describes WAL frames that no other process can see.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/support/system.h"
#include "tools/verify/verify.h"

namespace sagaflow::testing {

struct SagactlResult {
  std::optional<int> exit_code;  // nullopt: it did not exit in time, or died of a signal
  std::string output;
};

// Runs `sagactl verify` against the system's home and stock file.
SagactlResult SagactlVerify(System& system);

struct ContractCheck {
  std::vector<verify::Violation> violations;  // a database that cannot be read is one, of guarantee 0
  SagactlResult sagactl;
};

// One check, no polling: what the databases hold now is what must hold.
ContractCheck CheckContractOnce(System& system);

}  // namespace sagaflow::testing
