// WaitQuiescent: waits until a running system has nothing left to do, asking only each service's GET /metrics: every
// outbox backlog is 0, every service is connected to the broker, the orchestrator has no RUNNING or COMPENSATING
// saga and no saga step awaiting a reply (so nothing is left to re-send), and no service handled or published a
// message for a whole `quiet` period (make it longer than the step timeout and the nudge, so that a message still on
// its way would have shown). It never opens a database, so it may run while the services use the lossy VFS, whose
// databases no other process may read while they live.
//
// Returns true once quiescent; false at the timeout, with the last thing still going on in *why.
#pragma once

#include <chrono>
#include <string>

#include "tests/support/system.h"

namespace sagaflow::testing {

bool WaitQuiescent(System& system, std::chrono::milliseconds quiet, std::chrono::milliseconds timeout,
                   std::string* why);

}  // namespace sagaflow::testing
