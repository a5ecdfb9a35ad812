// MqttProbe: a test's own MQTT client that records every message on its topics and can publish.
//
// It logs in with `login` (the broker makes the account name its client id). With clean_session=false its subscriptions
// live in the broker's session, so messages published while it is disconnected wait for it (ConnectPersistent registers
// the session). Thread-safe; messages() returns a snapshot.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "messaging/broker_login.h"

namespace mqtt {
class async_client;
}

namespace sagaflow::testing {

struct ReceivedMessage {
  std::string topic;
  std::string payload;
};

class MqttProbe {
 public:
  // `client_id`: what the probe asks for (default: the account name); sagaflow's broker replaces it.
  MqttProbe(std::string uri, messaging::BrokerLogin login, std::vector<std::string> topics, bool clean_session = true,
            const std::string& client_id = "");
  ~MqttProbe();

  // Connects and subscribes; throws on failure.
  void Connect(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Retries Connect until the deadline (the broker may still be starting).
  bool ConnectWithin(std::chrono::milliseconds timeout);
  void Disconnect();
  void Publish(const std::string& topic, const std::string& payload);

  std::vector<ReceivedMessage> messages() const;
  size_t Count(const std::string& topic) const;
  // Polls until `predicate(messages())` holds.
  bool WaitFor(const std::function<bool(const std::vector<ReceivedMessage>&)>& predicate,
               std::chrono::milliseconds timeout) const;

 private:
  std::string uri_;
  messaging::BrokerLogin login_;
  std::vector<std::string> topics_;
  bool clean_session_;
  std::unique_ptr<mqtt::async_client> client_;
  mutable std::mutex mu_;
  std::vector<ReceivedMessage> messages_;
};

}  // namespace sagaflow::testing
