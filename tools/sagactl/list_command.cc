// list and stuck: the read model's listings of sagas (readmodel::ReadModel::SagasByLastUpdate and Stuck) as one
// table or JSON array: by state and age (list), or what nothing will move (stuck), which also lists the orders that
// never got a saga.
#include <optional>
#include <string>

#include "common/json_writer.h"
#include "common/time_format.h"
#include "manifest/service_manifest.h"
#include "tools/sagactl/commands.h"
#include "tools/sagactl/table.h"

namespace sagaflow::sagactl {

namespace {

// How long a saga may go without an update before stuck lists it, and how long an order may go without a saga
// (after the nudge has re-published it twice, it is not in flight but refused: see the orchestrator's dead
// letters), unless --older-than says otherwise.
constexpr Millis kStuckAfter{60'000};

// The listing, as a table and as a JSON array, row by row.
struct Listing {
  Table table{{"id", "definition", "saga", "state", "reason", "updated", "age", "next timer"}};
  JsonWriter json;
  int count = 0;
};

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

void AddSaga(const Context& context, const readmodel::SagaRow& saga, Listing& listing) {
  const std::string next_timer = saga.next_timer ? FormatIso8601(*saga.next_timer) : "";
  listing.table.Add({saga.correlation_id, saga.definition, saga.saga_id, saga.state, saga.failure_reason,
                     saga.updated_at, Age(context, saga.updated_at), next_timer.empty() ? "none" : next_timer});
  WriteListed(listing.json, saga.correlation_id, saga.definition, saga.saga_id, saga.state, saga.failure_reason,
              saga.updated_at, next_timer);
  ++listing.count;
}

void AddOrderWithoutSaga(const Context& context, const readmodel::OrderWithoutSaga& order, Listing& listing) {
  const std::string reason = "no saga: the orchestrator did not start one (sagactl dlq)";
  const std::string definition(kOrderSagaName);
  listing.table.Add({order.order_id, definition, "none", order.status, reason, order.created_at,
                     Age(context, order.created_at), "none"});
  WriteListed(listing.json, order.order_id, definition, "", order.status, reason, order.created_at, "");
  ++listing.count;
}

int Print(const Context& context, Listing& listing, const std::string& what) {
  listing.json.EndArray();
  if (context.json) {
    *context.out << listing.json.str() << "\n";
  } else {
    *context.out << listing.table.Render() << listing.count << what;
  }
  return 0;
}

}  // namespace

int ListCommand(const Context& context, const CommandLine& command_line) {
  const std::optional<std::string> state =
      command_line.state.empty() ? std::nullopt : std::optional<std::string>(command_line.state);
  const auto sagas = Checked(context.read_model().SagasByLastUpdate(state, command_line.older_than, context.now));
  Listing listing;
  listing.json.BeginArray();
  for (const auto& saga : sagas) AddSaga(context, saga, listing);
  return Print(context, listing, " saga(s)\n");
}

int StuckCommand(const Context& context, const CommandLine& command_line) {
  const auto stuck = Checked(context.read_model().Stuck(command_line.older_than.value_or(kStuckAfter), context.now));
  Listing listing;
  listing.json.BeginArray();
  for (const auto& saga : stuck.sagas) AddSaga(context, saga, listing);
  for (const auto& order : stuck.orders_without_saga) AddOrderWithoutSaga(context, order, listing);
  return Print(context, listing, " stuck saga(s)\n");
}

}  // namespace sagaflow::sagactl
