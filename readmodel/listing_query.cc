#include "readmodel/listing_query.h"

#include <vector>

#include "common/time_format.h"
#include "readmodel/saga_rows.h"
#include "readmodel/stuck.h"

namespace sagaflow::readmodel {

std::string ListingSql(const SagaFilter& filter, const std::optional<std::string>& state, bool after) {
  // SQLite keeps no statistics here, so where two indexes fit it cannot know which filter is selective; a unary +
  // keeps a term from using its index. A correlation id names at most one saga per definition: its index always
  // wins over the state's, which would walk every saga of a finished state. An unfinished state holds only the
  // sagas in flight or waiting for an operator: its index wins over the definition's, which would walk every
  // finished saga of the definition.
  const bool by_correlation = filter.correlation_id.has_value();
  const bool rare_state = state && IsUnfinished(*state);
  std::vector<std::string> terms;
  if (state) terms.emplace_back(by_correlation ? "+s.state = :state" : "s.state = :state");
  if (filter.definition) {
    terms.emplace_back(rare_state && !by_correlation ? "+s.definition = :definition" : "s.definition = :definition");
  }
  if (filter.correlation_id) terms.emplace_back("s.order_id = :correlation");
  if (filter.created_from) terms.emplace_back("s.created_at >= :from");
  if (filter.created_to) terms.emplace_back("s.created_at < :to");
  if (after) terms.emplace_back("(s.created_at, s.saga_id) < (:after_created, :after_saga)");
  std::string sql = "SELECT " + std::string(kSagaRowColumns) + " FROM sagas s";
  for (size_t i = 0; i < terms.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + terms[i];
  return sql + " ORDER BY s.created_at DESC, s.saga_id DESC";
}

void BindListing(SQLite::Statement& select, const SagaFilter& filter, const std::optional<std::string>& state,
                 const std::optional<Position>& after) {
  if (state) select.bind(":state", *state);
  if (filter.definition) select.bind(":definition", *filter.definition);
  if (filter.correlation_id) select.bind(":correlation", *filter.correlation_id);
  if (filter.created_from) select.bind(":from", FormatIso8601(*filter.created_from));
  if (filter.created_to) select.bind(":to", FormatIso8601(*filter.created_to));
  if (after) {
    select.bind(":after_created", after->created_at);
    select.bind(":after_saga", after->saga_id);
  }
}

std::unique_ptr<SQLite::Statement> OpenListingQuery(SQLite::Database& db, const SagaFilter& filter,
                                                    const std::optional<std::string>& state,
                                                    const std::optional<Position>& after) {
  auto select = std::make_unique<SQLite::Statement>(db, ListingSql(filter, state, after.has_value()));
  BindListing(*select, filter, state, after);
  return select;
}

}  // namespace sagaflow::readmodel
