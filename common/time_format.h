// ISO-8601 UTC timestamps with millisecond precision ("2024-01-15T10:30:00.000Z"), the format of every
// `...At` field in messages and every *_at TEXT column. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace sagaflow {

std::string FormatIso8601(TimePoint t);
// Accepts exactly the format FormatIso8601 writes.
Result<TimePoint> ParseIso8601(std::string_view text);

}  // namespace sagaflow
