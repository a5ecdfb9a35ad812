#include "messaging/outbox_relay.h"

namespace sagaflow::messaging {

OutboxRelay::OutboxRelay(storage::Outbox& outbox, MessageBus& bus, WakeSignal& new_rows, RandomSource& random,
                         Logger logger, Metrics& metrics, OutboxRelayOptions options)
    : outbox_(outbox),
      bus_(bus),
      logger_(logger),
      metrics_(metrics),
      options_(std::move(options)),
      task_(
          {.name = "outbox relay",
           .interval = options_.idle_recheck,
           .failure_backoff = options_.retry,
           .wake_signal = &new_rows},
          [this]() -> Result<NextPass> {
            auto published = PublishOnce();
            if (!published.ok()) return published.status();
            // A full batch: more rows are waiting.
            return *published == static_cast<size_t>(options_.batch_size) ? NextPass::Now() : NextPass::AtInterval();
          },
          std::move(logger), &metrics, &random) {
  metrics_.Describe("sagaflow_outbox_published_total", "counter", "Outbox rows published and acknowledged");
  metrics_.Describe("sagaflow_outbox_publish_failures_total", "counter", "Outbox batches not fully acknowledged");
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

}  // namespace sagaflow::messaging
