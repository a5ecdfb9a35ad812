#include "readmodel/saga_rows.h"

#include "readmodel/database_access.h"

namespace sagaflow::readmodel {

SagaRow ReadSagaRow(SQLite::Statement& select) {
  SagaRow row;
  row.saga_id = select.getColumn(0).getString();
  row.correlation_id = select.getColumn(1).getString();
  row.definition = select.getColumn(2).getString();
  row.definition_version = select.getColumn(3).getInt64();
  row.state = select.getColumn(4).getString();
  row.failure_reason = TextOrEmpty(select, 5);
  row.created_at = select.getColumn(6).getString();
  row.updated_at = select.getColumn(7).getString();
  row.next_timer = TimeOrNone(select, 8);
  return row;
}

}  // namespace sagaflow::readmodel
