// VerifyGuarantees: checks sagaflow's six guarantees over the SQLite files of one $SAGAFLOW_HOME,
// read-only (it never writes another service's database). Used by `sagactl verify` and by the
// integration and chaos tests. Each violation names the guarantee by its number and the order/product:
//   1. Every accepted order is terminal: COMPLETED or CANCELLED.
//   2. A COMPLETED order has one CHARGED payment of its total and one RESERVED reservation of exactly
//      its items; a CANCELLED order has neither; nothing is CHARGED or RESERVED for an unknown order.
//   3. Stock is conserved: for every product, initial stock = available + the quantities of its
//      RESERVED reservations, and available is never negative.
//   4. Every order has a saga, and the order's status and the saga's state agree (PROCESSING with
//      RUNNING counts as agreeing).
//   5. Every outbox is drained: no row is left unpublished.
//   6. At most one notification per (order, kind).
// They hold once faults stop and the orders in flight have finished. Each has its own check (guarantees.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace sagaflow::verify {

struct Violation {
  int guarantee = 0;  // 1..6, as numbered above
  std::string detail;
};

struct VerifyOptions {
  std::string data_dir;                          // $SAGAFLOW_HOME/data
  std::map<std::string, int64_t> initial_stock;  // the stock file's contents
};

// IoError if a database is missing or unreadable; otherwise the violations found (empty: all hold).
Result<std::vector<Violation>> VerifyGuarantees(const VerifyOptions& options);

std::string ToString(const Violation& violation);

}  // namespace sagaflow::verify
