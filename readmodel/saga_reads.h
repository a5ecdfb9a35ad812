// Reading whole sagas (SagaView: row, stage, data, every column of every step, why it waits) from orchestrator.db.
// The orchestrator's own store::LoadById parses the state into its enum and leaves out columns an operator wants to
// see (a step's updated_at), so the read model reads the rows as stored. Internal to readmodel.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "readmodel/saga_records.h"

namespace sagaflow::readmodel {

std::optional<SagaView> SagaById(SQLite::Database& sagas, const std::string& saga_id);
std::optional<SagaView> SagaByCorrelation(SQLite::Database& sagas, const std::string& definition,
                                          const std::string& correlation_id);
// One per definition with a saga of that correlation id, by definition name (the orchestrator's query).
std::vector<SagaView> SagasWithCorrelation(SQLite::Database& sagas, const std::string& correlation_id);

}  // namespace sagaflow::readmodel
