// A service's schema: the components its database holds, as the manifest lists them (the messaging tables every
// service has, the command processor's, the saga engine's, its own), migrated together. MigrateService also adopts
// a database of the release before components (storage/migrator.h), which numbered one list per service.
#pragma once

#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "storage/database.h"
#include "storage/migrator.h"

namespace sagaflow::migrations {

// `service` is the manifest's schema name of a service ("order", "orchestrator", "payment", ...).
std::vector<storage::SchemaComponent> SchemaOf(std::string_view service);
Status MigrateService(storage::Database& db, std::string_view service, TimePoint now);

}  // namespace sagaflow::migrations
