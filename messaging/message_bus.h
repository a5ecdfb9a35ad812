// MessageBus: the process's one connection to the broker, as an interface so tests can use FakeBus.
//
// Delivery: every message on a subscribed topic is passed to the handler on the bus's delivery thread,
// one at a time, and acknowledged to the broker only after the handler returned — so the handler must
// commit its effects before returning, and must not return at all (exit instead) if it could not.
// Publishing: QoS 1, not retained; PublishBatch returns how many leading messages the broker
// acknowledged. Subscriptions are renewed on every (re)connect. All methods are thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace sagaflow::messaging {

struct IncomingMessage {
  std::string topic;
  std::string payload;
  bool redelivered = false;  // the broker's DUP flag: seen before, maybe handled before
};

struct OutgoingMessage {
  std::string topic;
  std::string payload;
};

class MessageBus {
 public:
  using Handler = std::function<void(const IncomingMessage&)>;
  virtual ~MessageBus() = default;

  // Before Start: which topics to hold a subscription on, and who receives their messages.
  virtual void SetHandler(std::vector<std::string> topics, Handler handler) = 0;
  // Called after each successful (re)connect and subscribe, e.g. to wake the outbox relay.
  virtual void SetConnectedCallback(std::function<void()> callback) = 0;
  // Begins connecting in the background and keeps reconnecting until Stop; returns at once.
  virtual Status Start() = 0;
  virtual void Stop() = 0;
  virtual bool IsConnected() const = 0;
  // Publishes all messages (in order, many in flight) and waits up to `timeout` for their
  // acknowledgements. Returns the length of the acknowledged prefix: messages.size() on success.
  virtual size_t PublishBatch(std::span<const OutgoingMessage> messages, Millis timeout) = 0;
};

}  // namespace sagaflow::messaging
