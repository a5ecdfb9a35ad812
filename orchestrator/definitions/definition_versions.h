// definition_versions: every version of every saga definition the orchestrator has run, kept in orchestrator.db
// (saga_definitions), so that a saga finishes on the version it began on after its file changed or went away.
//
// At start, each definition of the folder is recorded with its content (as canonical JSON: layout and key spacing
// do not make another version) and marked current; the same name and version with other content is refused
// (FailedPrecondition: a changed definition needs a new version). The registry then gets the folder's definitions
// as current, and every other stored version that unfinished sagas began on, parsed from its stored copy.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/logging.h"
#include "common/status.h"
#include "orchestrator/definitions/definition_file.h"
#include "orchestrator/engine/saga_registry.h"
#include "storage/database.h"

namespace sagaflow::definitions {

struct StoredDefinition {
  std::string name;
  int version = 0;
  std::string content;  // canonical JSON
  std::string file;     // where it was read from when first run
  std::string first_run_at;
  bool current = false;  // in the folder at the orchestrator's last start
};

// Records `folder` (ReadDefinitionFolder's result) in the database and adds to `registry` what the orchestrator
// runs. Storage errors as returned by the database; FailedPrecondition for a changed version, or a stored copy that
// no longer parses or conflicts with the folder while sagas still need it.
Status RecordAndRegister(storage::Database& db, const std::vector<LoadedDefinition>& folder,
                         const DefinitionSettings& settings, TimePoint now, engine::SagaRegistry& registry,
                         const Logger& logger);

// Every stored version, ordered by name then version.
std::vector<StoredDefinition> StoredDefinitions(storage::Sql& sql);

}  // namespace sagaflow::definitions
