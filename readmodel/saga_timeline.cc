// ReadModel::Timeline: a saga's timeline, read through the orchestrator's own query (engine::store::LoadEvents), so
// that the console shows exactly the rows the orchestrator wrote.
#include <memory>
#include <unordered_map>

#include "orchestrator/engine/saga_events.h"
#include "readmodel/database_access.h"
#include "readmodel/read_model.h"
#include "storage/database.h"

namespace sagaflow::readmodel {

Result<std::vector<engine::SagaEvent>> ReadModel::Timeline(const std::string& saga_id) const {
  return Guarded([&] {
    auto db = OpenReadOnly(home_, DatabaseOf("orchestrator"));
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
    storage::Sql sql(*db, statements);
    return engine::store::LoadEvents(sql, saga_id);
  });
}

}  // namespace sagaflow::readmodel
