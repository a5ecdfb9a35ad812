// Retention: deletes the rows of tables that grow with traffic (inbox claims, published outbox rows, dead
// letters, stored command replies) once they are older than their table's window, so every table stays
// bounded. One Retention per process, run by its clean-up task; each component that owns such a table adds
// its rule before the task starts. A pass deletes at most one batch per table, so no write transaction
// holds the database for long.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/periodic_task.h"
#include "common/status.h"

namespace sagaflow::storage {

struct RetentionRule {
  std::string table;  // for the log of a failure
  Millis keep_for;
  // Deletes at most `limit` rows older than `cutoff`; returns how many went.
  std::function<Result<int64_t>(TimePoint cutoff, int limit)> prune;
};

class Retention {
 public:
  explicit Retention(const Clock& clock, int batch = 10'000) : clock_(clock), batch_(batch) {}

  void Add(RetentionRule rule);
  // One batch per table. Now() when a table filled its batch (more is waiting), else AtInterval(); the first
  // failure (after every table had its turn) if any failed.
  Result<NextPass> RunOnce();

 private:
  const Clock& clock_;
  const int batch_;
  std::mutex mu_;
  std::vector<RetentionRule> rules_;
};

}  // namespace sagaflow::storage
