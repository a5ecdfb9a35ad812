// ParseStockFile: the stock file's format ({"P001": 1000, ...}: a JSON object of non-negative integer
// quantities), read the same way by the inventory service (to seed) and by sagactl verify (to check).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace sagaflow {

Result<std::map<std::string, int64_t>> ParseStockFile(const std::string& json_text);

}  // namespace sagaflow
