// list and stuck: one listing of sagas, filtered by state and age (list) or by whether anything will still move
// them (stuck), which also lists the orders that never got a saga.
#include <optional>
#include <string>

#include "common/json_writer.h"
#include "common/time_format.h"
#include "manifest/service_manifest.h"
#include "tools/sagactl/commands.h"
#include "tools/sagactl/table.h"

namespace sagaflow::sagactl {

namespace {

// An order normally has its saga within milliseconds; after the nudge has re-published it twice, it is not
// in flight but refused (see the orchestrator's dead letters).
constexpr Millis kNoSagaGrace{60'000};

// How long a saga may go without an update before stuck lists it, unless --older-than says otherwise.
constexpr Millis kStuckAfter{60'000};

// One listed row in the JSON array; an order without a saga has "" for its saga and next timer. orderId is the saga's
// correlation id, whatever its definition calls it.
void WriteListed(JsonWriter& json, const std::string& order_id, const std::string& definition,
                 const std::string& saga_id, const std::string& state, const std::string& reason,
                 const std::string& updated, const std::string& next_timer) {
  json.BeginObject()
      .Key("orderId")
      .String(order_id)
      .Key("definition")
      .String(definition)
      .Key("sagaId")
      .String(saga_id)
      .Key("state")
      .String(state)
      .Key("reason")
      .String(reason)
      .Key("updatedAt")
      .String(updated)
      .Key("nextTimer")
      .String(next_timer)
      .EndObject();
}

// Orders that are not terminal, older than `grace`, and that the orchestrator has no saga for: their
// orders/created never started one. Adds them to both outputs; returns how many.
int AddOrdersWithoutSaga(const Context& context, SQLite::Database& sagas, Millis grace, Table& table,
                         JsonWriter& json) {
  auto orders = context.Open(DatabaseOf("order-service"));
  SQLite::Statement pending(*orders,
                            "SELECT order_id, status, created_at FROM orders "
                            "WHERE status NOT IN ('COMPLETED', 'CANCELLED') ORDER BY created_at");
  SQLite::Statement saga(sagas, "SELECT 1 FROM sagas WHERE order_id = ? AND definition = ?");
  const std::string reason = "no saga: the orchestrator did not start one (sagactl dlq)";
  int count = 0;
  while (pending.executeStep()) {
    const std::string created = pending.getColumn(2).getString();
    auto created_at = ParseIso8601(created);
    if (!created_at.ok() || context.now - *created_at < grace) continue;
    const std::string order_id = pending.getColumn(0).getString();
    saga.reset();
    saga.bind(1, order_id);
    saga.bind(2, std::string(kOrderSagaName));
    if (saga.executeStep()) continue;
    ++count;
    table.Add({order_id, std::string(kOrderSagaName), "none", pending.getColumn(1).getString(), reason, created,
               Age(context, created), "none"});
    WriteListed(json, order_id, std::string(kOrderSagaName), "", pending.getColumn(1).getString(), reason, created, "");
  }
  return count;
}

int ListSagas(const Context& context, const std::string& state, std::optional<Millis> older_than, bool stuck_only) {
  auto sagas = context.Open(DatabaseOf("orchestrator"));
  std::string sql =
      "SELECT s.saga_id, s.order_id, s.state, s.failure_reason, s.updated_at, "
      "(SELECT MIN(deadline) FROM saga_steps t WHERE t.saga_id = s.saga_id AND t.deadline IS NOT NULL), "
      "s.definition FROM sagas s";
  if (stuck_only) {
    sql += " WHERE s.state IN ('RUNNING', 'COMPENSATING', 'FAILED')";
  } else if (!state.empty()) {
    sql += " WHERE s.state = ?";
  }
  sql += " ORDER BY s.updated_at";
  SQLite::Statement select(*sagas, sql);
  if (!stuck_only && !state.empty()) select.bind(1, state);
  Table table({"id", "definition", "saga", "state", "reason", "updated", "age", "next timer"});
  JsonWriter json;
  json.BeginArray();
  int count = 0;
  while (select.executeStep()) {
    const std::string updated = select.getColumn(4).getString();
    auto updated_at = ParseIso8601(updated);
    const bool old = older_than && updated_at.ok() && context.now - *updated_at >= *older_than;
    const bool no_timer = select.getColumn(5).isNull();
    if (stuck_only && !(no_timer || old)) continue;
    if (!stuck_only && older_than && !old) continue;
    ++count;
    const std::string definition = select.getColumn(6).getString();
    table.Add({select.getColumn(1).getString(), definition, select.getColumn(0).getString(),
               select.getColumn(2).getString(), Text(select, 3), updated, Age(context, updated),
               no_timer ? "none" : Deadline(select, 5)});
    WriteListed(json, select.getColumn(1).getString(), definition, select.getColumn(0).getString(),
                select.getColumn(2).getString(), Text(select, 3), updated, no_timer ? "" : Deadline(select, 5));
  }
  if (stuck_only) count += AddOrdersWithoutSaga(context, *sagas, older_than.value_or(kNoSagaGrace), table, json);
  json.EndArray();
  if (context.json) {
    *context.out << json.str() << "\n";
  } else {
    *context.out << table.Render() << count << (stuck_only ? " stuck saga(s)\n" : " saga(s)\n");
  }
  return 0;
}

}  // namespace

int ListCommand(const Context& context, const CommandLine& command_line) {
  return ListSagas(context, command_line.state, command_line.older_than, false);
}

int StuckCommand(const Context& context, const CommandLine& command_line) {
  return ListSagas(context, "", command_line.older_than ? command_line.older_than : kStuckAfter, true);
}

}  // namespace sagaflow::sagactl
