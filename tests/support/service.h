// Service: one of sagaflow's real binaries started for a test with the contract's environment
// (SAGAFLOW_HOME, ports, delays), restartable after a kill.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "tests/support/process.h"

namespace sagaflow::testing {

struct SystemPorts {
  int mqtt = 0;
  int http = 0;  // order service; the others are +1..+4
};

class Service {
 public:
  // `name`: order-service, orchestrator, payment-service, inventory-service, notification-service.
  Service(std::string name, std::string home, SystemPorts ports, std::map<std::string, std::string> extra_env = {},
          std::vector<std::string> args = {});
  void Start();
  // Starts and waits until GET /health answers 200 (requires the broker to be up).
  void StartHealthy();
  bool WaitHealthy(std::chrono::milliseconds timeout);
  void Kill() { process_->Kill(); }
  Process& process() { return *process_; }
  int port() const { return port_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  int port_;
  std::unique_ptr<Process> process_;
};

int PortOffsetOf(const std::string& service);

}  // namespace sagaflow::testing
