// MqttBus: MessageBus over Paho MQTT C++ (MQTT 3.1.1, QoS 1, persistent session, no Paho persistence).
//
// One client with a fixed client id per process, logged in as the process's broker account, and clean session off, so
// messages published while the process is down wait in its broker session. The message callback is installed before the
// first connect and calls the handler synchronously: Paho sends the PUBACK after it returns (see docs/adr/0002).
// Connecting and reconnecting happen on one background task ("broker connection") with capped back-off; after every
// connect it subscribes again (a restarted broker may have forgotten the session, and Paho's own reconnect would not
// re-subscribe).
// Thread-safe; Stop() before destruction.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/backoff.h"
#include "common/logging.h"
#include "common/periodic_task.h"
#include "common/random.h"
#include "messaging/message_bus.h"

namespace mqtt {
class async_client;
}

namespace sagaflow::messaging {

struct MqttBusOptions {
  std::string server_uri{};  // tcp://127.0.0.1:1883
  std::string client_id{};   // fixed per process: the broker keeps this id's session
  std::string username{};    // the broker account (empty: connect anonymously)
  std::string password{};
  std::string ca_file{};  // for ssl:// URIs: the CA that signed the broker's certificate (empty: system CAs)
  Millis keep_alive{10'000};
  Millis connect_timeout{5'000};
  BackoffPolicy reconnect{Millis(100), 2.0, Millis(2'000), 0.2};
};

class MqttBus final : public MessageBus {
 public:
  MqttBus(MqttBusOptions options, Logger logger, RandomSource& random);
  ~MqttBus() override;

  void SetHandler(std::vector<std::string> topics, Handler handler) override;
  void SetConnectedCallback(std::function<void()> callback) override;
  Status Start() override;
  void Stop() override;
  bool IsConnected() const override { return connected_.load(); }
  size_t PublishBatch(std::span<const OutgoingMessage> messages, Millis timeout) override;

 private:
  // The connection task's pass: connects (and subscribes) when not connected.
  Result<NextPass> KeepConnected();
  Status ConnectAndSubscribe();
  void DisableNagle();

  MqttBusOptions options_;
  Logger logger_;
  std::vector<std::string> topics_;
  Handler handler_;
  std::function<void()> on_connected_;
  std::unique_ptr<mqtt::async_client> client_;
  std::atomic<bool> running_{false};
  std::atomic<bool> connected_{false};
  PeriodicTask connector_;
};

}  // namespace sagaflow::messaging
