// The recovery measurement (after a kill -9 of the orchestrator with 2,000 sagas in flight and a restart, all
// must be terminal within 3 s of the restart), against a running system that it disturbs on purpose.
// It posts N orders while the payment and inventory services are frozen (SIGSTOP), so that the
// orchestrator holds them all as running sagas waiting for replies (freeze=orchestrator instead freezes
// the orchestrator, so that the orders wait for it in its broker session); it thaws what it froze,
// kill -9s the orchestrator at once, starts it again as scripts/run had started it (when a foreground
// scripts/run supervises, it lets that restart it), and times from the new orchestrator's /health
// answering 200 to the last of the N orders' outcomes on the broker. Only orders it posted count.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bench/outcome_watcher.h"
#include "common/status.h"

namespace sagaflow::bench {

struct RecoveryOptions {
  std::string mqtt_uri;
  messaging::BrokerLogin mqtt_login;  // the observer
  std::string home;
  int http_port = 5000;  // the orchestrator's admin port is this + 1
  int orders = 2000;
  int clients = 64;
  std::string freeze = "steps";  // "steps" (payment and inventory) or "orchestrator"
  double settle_timeout_s = 60;  // steps: how long to wait for the orchestrator to hold every saga
  double drain_timeout_s = 120;  // after the restart
  bool progress = true;
};

// The outcomes of the posted orders, timed against the kill and the restart.
struct RecoveryCount {
  int completed = 0;
  int cancelled = 0;
  int unfinished = 0;
  // From the restart (the new orchestrator's /health answering 200) to the last outcome; 0 when every
  // outcome came earlier. Meaningful only when unfinished == 0.
  double healthy_to_all_terminal_s = 0;
  double kill_to_all_terminal_s = 0;
};
RecoveryCount CountRecovery(const std::vector<std::string>& posted, const OutcomeMap& outcomes,
                            std::chrono::steady_clock::time_point kill, std::chrono::steady_clock::time_point healthy);

struct RecoveryResult {
  Status status;  // not OK: the measurement could not be completed; the fields say how far it got
  int posted = 0;
  int post_errors = 0;
  int running_sagas_at_kill = 0;  // posted orders the orchestrator's database held as running sagas
  int in_flight_at_kill = 0;      // posted orders with no outcome on the broker when the kill was sent
  bool restarted_by_supervisor = false;
  double kill_to_healthy_s = 0;
  RecoveryCount count;
};

RecoveryResult RunRecovery(const RecoveryOptions& options);

}  // namespace sagaflow::bench
