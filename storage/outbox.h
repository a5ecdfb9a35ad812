// Outbox: messages to publish, stored in the same transaction as the state change that caused them.
//
// Append runs inside the caller's UnitOfWork, so the message exists if and only if the change committed;
// after the commit it wakes whoever waits for new rows (the OutboxRelay). Rows are read back in id
// order and marked published only after the broker acknowledged them. The table is
// outbox(id, topic, payload, created_at, published_at) from the service's migrations. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/wake_signal.h"
#include "storage/database.h"
#include "storage/retention.h"

namespace sagaflow::storage {

struct OutboxRow {
  int64_t id = 0;
  std::string topic;
  std::string payload;
};

// When a row was appended and, once the broker acknowledged it, published.
struct OutboxRowTimes {
  TimePoint created_at{};
  std::optional<TimePoint> published_at;
};

class Outbox {
 public:
  Outbox(Database& db, const Clock& clock, WakeSignal& new_rows) : db_(db), clock_(clock), new_rows_(new_rows) {}

  // Inside the caller's transaction. Never throws out of a UnitOfWork callback beyond SQLite's own.
  // Returns the row's id.
  int64_t Append(UnitOfWork& uow, std::string_view topic, std::string_view payload);
  // Inside the caller's transaction: the times of row `id`, or nullopt once it was pruned (published
  // longer ago than the retention).
  static std::optional<OutboxRowTimes> Times(Sql& sql, int64_t id);

  // The oldest `limit` rows not yet published, in id order.
  Result<std::vector<OutboxRow>> LoadUnpublished(int limit);
  // Returns once every row loaded so far is on disk: call it before publishing them, so that a power
  // loss never takes back a row that others may have seen (Database::AwaitDurable).
  Status AwaitDurable() { return db_.AwaitDurable(); }
  // Marks the given rows published now, in one transaction.
  Status MarkPublished(const std::vector<int64_t>& ids);
  Result<int64_t> CountUnpublished();
  // Deletes published rows older than `cutoff`, at most `limit` per call; returns how many went.
  Result<int64_t> PrunePublished(TimePoint cutoff, int limit);
  // For the clean-up task: published rows are kept a day.
  RetentionRule PublishedRetention();

 private:
  Database& db_;
  const Clock& clock_;
  WakeSignal& new_rows_;
};

}  // namespace sagaflow::storage
