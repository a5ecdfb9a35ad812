// BrokerAccounts: who may publish and consume what on the broker. It is the one description that the
// broker's ACL is generated from (RenderMosquittoAcl) and that each service's subscriptions are checked
// against at start, so a topic cannot be added to a service without its account allowing it.
//
// One account per service of the manifest (manifest/service_manifest.h), named like the service; it publishes
// only the topics it owns (and deadletter/<topic> for each topic it consumes) and subscribes only to what it
// consumes. `observer`
// reads every topic and publishes nothing. The broker makes each account's client id its name, so no
// account can take over another's persistent session. Only the services keep sessions on the broker:
// an account that merely watches (observer, bench) must connect with a clean MQTT 3.1.1 session, so it
// cannot leave behind a session that queues every message for a client that never comes back
// (RefuseSession; enforced in the broker by messaging/broker_plugin).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sagaflow::messaging {

struct BrokerAccount {
  std::string name;
  std::vector<std::string> publishes;
  std::vector<std::string> consumes;
  bool reads_everything = false;  // the observer
  bool keeps_session = true;      // a service; false for accounts that only watch

  bool MayPublish(std::string_view topic) const;
  bool MayConsume(std::string_view topic) const;
};

inline constexpr std::string_view kObserverAccount = "observer";
inline constexpr std::string_view kBenchAccount = "bench";
inline constexpr std::string_view kBenchLimit = "bench/limit";

// sagaflow's five services, the observer and the benchmark's probe.
std::vector<BrokerAccount> SagaflowAccounts();
// The union of `accounts` and `more` (the accounts saga definitions name, for example): an account of `more` whose
// name is already in `accounts` gains the topics it lacks, keeping its own flags; a new name is appended as it is.
// Order is kept and no topic is listed twice, so a union that adds nothing renders the same ACL.
std::vector<BrokerAccount> MergeAccounts(std::vector<BrokerAccount> accounts, const std::vector<BrokerAccount>& more);
// nullptr if no account has that name.
const BrokerAccount* FindAccount(const std::vector<BrokerAccount>& accounts, std::string_view name);
// Why `username` may not connect with this session, or nullopt if it may. MQTT 5 clients are refused for
// accounts that may not keep a session: a v5 client asks for a session expiry that a clean start does not
// show, and Mosquitto 2.0 does not tell a plugin what it asked for. Accounts not in `accounts` (added by
// an operator or a test) are not restricted here; the broker's password file decides whether they exist.
std::optional<std::string> RefuseSession(const std::vector<BrokerAccount>& accounts, std::string_view username,
                                         bool clean_session, int protocol_version);
// Mosquitto acl_file text granting exactly the rights above; anything not granted is denied.
std::string RenderMosquittoAcl(const std::vector<BrokerAccount>& accounts);

}  // namespace sagaflow::messaging
