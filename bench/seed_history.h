// SeedHistory: writes N finished orders straight into the five SQLite files of a stopped system, as a
// real run leaves them (bench/finished_order.h), so that throughput can be measured over a long history.
// Every guarantee of tools/verify holds afterwards (`sagactl verify` passes): every order COMPLETED
// with its item, its saga COMPLETED with its three steps, its payment CHARGED, its reservation RESERVED
// with its item and the product's stock reduced by it, one notification per kind, every outbox row
// published and every inbox claim and stored command reply present. All of it lies within the last hour,
// inside every retention window, so no pruning removes it while the system is measured.
// The databases must exist and be migrated (start the system once), and the system must be stopped.
// Each database is written by its own thread in transactions of many orders; a failure returns the
// first error and leaves what was committed (seed a fresh home then).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "bench/finished_order.h"
#include "common/status.h"

namespace sagaflow::bench {

struct SeedOptions {
  std::string data_dir;  // $SAGAFLOW_HOME/data
  HistoryPlan plan;
  std::map<std::string, int64_t> initial_stock;  // the stock file, for a product inventory.db lacks
  int64_t orders_per_transaction = 20'000;
  std::function<void(const std::string& database, int64_t done)> progress;  // may be empty; any thread
};

Status SeedHistory(const SeedOptions& options);

// A product's stock after `reserving` more units are taken: from what inventory.db holds, or, for a
// product it does not hold yet, from the stock file. FailedPrecondition when neither knows the product
// or too little is left.
Result<int64_t> StockAfterSeeding(const std::string& product, std::optional<int64_t> available,
                                  std::optional<int64_t> initial, int64_t reserving);

// The plan for `orders` orders created evenly over the hour before `now`, the last a minute before it.
HistoryPlan RecentHistory(int64_t orders, TimePoint now, uint64_t seed);

}  // namespace sagaflow::bench
