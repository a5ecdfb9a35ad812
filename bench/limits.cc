#include "bench/limits.h"

#include <mqtt/async_client.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>

#include "messaging/tcp_no_delay.h"
#include "storage/database.h"

namespace sagaflow::bench {

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from) {
  return std::chrono::duration<double>(Clock::now() - from).count();
}

// Counts what the subscriber receives (on Paho's thread), for the publisher to wait on.
class ArrivalCounter {
 public:
  void Add() {
    std::lock_guard lock(mu_);
    ++received_;
    arrived_.notify_all();
  }
  // Waits until `count` have arrived since the last Reset, or `timeout` passed.
  void WaitFor(int count, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    arrived_.wait_for(lock, timeout, [&] { return received_ >= count; });
  }
  void Reset() {
    std::lock_guard lock(mu_);
    received_ = 0;
  }

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  int received_ = 0;  // under mu_
};

mqtt::connect_options ConnectOptions(const messaging::BrokerLogin& login) {
  return mqtt::connect_options_builder()
      .mqtt_version(MQTTVERSION_3_1_1)
      .clean_session(true)
      .user_name(login.username)
      .password(login.password)
      .finalize();
}

// One message at a time: each published only once the one before arrived.
void MeasureRoundTrips(mqtt::async_client& publisher, ArrivalCounter& arrivals, const std::string& payload,
                       int messages, MqttLimit& limit) {
  const auto start = Clock::now();
  for (int i = 0; i < messages; ++i) {
    const auto sent = Clock::now();
    publisher.publish("bench/limit", payload.data(), payload.size(), 1, false);
    arrivals.WaitFor(i + 1, std::chrono::seconds(5));
    limit.round_trip_ms.Add(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
  }
  limit.round_trips_per_second = messages / Seconds(start);
}

// 100 messages in flight: each published once the broker acknowledged the one 100 before it.
void MeasurePipelined(mqtt::async_client& publisher, ArrivalCounter& arrivals, const std::string& payload, int messages,
                      MqttLimit& limit) {
  arrivals.Reset();
  const auto start = Clock::now();
  std::deque<mqtt::delivery_token_ptr> in_flight;
  for (int i = 0; i < messages; ++i) {
    in_flight.push_back(publisher.publish("bench/limit", payload.data(), payload.size(), 1, false));
    if (in_flight.size() >= 100) {
      in_flight.front()->wait_for(std::chrono::seconds(5));
      in_flight.pop_front();
    }
  }
  arrivals.WaitFor(messages, std::chrono::seconds(30));
  limit.pipelined_per_second = messages / Seconds(start);
}

}  // namespace

SqliteLimit MeasureSqlite(const std::string& directory, const std::string& durability, double seconds) {
  SqliteLimit limit;
  const std::string path = directory + "/bench-limit.db";
  std::filesystem::remove(path);
  auto parsed = storage::ParseDurability(durability);
  auto db = storage::Database::Open({path, parsed.ok() ? *parsed : storage::Durability::kFull});
  if (!db.ok()) return limit;
  (void)(*db)->Write([](storage::UnitOfWork& uow) {
    uow.Exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
    return Status::Ok();
  });
  const std::string payload(300, 'x');  // about the size of an outbox row
  auto start = Clock::now();
  int commits = 0;
  while (Seconds(start) < seconds) {
    (void)(*db)->Write([&](storage::UnitOfWork& uow) {
      auto& insert = uow.Prepare("INSERT INTO rows(payload) VALUES (?)");
      insert.bind(1, payload);
      insert.exec();
      return Status::Ok();
    });
    // Each commit made durable before the next, as a commit whose effect leaves at once is: one fsync each
    // (none with durability normal).
    (void)(*db)->AwaitDurable();
    ++commits;
  }
  limit.commits_per_second = commits / Seconds(start);
  start = Clock::now();
  int rows = 0;
  while (Seconds(start) < seconds) {
    (void)(*db)->Write([&](storage::UnitOfWork& uow) {
      auto& insert = uow.Prepare("INSERT INTO rows(payload) VALUES (?)");
      for (int i = 0; i < 100; ++i) {
        insert.reset();
        insert.bind(1, payload);
        insert.exec();
      }
      return Status::Ok();
    });
    rows += 100;
  }
  limit.rows_per_second_batched = rows / Seconds(start);
  db->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return limit;
}

MqttLimit MeasureMqtt(const std::string& uri, const messaging::BrokerLogin& publisher_login,
                      const messaging::BrokerLogin& subscriber_login, int messages) {
  MqttLimit limit;
  ArrivalCounter arrivals;  // before the clients, so that it outlives the subscriber's callback
  mqtt::async_client publisher(uri, publisher_login.username);
  mqtt::async_client subscriber(uri, subscriber_login.username);
  subscriber.set_message_callback([&](mqtt::const_message_ptr) { arrivals.Add(); });
  publisher.connect(ConnectOptions(publisher_login))->wait_for(std::chrono::seconds(10));
  subscriber.connect(ConnectOptions(subscriber_login))->wait_for(std::chrono::seconds(10));
  subscriber.subscribe("bench/limit", 1)->wait_for(std::chrono::seconds(10));
  // The same socket option the services set (see messaging/tcp_no_delay.h), so the limit is comparable.
  if (auto broker = messaging::ParseBrokerUri(uri); broker.ok()) {
    (void)messaging::SetNoDelayOnConnectionsTo(broker->first, broker->second);
  }
  const std::string payload(300, 'x');
  MeasureRoundTrips(publisher, arrivals, payload, messages, limit);
  MeasurePipelined(publisher, arrivals, payload, messages, limit);
  publisher.disconnect()->wait_for(std::chrono::seconds(2));
  subscriber.disconnect()->wait_for(std::chrono::seconds(2));
  return limit;
}

}  // namespace sagaflow::bench
