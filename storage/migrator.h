// Migrator: brings a database's schema up to the version this binary was built with.
//
// Migrations are the files migrations/<service>/NNN_<name>.sql, embedded into the binary at build time
// (so a binary works from any directory). Each is applied once, in version order, in its own
// transaction together with its row in schema_migrations; a second start is a no-op. A database that
// already has a version this binary does not know is refused with FailedPrecondition (one line).
#pragma once

#include <span>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "storage/database.h"

namespace sagaflow::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Applies the missing migrations; `migrations` must be sorted by version without duplicates.
Status Migrate(Database& db, std::span<const Migration> migrations, TimePoint now);

}  // namespace sagaflow::storage
