// Inventory: what inventory-service does with inventory/reserve and inventory/release, as
// CommandProcessor executors over inventory.db. One reservation row per order:
//   reserve: all items of the order or none, in one transaction; `available` never goes below zero, so
//            of two orders racing for the last unit exactly one wins. Unknown product -> REJECTED
//            (unknown_product); not enough stock -> REJECTED (out_of_stock). An order already RELEASED
//            or VOIDED is never reserved again (failure, reason cancelled).
//   release: RESERVED -> RELEASED with the stock returned once; none -> VOIDED (a later reserve is
//            refused); REJECTED, RELEASED and VOIDED stay. Releases always succeed.
// SeedStock adds products from the stock file that the database does not have yet, never resetting any.
#pragma once

#include <map>
#include <string>

#include "common/clock.h"
#include "common/logging.h"
#include "common/random.h"
#include "common/stock_file.h"
#include "services/commands/command_processor.h"

namespace sagaflow::inventory {

using sagaflow::ParseStockFile;  // the file's format is shared with sagactl verify (common/stock_file.h)
// Inserts the products not yet in `stock`; returns how many were added.
Result<int> SeedStock(storage::Database& db, const std::map<std::string, int64_t>& stock);

class Inventory {
 public:
  Inventory(const Clock& clock, RandomSource& random, Logger logger)
      : clock_(clock), random_(random), logger_(std::move(logger)) {}

  Result<commands::CommandReply> Reserve(storage::UnitOfWork& uow, simdjson::dom::object command,
                                         const std::string& order_id, const std::string& key);
  Result<commands::CommandReply> Release(storage::UnitOfWork& uow, simdjson::dom::object command,
                                         const std::string& order_id, const std::string& key);

  // Routes inventory/reserve (after `reserve_delay`) and inventory/release (at once) to this object, each
  // accepted only under its own idempotency key: <orderId>:inventory and <orderId>:inventory:compensation.
  Status Register(commands::CommandProcessor& processor, messaging::Consumer& consumer, Millis reserve_delay);

 private:
  const Clock& clock_;
  RandomSource& random_;
  Logger logger_;
};

}  // namespace sagaflow::inventory
