// Migrator: brings a database's schema up to the version this binary was built with.
//
// A database's schema is made of components, each owning its tables and numbering its own migrations (the
// messaging tables every service has, the command processor's, the saga engine's, the service's own). They are
// the files migrations/<component>/NNN_<name>.sql, embedded into the binary at build time (so a binary works from
// any directory). Each migration is applied once, in version order, in its own transaction together with its row
// (component, version) in schema_versions; a second start is a no-op. A database that has a version or a
// component this binary does not know is refused with FailedPrecondition (one line).
//
// The release before components numbered one list of migrations per service, in schema_migrations. A database it
// left at that list's last version (LegacySchema) has exactly the tables of every component's first migration,
// and is adopted as such: those rows are recorded and nothing is run. schema_migrations stays, as history.
#pragma once

#include <optional>
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

struct SchemaComponent {
  std::string_view name;                  // "messaging"
  std::span<const Migration> migrations;  // sorted by version, without duplicates
};

// The last version of a service's list of migrations in the release before components.
struct LegacySchema {
  int final_version = 0;
};

// Applies the missing migrations of each component, in the order given.
Status Migrate(Database& db, std::span<const SchemaComponent> components, TimePoint now,
               std::optional<LegacySchema> legacy = std::nullopt);

}  // namespace sagaflow::storage
