// The order load of sagaflow-bench: posts orders over keep-alive HTTP and learns each order's end from
// orders/completed and orders/cancelled on the broker (not by polling), so that it measures POST latency
// and end-to-end latency per order. Closed loop: N orders as fast as C clients can post them. Open loop:
// a fixed offered rate; latency counts from each order's scheduled time, so a slow system cannot hide
// its delay by slowing the client down (no coordinated omission).
#pragma once

#include <chrono>
#include <string>

#include "bench/stats.h"
#include "messaging/broker_login.h"

namespace sagaflow::bench {

struct LoadOptions {
  std::string mqtt_uri;
  messaging::BrokerLogin mqtt_login;  // the observer
  int http_port = 5000;
  int clients = 64;
  int orders = 20000;      // closed loop
  double rate = 0;         // open loop: orders per second (0: closed loop)
  double duration_s = 30;  // open loop
  double drain_timeout_s = 600;
  std::string product = "P001";
  bool progress = true;
};

struct LoadResult {
  int posted = 0;
  int post_errors = 0;
  int completed = 0;
  int cancelled = 0;
  double seconds = 0;  // first POST to last outcome
  double sagas_per_second = 0;
  Samples post_ms;
  Samples end_to_end_ms;
};

LoadResult RunLoad(const LoadOptions& options);

}  // namespace sagaflow::bench
