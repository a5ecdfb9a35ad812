#include "messaging/mqtt_bus.h"

#include <mqtt/async_client.h>

#include "messaging/tcp_no_delay.h"

namespace sagaflow::messaging {

namespace {

// Larger than any relay batch; publishing while disconnected stays refused (sendWhileDisconnected is off).
constexpr int kMaxQueuedPublishes = 100'000;

bool IsTlsUri(const std::string& uri) {
  return uri.rfind("ssl://", 0) == 0;
}

}  // namespace

MqttBus::MqttBus(MqttBusOptions options, Logger logger, RandomSource& random)
    : options_(std::move(options)),
      logger_(logger),
      // Connected: look again every second (a lost connection wakes the task at once).
      connector_(
          {.name = "broker connection", .interval = Millis(1000), .failure_backoff = options_.reconnect},
          [this] { return KeepConnected(); }, std::move(logger), nullptr, &random) {}

MqttBus::~MqttBus() {
  Stop();
}

void MqttBus::SetHandler(std::vector<std::string> topics, Handler handler) {
  topics_ = std::move(topics);
  handler_ = std::move(handler);
}

void MqttBus::SetConnectedCallback(std::function<void()> callback) {
  on_connected_ = std::move(callback);
}

Status MqttBus::Start() {
  try {
    // No persistence argument: Paho keeps in-flight messages in memory only. Our outbox is the
    // durable copy, and Paho's file persistence costs 10x in publish throughput.
    // Paho C queues at most maxBufferedMessages (default 100) publish commands, *also while connected*:
    // beyond that publish() fails with -12, which cut every relay batch to ~100 and made the relay back off.
    const mqtt::create_options create(MQTTVERSION_3_1_1, kMaxQueuedPublishes);
    client_ = std::make_unique<mqtt::async_client>(options_.server_uri, options_.client_id, create,
                                                   static_cast<mqtt::iclient_persistence*>(nullptr));
  } catch (const std::exception& e) {
    return Status::InvalidArgument("bad MQTT server URI '" + options_.server_uri + "': " + e.what());
  }
  // Installed before connect(): a message that arrived before the callback existed would be
  // acknowledged from Paho's queue without ever reaching us.
  client_->set_message_callback([this](mqtt::const_message_ptr message) {
    if (!handler_) return;
    try {
      handler_(IncomingMessage{message->get_topic(), message->get_payload_str(), message->is_duplicate()});
    } catch (const std::exception& e) {
      // Never let an exception unwind into Paho's C thread.
      logger_->critical("message handler threw on topic {}: {}", message->get_topic(), e.what());
    }
  });
  client_->set_connection_lost_handler([this](const std::string& cause) {
    connected_ = false;
    logger_->warn("lost connection to broker {}: {}", options_.server_uri, cause.empty() ? "unknown" : cause);
    connector_.Wake();
  });
  running_ = true;
  connector_.Start();
  return Status::Ok();
}

void MqttBus::Stop() {
  if (!running_.exchange(false)) return;
  connector_.Stop();
  if (client_ && client_->is_connected()) {
    try {
      client_->disconnect(std::chrono::milliseconds(1000).count())->wait_for(std::chrono::milliseconds(2000));
    } catch (const std::exception& e) {
      logger_->warn("disconnect from broker failed: {}", e.what());
    }
  }
  connected_ = false;
}

Status MqttBus::ConnectAndSubscribe() {
  auto builder = mqtt::connect_options_builder()
                     .mqtt_version(MQTTVERSION_3_1_1)
                     .clean_session(false)
                     .keep_alive_interval(std::chrono::duration_cast<std::chrono::seconds>(options_.keep_alive))
                     .connect_timeout(std::chrono::duration_cast<std::chrono::seconds>(options_.connect_timeout))
                     .automatic_reconnect(false);
  if (!options_.username.empty()) builder.user_name(options_.username).password(options_.password);
  if (IsTlsUri(options_.server_uri)) {
    auto tls = mqtt::ssl_options_builder().enable_server_cert_auth(true).verify(true);
    if (!options_.ca_file.empty()) tls.trust_store(options_.ca_file);
    builder.ssl(tls.finalize());
  }
  auto options = builder.finalize();
  try {
    auto token = client_->connect(options);
    if (!token->wait_for(options_.connect_timeout + Millis(1000))) {
      return Status::Unavailable("connect to broker " + options_.server_uri + " timed out");
    }
    if (!topics_.empty()) {
      auto filters = mqtt::string_collection::create(topics_);
      mqtt::iasync_client::qos_collection qos(topics_.size(), 1);
      auto subscribed = client_->subscribe(filters, qos);
      if (!subscribed->wait_for(options_.connect_timeout)) {
        client_->disconnect()->wait_for(std::chrono::milliseconds(1000));
        return Status::Unavailable("subscribe on broker " + options_.server_uri + " timed out; reconnecting");
      }
    }
  } catch (const std::exception& e) {
    return Status::Unavailable("cannot connect to broker " + options_.server_uri + ": " + e.what());
  }
  return Status::Ok();
}

Result<NextPass> MqttBus::KeepConnected() {
  if (client_->is_connected()) return NextPass::AtInterval();
  connected_ = false;
  if (Status connected = ConnectAndSubscribe(); !connected.ok()) return connected;
  DisableNagle();
  connected_ = true;
  logger_->info("connected to broker {} as {} ({} subscriptions)", options_.server_uri,
                options_.username.empty() ? options_.client_id : options_.username, topics_.size());
  if (on_connected_) on_connected_();
  return NextPass::AtInterval();
}

void MqttBus::DisableNagle() {
  auto broker = ParseBrokerUri(options_.server_uri);
  if (!broker.ok()) return;  // Paho connected, so the URI is fine; a form we do not parse keeps Nagle
  auto set = SetNoDelayOnConnectionsTo(broker->first, broker->second);
  if (!set.ok() || *set == 0) {
    logger_->warn("could not set TCP_NODELAY on the broker connection ({}); each hop may wait 40 ms",
                  set.ok() ? "socket not found" : set.status().message());
  }
}

size_t MqttBus::PublishBatch(std::span<const OutgoingMessage> messages, Millis timeout) {
  if (!connected_ || !client_) return 0;
  std::vector<mqtt::delivery_token_ptr> tokens;
  tokens.reserve(messages.size());
  try {
    for (const auto& message : messages) {
      tokens.push_back(client_->publish(message.topic, message.payload.data(), message.payload.size(), 1, false));
    }
  } catch (const std::exception& e) {
    logger_->warn("publish failed after {} of {} messages: {}", tokens.size(), messages.size(), e.what());
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t acknowledged = 0;
  for (auto& token : tokens) {
    try {
      const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
      if (!token->wait_for(std::max(left, Millis(0)))) break;
    } catch (const std::exception& e) {
      logger_->warn("publish to {} not acknowledged: {}", messages[acknowledged].topic, e.what());
      break;
    }
    ++acknowledged;
  }
  return acknowledged;
}

}  // namespace sagaflow::messaging
