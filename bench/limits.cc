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
  std::mutex mu;
  std::condition_variable arrived;
  int received = 0;
  mqtt::async_client publisher(uri, publisher_login.username);
  mqtt::async_client subscriber(uri, subscriber_login.username);
  subscriber.set_message_callback([&](mqtt::const_message_ptr) {
    std::lock_guard lock(mu);
    ++received;
    arrived.notify_all();
  });
  auto options_for = [](const messaging::BrokerLogin& login) {
    return mqtt::connect_options_builder()
        .mqtt_version(MQTTVERSION_3_1_1)
        .clean_session(true)
        .user_name(login.username)
        .password(login.password)
        .finalize();
  };
  publisher.connect(options_for(publisher_login))->wait_for(std::chrono::seconds(10));
  subscriber.connect(options_for(subscriber_login))->wait_for(std::chrono::seconds(10));
  subscriber.subscribe("bench/limit", 1)->wait_for(std::chrono::seconds(10));
  // The same socket option the services set (see messaging/tcp_no_delay.h), so the limit is comparable.
  if (auto broker = messaging::ParseBrokerUri(uri); broker.ok()) {
    (void)messaging::SetNoDelayOnConnectionsTo(broker->first, broker->second);
  }
  const std::string payload(300, 'x');

  auto start = Clock::now();
  for (int i = 0; i < messages; ++i) {
    const auto sent = Clock::now();
    publisher.publish("bench/limit", payload.data(), payload.size(), 1, false);
    std::unique_lock lock(mu);
    arrived.wait_for(lock, std::chrono::seconds(5), [&] { return received > i; });
    limit.round_trip_ms.Add(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
  }
  limit.round_trips_per_second = messages / Seconds(start);

  {
    std::lock_guard lock(mu);
    received = 0;
  }
  start = Clock::now();
  std::deque<mqtt::delivery_token_ptr> in_flight;
  for (int i = 0; i < messages; ++i) {
    in_flight.push_back(publisher.publish("bench/limit", payload.data(), payload.size(), 1, false));
    if (in_flight.size() >= 100) {
      in_flight.front()->wait_for(std::chrono::seconds(5));
      in_flight.pop_front();
    }
  }
  {
    std::unique_lock lock(mu);
    arrived.wait_for(lock, std::chrono::seconds(30), [&] { return received >= messages; });
  }
  limit.pipelined_per_second = messages / Seconds(start);
  publisher.disconnect()->wait_for(std::chrono::seconds(2));
  subscriber.disconnect()->wait_for(std::chrono::seconds(2));
  return limit;
}

}  // namespace sagaflow::bench
