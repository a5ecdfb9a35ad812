// Reading one service's queues from its database: the outbox backlog (unpublished rows, through the partial index
// of unpublished ids; published history is never read) and the dead letters. Internal to readmodel.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>

#include "readmodel/service_records.h"

namespace sagaflow::readmodel {

OutboxBacklog ReadOutboxBacklog(SQLite::Database& db, const std::string& service);

int64_t CountDeadLetters(SQLite::Database& db);

}  // namespace sagaflow::readmodel
