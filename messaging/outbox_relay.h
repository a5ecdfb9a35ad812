// OutboxRelay: publishes a service's outbox to the broker, in id order, at least once per row.
//
// A background thread sleeps until the outbox signals a new row (or the bus reconnects), then
// publishes unpublished rows in batches with many messages in flight once they are on disk (one fsync
// covers the batch and every commit before it), and marks a row published only
// after the broker acknowledged it and every row before it. On a broker outage or a failed publish it
// backs off and retries from the first unacknowledged row, so a crash at any moment leaves every row
// either published or still pending (pending rows are published again after restart: receivers dedupe).
// PublishOnce() is the loop's single step, for tests; Start/Stop run the loop, a PeriodicTask named
// "outbox relay" that sleeps on the outbox's signal. Thread-safe. Published rows are deleted by the process's
// clean-up task (storage::Outbox::PublishedRetention).
#pragma once

#include <functional>
#include <string_view>

#include "common/backoff.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/periodic_task.h"
#include "common/random.h"
#include "common/wake_signal.h"
#include "messaging/message_bus.h"
#include "storage/outbox.h"

namespace sagaflow::messaging {

struct OutboxRelayOptions {
  int batch_size = 500;
  Millis publish_timeout{10'000};
  // Even with no signal, look again this often (covers rows committed by an earlier run of the process).
  Millis idle_recheck{1'000};
  BackoffPolicy retry{Millis(50), 2.0, Millis(1'000), 0.2};
  // If set, a row on a topic it refuses is never published: the broker would acknowledge and drop it (an
  // ACL denial is silent in MQTT 3.1.1), so the relay stops before it and reports it instead, once a batch.
  std::function<bool(std::string_view topic)> may_publish{};
  // A deliberate fault, for the power-loss tests' negative control only: publish without waiting for
  // the rows to be on disk, so that a power loss can take back what others have seen.
  bool publish_before_durable = false;
};

class OutboxRelay {
 public:
  OutboxRelay(storage::Outbox& outbox, MessageBus& bus, WakeSignal& new_rows, RandomSource& random, Logger logger,
              Metrics& metrics, OutboxRelayOptions options = {});

  // Publishes at most one batch. Returns how many rows were published; Unavailable while the bus is
  // disconnected or a publish was not acknowledged.
  Result<size_t> PublishOnce();
  void Start() { task_.Start(); }
  void Stop() { task_.Stop(); }

 private:
  storage::Outbox& outbox_;
  MessageBus& bus_;
  Logger logger_;
  Metrics& metrics_;
  OutboxRelayOptions options_;
  PeriodicTask task_;
};

}  // namespace sagaflow::messaging
