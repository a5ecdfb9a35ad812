// OutcomeWatcher: learns each order's end from the broker, not by polling. It subscribes (clean session,
// QoS 1) to orders/completed and orders/cancelled and remembers when each order's outcome was first
// seen; repeats of an outcome (the orchestrator re-sends it until acknowledged) keep the first time.
// Thread-safe: Paho's thread records, any thread asks. Connect failures are returned, never thrown.
#pragma once

#include <mqtt/async_client.h>
#include <simdjson.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "messaging/broker_login.h"

namespace sagaflow::bench {

struct Outcome {
  std::chrono::steady_clock::time_point at;
  bool completed = false;  // else cancelled
};
using OutcomeMap = std::unordered_map<std::string, Outcome>;  // orderId -> first outcome seen

// The "orderId" of a JSON object (a message, or the order service's answer to a POST); nullopt if none.
std::optional<std::string> ReadOrderId(simdjson::dom::parser& parser, std::string_view json);

class OutcomeWatcher {
 public:
  // Logs in as `login` (the observer account: it reads every topic).
  OutcomeWatcher(std::string mqtt_uri, messaging::BrokerLogin login);
  ~OutcomeWatcher();
  OutcomeWatcher(const OutcomeWatcher&) = delete;
  OutcomeWatcher& operator=(const OutcomeWatcher&) = delete;

  // Connects and subscribes; an outcome published before this returned may be missed.
  Status Connect();

  std::optional<Outcome> Find(const std::string& order_id) const;
  // How many of `order_ids` have an outcome.
  size_t CountEnded(const std::vector<std::string>& order_ids) const;
  // How many keys of `orders` (any map keyed by orderId) have an outcome.
  template <typename Map>
  size_t CountEndedKeys(const Map& orders) const {
    std::lock_guard lock(mu_);
    size_t ended = 0;
    for (const auto& entry : orders) ended += seen_.count(entry.first);
    return ended;
  }
  OutcomeMap Snapshot() const;

 private:
  std::string uri_;
  messaging::BrokerLogin login_;
  mutable std::mutex mu_;
  OutcomeMap seen_;  // under mu_
  // Last, so that it is destroyed first: its callback uses mu_ and seen_.
  std::unique_ptr<mqtt::async_client> client_;
};

}  // namespace sagaflow::bench
