// The machine's own limits, measured the way sagaflow uses them, so that results can be read against
// them: SQLite commits per second (one small row per transaction, WAL, the durability in use) and
// Mosquitto QoS 1 round trips between two clients (one in flight, and many in flight).
#pragma once

#include <string>

#include "bench/stats.h"
#include "messaging/broker_login.h"

namespace sagaflow::bench {

struct SqliteLimit {
  double commits_per_second = 0;
  double rows_per_second_batched = 0;  // 100 rows per transaction
};
SqliteLimit MeasureSqlite(const std::string& directory, const std::string& durability, double seconds);

struct MqttLimit {
  double round_trips_per_second = 0;  // publish -> the other client receives it, one at a time
  Samples round_trip_ms;
  double pipelined_per_second = 0;  // 100 in flight
};
// Publishes as `publisher` (the bench account) on bench/limit and receives as `subscriber` (the observer).
MqttLimit MeasureMqtt(const std::string& uri, const messaging::BrokerLogin& publisher,
                      const messaging::BrokerLogin& subscriber, int messages);

}  // namespace sagaflow::bench
