// BrokerAccounts: who may publish and consume what on the broker. It is the one description that the
// broker's ACL is generated from (RenderMosquittoAcl) and that each service's subscriptions are checked
// against at start, so a topic cannot be added to a service without its account allowing it.
//
// One account per service, named like the service; it publishes only the topics it owns (and
// deadletter/<topic> for each topic it consumes) and subscribes only to what it consumes. `observer`
// reads every topic and publishes nothing. The broker makes each account's client id its name, so no
// account can take over another's persistent session.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sagaflow::messaging {

struct BrokerAccount {
  std::string name;
  std::vector<std::string> publishes;
  std::vector<std::string> consumes;
  bool reads_everything = false;  // the observer

  bool MayPublish(std::string_view topic) const;
  bool MayConsume(std::string_view topic) const;
};

inline constexpr std::string_view kObserverAccount = "observer";
inline constexpr std::string_view kBenchAccount = "bench";
inline constexpr std::string_view kBenchLimit = "bench/limit";

// sagaflow's five services, the observer and the benchmark's probe.
std::vector<BrokerAccount> SagaflowAccounts();
// nullptr if no account has that name.
const BrokerAccount* FindAccount(const std::vector<BrokerAccount>& accounts, std::string_view name);
// Mosquitto acl_file text granting exactly the rights above; anything not granted is denied.
std::string RenderMosquittoAcl(const std::vector<BrokerAccount>& accounts);

}  // namespace sagaflow::messaging
