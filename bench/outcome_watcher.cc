#include "bench/outcome_watcher.h"

#include "common/json.h"
#include "messaging/tcp_no_delay.h"

namespace sagaflow::bench {

std::optional<std::string> ReadOrderId(simdjson::dom::parser& parser, std::string_view json) {
  auto root = ParseJson(parser, json);
  if (!root.ok()) return std::nullopt;
  simdjson::dom::object object;
  if (root->get_object().get(object)) return std::nullopt;
  auto id = GetString(object, "orderId");
  if (!id.ok()) return std::nullopt;
  return std::string(*id);
}

OutcomeWatcher::OutcomeWatcher(std::string mqtt_uri, messaging::BrokerLogin login)
    : uri_(std::move(mqtt_uri)), login_(std::move(login)) {}

OutcomeWatcher::~OutcomeWatcher() {
  if (client_ == nullptr) return;
  try {
    if (client_->is_connected()) client_->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const std::exception&) {
    // Leaving anyway; the broker drops a clean session on its own.
  }
}

Status OutcomeWatcher::Connect() {
  try {
    client_ = std::make_unique<mqtt::async_client>(uri_, login_.username);
    client_->set_message_callback([this](mqtt::const_message_ptr message) {
      const auto now = std::chrono::steady_clock::now();
      simdjson::dom::parser parser;
      auto id = ReadOrderId(parser, message->get_payload_str());
      if (!id) return;
      std::lock_guard lock(mu_);
      seen_.emplace(std::move(*id), Outcome{now, message->get_topic() == "orders/completed"});
    });
    auto options = mqtt::connect_options_builder()
                       .mqtt_version(MQTTVERSION_3_1_1)
                       .clean_session(true)
                       .user_name(login_.username)
                       .password(login_.password)
                       .finalize();
    if (!client_->connect(options)->wait_for(std::chrono::seconds(10))) {
      return Status::Unavailable("cannot connect to the broker at " + uri_);
    }
    // The services' own socket option (messaging/tcp_no_delay.h): without it our PUBACKs wait behind
    // Nagle and the instrument, not the system, adds latency.
    if (auto broker = messaging::ParseBrokerUri(uri_); broker.ok()) {
      (void)messaging::SetNoDelayOnConnectionsTo(broker->first, broker->second);
    }
    if (!client_
             ->subscribe(mqtt::string_collection::create({"orders/completed", "orders/cancelled"}),
                         mqtt::iasync_client::qos_collection{1, 1})
             ->wait_for(std::chrono::seconds(10))) {
      return Status::Unavailable("cannot subscribe to the outcomes at " + uri_);
    }
  } catch (const std::exception& e) {
    return Status::Unavailable("broker " + uri_ + ": " + e.what());
  }
  return Status::Ok();
}

std::optional<Outcome> OutcomeWatcher::Find(const std::string& order_id) const {
  std::lock_guard lock(mu_);
  auto it = seen_.find(order_id);
  if (it == seen_.end()) return std::nullopt;
  return it->second;
}

size_t OutcomeWatcher::CountEnded(const std::vector<std::string>& order_ids) const {
  std::lock_guard lock(mu_);
  size_t ended = 0;
  for (const auto& id : order_ids) ended += seen_.count(id);
  return ended;
}

OutcomeMap OutcomeWatcher::Snapshot() const {
  std::lock_guard lock(mu_);
  return seen_;
}

}  // namespace sagaflow::bench
