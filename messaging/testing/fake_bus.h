// FakeBus: an in-memory MessageBus for unit tests, with the faults a real broker produces.
//
// Published messages are recorded (published()) and queued for delivery; Deliver() hands queued
// messages to the handler the way a broker would, optionally dropping, duplicating and reordering them
// with a seeded random source. Tests can disconnect the bus or make publishes fail. Thread-safe.
#pragma once

#include <deque>
#include <mutex>
#include <random>

#include "messaging/message_bus.h"

namespace sagaflow::messaging {

struct DeliveryFaults {
  double drop = 0;       // probability a message is lost
  double duplicate = 0;  // probability a message is delivered twice
  bool reorder = false;  // shuffle the queue before delivering
};

class FakeBus final : public MessageBus {
 public:
  explicit FakeBus(uint64_t seed = 1) : random_(seed) {}

  void SetHandler(std::vector<std::string> topics, Handler handler) override;
  void SetConnectedCallback(std::function<void()> callback) override { on_connected_ = std::move(callback); }
  Status Start() override;
  void Stop() override { SetConnected(false); }  // under mu_: the relay thread reads connected_
  bool IsConnected() const override;
  size_t PublishBatch(std::span<const OutgoingMessage> messages, Millis timeout) override;

  // Test controls.
  void SetConnected(bool connected);
  // The next `n` publishes are acknowledged, the one after fails (and with it the rest of its batch).
  void FailPublishAfter(size_t n);
  // Injects a message as if another process had published it.
  void Inject(IncomingMessage message);
  // Delivers everything queued (published or injected) to the handler, if its topic is subscribed.
  size_t Deliver(const DeliveryFaults& faults = {});
  std::vector<OutgoingMessage> published() const;
  void ClearPublished();

 private:
  mutable std::mutex mu_;
  std::vector<std::string> topics_;
  Handler handler_;
  std::function<void()> on_connected_;
  bool connected_ = false;
  long fail_after_ = -1;
  std::vector<OutgoingMessage> published_;
  std::deque<IncomingMessage> queue_;
  std::mt19937_64 random_;
};

}  // namespace sagaflow::messaging
