// Broker: a real Mosquitto for a test, configured from config/mosquitto.conf.in (the same template
// scripts/run uses) on a free port with persistence under the test's home.
#pragma once

#include <memory>
#include <string>

#include "tests/support/process.h"

namespace sagaflow::testing {

class Broker {
 public:
  Broker(std::string home, int port);
  // Starts and waits until the port accepts connections.
  void Start();
  void Kill();  // SIGKILL: loses what arrived since the last autosave
  void Stop();  // SIGTERM: saves persistence first
  void WipePersistence();
  bool IsRunning() { return process_ && process_->IsRunning(); }
  int port() const { return port_; }
  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  Process& process() { return *process_; }

 private:
  std::string home_;
  int port_;
  std::string dir_;
  std::unique_ptr<Process> process_;
};

// True if something accepts TCP connections on 127.0.0.1:port.
bool PortAccepts(int port);

}  // namespace sagaflow::testing
