// saga_store: SagaInstance <-> orchestrator.db (sagas, saga_steps). Functions run inside the caller's
// Read or Write callback; SQLite errors propagate as exceptions to storage::Database.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "orchestrator/engine/saga_instance.h"
#include "storage/database.h"

namespace sagaflow::engine::store {

// A saga is named by its definition and its correlation id.
std::optional<SagaInstance> LoadByCorrelation(storage::Sql& sql, const std::string& definition,
                                              const std::string& correlation_id);
std::optional<SagaInstance> LoadById(storage::Sql& sql, const std::string& saga_id);
// The definitions that have a saga with this correlation id, by name.
std::vector<std::string> DefinitionsWithCorrelation(storage::Sql& sql, const std::string& correlation_id);
// Without `stored`: inserts the saga and all its steps, overwriting any rows they already have.
// Given `stored` (the saga as loaded in this transaction): writes only what differs from it. Each page a
// commit writes is a WAL frame under its fsync, so a reply that changes one step and not the saga's
// state leaves the other steps and the state index untouched.
void Save(storage::UnitOfWork& uow, const SagaInstance& saga, const SagaInstance* stored = nullptr);
// At most `limit` saga ids with a step deadline at or before `now`, earliest first; the work is that of the steps
// read to find them, whatever the number due.
std::vector<std::string> DueSagas(storage::Sql& sql, TimePoint now, int limit);
std::optional<TimePoint> EarliestDeadline(storage::Sql& sql);
// The steps ("<step>@<stage>", in stage and step order) of every saga begun on this version of `definition` that
// the engine may still act on (not finished, or awaiting something), by saga id; read through the state and
// deadline indexes.
std::map<std::string, std::vector<std::string>> ActiveSagaSteps(storage::Sql& sql, const std::string& definition,
                                                                int version);
// How many sagas the engine may still act on, by (definition, version).
std::map<std::pair<std::string, int>, int64_t> ActiveSagasByVersion(storage::Sql& sql);

}  // namespace sagaflow::engine::store
