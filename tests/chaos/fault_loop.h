// FaultLoop: the chaos suite's faults, injected one round at a time until a deadline. A round is a pause of 0.4-1.6 s,
// then one fault drawn from a weighted mix: a SIGKILL and a restart up to 1.2 s later; three of those in quick
// succession; a SIGSTOP longer than a step timeout (then SIGCONT); a broker kill; or total broker amnesia (kill, wipe
// its persistence, restart: no sessions, no queued messages).
//
// Kills and bursts hit a process drawn at random from all six (the broker included), or the five services in turn,
// so that each gets its share of even a short run. After each SIGKILL of a service, before its restart, after_kill is
// called with its name and pid (the power-loss profile reads what the cut discarded). Seeded: one seed, one schedule.
// Runs on the caller's thread; the counters are read after Run returns.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>

#include "tests/support/system.h"

namespace sagaflow::testing {

// Relative weights of the fault kinds of a round.
struct FaultMix {
  int kill = 55;
  int burst = 15;
  int stop = 15;
  int broker_kill = 0;  // besides the kills that draw the broker when victims are drawn from every process
  int broker_amnesia = 15;
  bool services_in_turn = false;  // kills and bursts: the services in turn, else any process at random
};

class FaultLoop {
 public:
  using AfterKill = std::function<void(const std::string& service, pid_t pid)>;
  FaultLoop(System& system, uint64_t seed, FaultMix mix, AfterKill after_kill = {});

  void Run(std::chrono::steady_clock::time_point until);

  // SIGKILLs of any process, the broker's included; SIGKILLs of each service.
  int kills() const { return kills_; }
  const std::map<std::string, int>& service_kills() const { return service_kills_; }
  std::string Summary() const;

 private:
  uint64_t Pick(uint64_t bound) { return random_() % bound; }
  // The victim of a kill or burst.
  std::string NextVictim();
  void Pause(std::chrono::milliseconds duration);
  void KillAndRestart(const std::string& name, std::chrono::milliseconds down);
  void Freeze(const std::string& name);
  void BrokerAmnesia();

  System& system_;
  std::mt19937_64 random_;
  const FaultMix mix_;
  const AfterKill after_kill_;
  size_t next_service_;
  int kills_ = 0;
  int repeated_bursts_ = 0;
  int broker_kills_ = 0;
  int amnesias_ = 0;
  int stops_ = 0;
  std::map<std::string, int> service_kills_;
};

}  // namespace sagaflow::testing
