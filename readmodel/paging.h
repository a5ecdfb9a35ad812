// What the paged listings share: the page size's bounds, and the cursor, which holds the sort key of the last row a
// page showed as one opaque string that is safe in a URL's query (lowercase hex of each part, joined by '.'). Pure
// functions. Internal to readmodel.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sagaflow::readmodel {

// InvalidArgument unless 1 <= size <= kMaxPageSize.
Status CheckPageSize(int size);

std::string EncodeCursor(const std::vector<std::string>& parts);

// The `count` parts of `cursor`; none if it is not EncodeCursor's output of that many parts.
std::optional<std::vector<std::string>> DecodeCursor(std::string_view cursor, size_t count);

}  // namespace sagaflow::readmodel
