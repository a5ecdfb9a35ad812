// The SQL migrations of every schema component, compiled into the binary from migrations/<component>/NNN_name.sql.
// ForComponent("messaging") returns them sorted by version; an unknown component gets an empty span.
#pragma once

#include <span>
#include <string_view>

#include "storage/migrator.h"

namespace sagaflow::migrations {

std::span<const storage::Migration> ForComponent(std::string_view component);

}  // namespace sagaflow::migrations
