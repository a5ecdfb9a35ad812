#include "messaging/outbox_relay.h"

namespace sagaflow::messaging {

OutboxRelay::OutboxRelay(storage::Outbox& outbox, MessageBus& bus, WakeSignal& new_rows, const Clock& clock,
                         RandomSource& random, Logger logger, Metrics& metrics, OutboxRelayOptions options)
    : outbox_(outbox),
      bus_(bus),
      new_rows_(new_rows),
      clock_(clock),
      random_(random),
      logger_(std::move(logger)),
      metrics_(metrics),
      options_(options) {
  metrics_.Describe("sagaflow_outbox_published_total", "counter", "Outbox rows published and acknowledged");
  metrics_.Describe("sagaflow_outbox_publish_failures_total", "counter", "Outbox batches not fully acknowledged");
}

OutboxRelay::~OutboxRelay() {
  Stop();
}

Result<size_t> OutboxRelay::PublishOnce() {
  if (!bus_.IsConnected()) return Status::Unavailable("not connected to the broker");
  auto rows = outbox_.LoadUnpublished(options_.batch_size);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return size_t{0};
  std::vector<OutgoingMessage> messages;
  messages.reserve(rows->size());
  for (auto& row : *rows) {
    if (options_.may_publish && !options_.may_publish(row.topic)) {
      logger_->error(
          "outbox row {} is on {}, which this service's broker account may not publish; it stays "
          "unpublished (the broker would drop it)",
          row.id, row.topic);
      if (messages.empty()) return Status::FailedPrecondition("outbox row on forbidden topic " + row.topic);
      break;
    }
    messages.push_back({row.topic, row.payload});
  }
  rows->resize(messages.size());
  if (!options_.publish_before_durable) {
    if (Status durable = outbox_.AwaitDurable(); !durable.ok()) return durable;
  }
  const size_t acknowledged = bus_.PublishBatch(messages, options_.publish_timeout);
  // Only the acknowledged prefix: a later row must never be marked before an earlier one.
  std::vector<int64_t> ids;
  ids.reserve(acknowledged);
  for (size_t i = 0; i < acknowledged; ++i) ids.push_back((*rows)[i].id);
  Status marked = outbox_.MarkPublished(ids);
  if (!marked.ok()) return marked;
  metrics_.Add("sagaflow_outbox_published_total", static_cast<double>(acknowledged));
  if (acknowledged < rows->size()) {
    metrics_.Add("sagaflow_outbox_publish_failures_total");
    return Status::Unavailable("broker acknowledged " + std::to_string(acknowledged) + " of " +
                               std::to_string(rows->size()) + " messages");
  }
  return acknowledged;
}

void OutboxRelay::Start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRelay::Stop() {
  if (!running_.exchange(false)) return;
  new_rows_.Notify();
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Loop() {
  int failures = 0;
  while (running_) {
    auto published = PublishOnce();
    if (!published.ok()) {
      ++failures;
      if (failures == 1 || failures % 50 == 0) {
        logger_->warn("outbox relay: {} (attempt {})", published.status().message(), failures);
      }
      new_rows_.WaitFor(BackoffDelay(options_.retry, failures, random_.NextUnit()));
      continue;
    }
    if (failures > 0) logger_->info("outbox relay: publishing again after {} failed attempts", failures);
    failures = 0;
    if (*published == static_cast<size_t>(options_.batch_size)) continue;  // more rows are waiting
    const TimePoint now = clock_.Now();
    if (now - last_prune_ > Millis(60'000)) {
      last_prune_ = now;
      auto pruned = outbox_.PrunePublished(now - options_.retention, 10'000);
      if (!pruned.ok()) logger_->warn("outbox prune failed: {}", pruned.status().ToString());
    }
    new_rows_.WaitFor(options_.idle_recheck);
  }
}

}  // namespace sagaflow::messaging
