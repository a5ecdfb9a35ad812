#include "messaging/testing/fake_bus.h"

#include <algorithm>

namespace sagaflow::messaging {

void FakeBus::SetHandler(std::vector<std::string> topics, Handler handler) {
  std::lock_guard lock(mu_);
  topics_ = std::move(topics);
  handler_ = std::move(handler);
}

Status FakeBus::Start() {
  SetConnected(true);
  return Status::Ok();
}

bool FakeBus::IsConnected() const {
  std::lock_guard lock(mu_);
  return connected_;
}

void FakeBus::SetConnected(bool connected) {
  std::function<void()> callback;
  {
    std::lock_guard lock(mu_);
    const bool was = connected_;
    connected_ = connected;
    if (connected && !was) callback = on_connected_;
  }
  if (callback) callback();
}

void FakeBus::FailPublishAfter(size_t n) {
  std::lock_guard lock(mu_);
  fail_after_ = static_cast<long>(n);
}

size_t FakeBus::PublishBatch(std::span<const OutgoingMessage> messages, Millis /*timeout*/) {
  std::lock_guard lock(mu_);
  if (!connected_) return 0;
  size_t acknowledged = 0;
  for (const auto& message : messages) {
    if (fail_after_ == 0) {
      fail_after_ = -1;
      break;
    }
    if (fail_after_ > 0) --fail_after_;
    published_.push_back(message);
    queue_.push_back({message.topic, message.payload, false});
    ++acknowledged;
  }
  return acknowledged;
}

void FakeBus::Inject(IncomingMessage message) {
  std::lock_guard lock(mu_);
  queue_.push_back(std::move(message));
}

size_t FakeBus::Deliver(const DeliveryFaults& faults) {
  std::deque<IncomingMessage> batch;
  Handler handler;
  std::vector<std::string> topics;
  {
    std::lock_guard lock(mu_);
    batch.swap(queue_);
    handler = handler_;
    topics = topics_;
    std::uniform_real_distribution<double> unit(0, 1);
    std::deque<IncomingMessage> faulty;
    for (auto& message : batch) {
      if (unit(random_) < faults.drop) continue;
      if (unit(random_) < faults.duplicate) faulty.push_back({message.topic, message.payload, true});
      faulty.push_back(std::move(message));
    }
    if (faults.reorder) std::shuffle(faulty.begin(), faulty.end(), random_);
    batch.swap(faulty);
  }
  size_t delivered = 0;
  for (const auto& message : batch) {
    if (!handler || std::find(topics.begin(), topics.end(), message.topic) == topics.end()) continue;
    handler(message);
    ++delivered;
  }
  return delivered;
}

std::vector<OutgoingMessage> FakeBus::published() const {
  std::lock_guard lock(mu_);
  return published_;
}

void FakeBus::ClearPublished() {
  std::lock_guard lock(mu_);
  published_.clear();
}

}  // namespace sagaflow::messaging
