// MessagingStack: the messaging half of the runtime, over a service's database: its outbox, the MQTT bus logged in
// as the service's broker account, the consumer (inbox, dead letters) and the outbox relay. The account decides what
// the relay may publish, and Start refuses a consumed topic that the account may not read. A consumer that cannot
// commit ends the process without acknowledging the message, so the broker delivers it again after the restart.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/wake_signal.h"
#include "messaging/broker_accounts.h"
#include "messaging/consumer.h"
#include "messaging/mqtt_bus.h"
#include "messaging/outbox_relay.h"
#include "runtime/process.h"
#include "storage/database.h"
#include "storage/outbox.h"

namespace sagaflow::runtime {

struct MessagingStackOptions {
  // A deliberate fault for the power-loss tests' negative control only (test_fault.h).
  bool publish_before_durable = false;
};

class MessagingStack {
 public:
  static Result<std::unique_ptr<MessagingStack>> Create(const ServiceSpec& spec, const CommonConfig& config,
                                                        storage::Database& db, const Clock& clock, RandomSource& random,
                                                        const Logger& logger, Metrics& metrics,
                                                        MessagingStackOptions options = {});
  ~MessagingStack() { Stop(); }

  storage::Outbox& outbox() { return *outbox_; }
  messaging::Consumer& consumer() { return *consumer_; }
  messaging::MessageBus& bus() { return *bus_; }
  const std::string& broker_uri() const { return broker_uri_; }

  // Connects (subscribing to the consumer's topics) and starts the relay.
  Status Start();
  // FailedPrecondition naming the first of `topics` the broker account may not publish on: a row on such a topic
  // would stay in the outbox and hold back every row after it.
  Status CheckMayPublish(const std::vector<std::string>& topics) const;
  void Stop();

 private:
  MessagingStack() = default;

  std::string name_;
  std::string broker_uri_;
  messaging::BrokerAccount account_;
  WakeSignal outbox_rows_;
  std::unique_ptr<storage::Outbox> outbox_;
  std::unique_ptr<messaging::MqttBus> bus_;
  std::unique_ptr<messaging::Consumer> consumer_;
  std::unique_ptr<messaging::OutboxRelay> relay_;
};

}  // namespace sagaflow::runtime
