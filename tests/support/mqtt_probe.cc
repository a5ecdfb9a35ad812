#include "tests/support/mqtt_probe.h"

#include <mqtt/async_client.h>

#include "tests/support/test_env.h"

namespace sagaflow::testing {

MqttProbe::MqttProbe(std::string uri, messaging::BrokerLogin login, std::vector<std::string> topics, bool clean_session,
                     const std::string& client_id)
    : uri_(std::move(uri)), login_(std::move(login)), topics_(std::move(topics)), clean_session_(clean_session) {
  client_ = std::make_unique<mqtt::async_client>(uri_, client_id.empty() ? login_.username : client_id);
  client_->set_message_callback([this](mqtt::const_message_ptr message) {
    std::lock_guard lock(mu_);
    messages_.push_back({message->get_topic(), message->get_payload_str()});
  });
}

MqttProbe::~MqttProbe() {
  Disconnect();
}

void MqttProbe::Connect(std::chrono::milliseconds timeout) {
  auto builder = mqtt::connect_options_builder()
                     .mqtt_version(MQTTVERSION_3_1_1)
                     .clean_session(clean_session_)
                     .keep_alive_interval(std::chrono::seconds(10))
                     .connect_timeout(std::chrono::seconds(5));
  // An empty login connects anonymously, as a stranger would.
  if (!login_.username.empty()) builder.user_name(login_.username).password(login_.password);
  auto options = builder.finalize();
  if (!client_->connect(options)->wait_for(timeout)) throw std::runtime_error("probe connect timed out");
  if (!topics_.empty()) {
    auto filters = mqtt::string_collection::create(topics_);
    mqtt::iasync_client::qos_collection qos(topics_.size(), 1);
    if (!client_->subscribe(filters, qos)->wait_for(timeout)) throw std::runtime_error("probe subscribe timed out");
  }
}

bool MqttProbe::ConnectWithin(std::chrono::milliseconds timeout) {
  return Eventually(
      [&] {
        try {
          Connect(std::chrono::seconds(2));
          return true;
        } catch (const std::exception&) {
          return false;
        }
      },
      timeout);
}

void MqttProbe::Disconnect() {
  try {
    if (client_ && client_->is_connected()) client_->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const std::exception&) {
    // The broker may already be gone.
  }
}

void MqttProbe::Publish(const std::string& topic, const std::string& payload) {
  client_->publish(topic, payload.data(), payload.size(), 1, false)->wait_for(std::chrono::seconds(10));
}

std::vector<ReceivedMessage> MqttProbe::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}

size_t MqttProbe::Count(const std::string& topic) const {
  std::lock_guard lock(mu_);
  size_t count = 0;
  for (const auto& message : messages_) count += message.topic == topic ? 1 : 0;
  return count;
}

bool MqttProbe::WaitFor(const std::function<bool(const std::vector<ReceivedMessage>&)>& predicate,
                        std::chrono::milliseconds timeout) const {
  return Eventually([&] { return predicate(messages()); }, timeout);
}

}  // namespace sagaflow::testing
