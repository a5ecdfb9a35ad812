// The SQL migrations of every service, compiled into the binary from migrations/<service>/NNN_name.sql.
// ForService("order") returns them sorted by version; an unknown service gets an empty span.
#pragma once

#include <span>
#include <string_view>

#include "storage/migrator.h"

namespace sagaflow::migrations {

std::span<const storage::Migration> ForService(std::string_view service);

}  // namespace sagaflow::migrations
