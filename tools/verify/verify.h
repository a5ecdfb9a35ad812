// VerifyGuarantees: checks the contract's section-5 guarantees over the SQLite files of one
// $SAGAFLOW_HOME, read-only (it never writes another service's database). Used by `sagactl verify`
// and by the integration and chaos tests. Each violation names the guarantee and the order/product.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace sagaflow::verify {

struct Violation {
  int guarantee = 0;  // 1..6, as numbered in the contract's section 5
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
