// The columns of a SagaRow as every saga listing selects them from `sagas s`, and reading them back. Internal to
// readmodel.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string_view>

#include "readmodel/saga_records.h"

namespace sagaflow::readmodel {

// SagaRow's fields in order, from columns 0..8. The next timer is MIN over the saga's steps without a
// `deadline IS NOT NULL` term (MIN skips NULLs anyway): with it, SQLite may walk the partial deadline index once per
// listed saga instead of looking the steps up by saga_id.
inline constexpr std::string_view kSagaRowColumns =
    "s.saga_id, s.order_id, s.definition, s.definition_version, s.state, s.failure_reason, s.created_at, "
    "s.updated_at, (SELECT MIN(t.deadline) FROM saga_steps t WHERE t.saga_id = s.saga_id)";

// The row at the statement's current step, selected with kSagaRowColumns first.
SagaRow ReadSagaRow(SQLite::Statement& select);

}  // namespace sagaflow::readmodel
