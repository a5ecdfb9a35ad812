#include "tests/chaos/fault_loop.h"

#include <csignal>
#include <thread>

namespace sagaflow::testing {

namespace {
using std::chrono::milliseconds;

const std::vector<std::string> kProcesses = {"mosquitto",       "order-service",     "orchestrator",
                                             "payment-service", "inventory-service", "notification-service"};
}  // namespace

FaultLoop::FaultLoop(System& system, uint64_t seed, FaultMix mix, AfterKill after_kill)
    : system_(system), random_(seed), mix_(mix), after_kill_(std::move(after_kill)) {
  next_service_ = Pick(ServiceNames().size());  // so that different seeds cut the services in different orders
}

void FaultLoop::Run(std::chrono::steady_clock::time_point until) {
  const int total = mix_.kill + mix_.burst + mix_.stop + mix_.broker_kill + mix_.broker_amnesia;
  while (std::chrono::steady_clock::now() < until) {
    Pause(milliseconds(400 + Pick(1200)));
    int dice = static_cast<int>(Pick(static_cast<uint64_t>(total)));
    if ((dice -= mix_.kill) < 0) {
      KillAndRestart(NextVictim(), milliseconds(Pick(1200)));
    } else if ((dice -= mix_.burst) < 0) {
      const std::string victim = NextVictim();
      for (int i = 0; i < 3; ++i) KillAndRestart(victim, milliseconds(50 + Pick(150)));  // in quick succession
      ++repeated_bursts_;
    } else if ((dice -= mix_.stop) < 0) {
      // The broker is never frozen: a frozen broker is a slow network, which the kills already cover.
      const std::string victim = kProcesses[Pick(kProcesses.size())];
      Freeze(victim == "mosquitto" ? "orchestrator" : victim);
    } else if ((dice -= mix_.broker_kill) < 0) {
      KillAndRestart("mosquitto", milliseconds(Pick(1200)));
      ++broker_kills_;
    } else {
      BrokerAmnesia();
    }
  }
}

std::string FaultLoop::NextVictim() {
  if (!mix_.services_in_turn) return kProcesses[Pick(kProcesses.size())];
  const std::string victim = ServiceNames()[next_service_];
  next_service_ = (next_service_ + 1) % ServiceNames().size();
  return victim;
}

void FaultLoop::Pause(milliseconds duration) {
  std::this_thread::sleep_for(duration);  // the fault's length, on purpose
}

void FaultLoop::KillAndRestart(const std::string& name, milliseconds down) {
  const pid_t pid = system_.process(name).pid();
  system_.Kill(name);
  ++kills_;
  if (name != "mosquitto") {
    ++service_kills_[name];
    if (after_kill_ && pid > 0) after_kill_(name, pid);
  }
  Pause(down);
  system_.Restart(name);
}

void FaultLoop::Freeze(const std::string& name) {
  system_.process(name).Signal(SIGSTOP);
  Pause(milliseconds(2500 + Pick(2000)));  // longer than a step timeout (2 s)
  system_.process(name).Signal(SIGCONT);
  ++stops_;
}

void FaultLoop::BrokerAmnesia() {
  system_.Kill("mosquitto");
  system_.broker().WipePersistence();
  Pause(milliseconds(Pick(800)));
  system_.Restart("mosquitto");
  ++kills_;
  ++amnesias_;
}

std::string FaultLoop::Summary() const {
  const std::string broker_kills =
      mix_.broker_kill > 0 ? std::to_string(broker_kills_) + " broker kills besides, " : std::string();
  return std::to_string(kills_) + " kills (" + std::to_string(repeated_bursts_) + " bursts of 3, " + broker_kills +
         std::to_string(amnesias_) + " broker amnesias), " + std::to_string(stops_) + " SIGSTOP/SIGCONT";
}

}  // namespace sagaflow::testing
