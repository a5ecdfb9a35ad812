// Broker: a real Mosquitto for a test, configured from config/mosquitto.conf.in (the same template
// scripts/run uses) on a free port with persistence under the test's home. Authentication is on, as in
// production: every account gets a random secret under <home>/secrets/mqtt, the ACL is the one generated from
// messaging/broker_accounts (by default the compiled accounts; a System passes those its saga definitions extend them
// with, as scripts/run does), and a test's own clients use accounts it adds.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "messaging/broker_accounts.h"
#include "messaging/broker_login.h"
#include "tests/support/process.h"

namespace sagaflow::testing {

class Broker {
 public:
  Broker(std::string home, int port, std::vector<messaging::BrokerAccount> accounts = messaging::SagaflowAccounts());
  // Before Start(): an account for a test's own client with these Mosquitto ACL lines (by default it reads
  // and writes every topic).
  void AddTestAccount(const std::string& name, const std::string& acl = "topic readwrite #\n");
  // Before Start(): a second listener with TLS on `tls_port`, its certificate for 127.0.0.1 signed by a
  // test CA made here. Returns the CA certificate's path (what a client trusts).
  std::string EnableTls(int tls_port);
  // The login of a sagaflow account or a test account (its client id is its name).
  messaging::BrokerLogin Login(const std::string& account) const;
  // Writes the configuration, password file and ACL, starts, and waits until the port accepts connections.
  void Start();
  void Kill();  // SIGKILL: loses what arrived since the last autosave
  void Stop();  // SIGTERM: saves persistence first
  void WipePersistence();
  bool IsRunning() { return process_ && process_->IsRunning(); }
  int port() const { return port_; }
  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  Process& process() { return *process_; }

 private:
  void EnsureSecret(const std::string& account);
  void WriteAuthFiles();

  std::string home_;
  int port_;
  std::string dir_;
  std::vector<messaging::BrokerAccount> accounts_;
  std::map<std::string, std::string> test_accounts_;  // name -> ACL lines
  std::unique_ptr<Process> process_;
};

// True if something accepts TCP connections on 127.0.0.1:port.
bool PortAccepts(int port);

}  // namespace sagaflow::testing
