#include "bench/console_queries.h"

#include <simdjson.h>

#include <algorithm>

#include "common/json.h"
#include "common/percent_encoding.h"
#include "common/time_format.h"

namespace sagaflow::bench {

namespace {

std::string SagasWhere(std::string_view name, std::string_view value) {
  return std::string(kNewestPagePath) + "?" + std::string(name) + "=" + PercentEncode(value);
}

// The object at the root of `body`, or why it is none.
Result<simdjson::dom::object> RootObject(simdjson::dom::parser& parser, std::string_view body) {
  auto root = ParseJson(parser, body);
  if (!root.ok()) return root.status();
  simdjson::dom::object object;
  if (root->get_object().get(object)) return Status::InvalidArgument("the answer is not a JSON object");
  return object;
}

}  // namespace

std::pair<TimePoint, TimePoint> MiddleTenth(TimePoint oldest, TimePoint newest) {
  const Millis span = std::max(newest - oldest, Millis(0));
  const TimePoint from = oldest + span * 9 / 20;
  return {from, from + std::max(span / 10, Millis(1))};
}

std::vector<ConsoleQuery> ConsoleQueries(const HistoryLandmarks& landmarks) {
  const auto [from, to] = MiddleTenth(landmarks.oldest, landmarks.newest);
  const std::string range = SagasWhere("from", FormatIso8601(from)) + "&to=" + PercentEncode(FormatIso8601(to));
  return {
      {"newest page", std::string(kNewestPagePath), AnswerKind::kSagaPage},
      {"definition order", SagasWhere("definition", "order"), AnswerKind::kSagaPage},
      {"state COMPLETED", SagasWhere("state", "COMPLETED"), AnswerKind::kSagaPage},
      {"state RUNNING", SagasWhere("state", "RUNNING"), AnswerKind::kSagaPage},
      {"stuck only", SagasWhere("stuck", "1"), AnswerKind::kSagaPage},
      {"middle tenth of time", range, AnswerKind::kSagaPage},
      {"correlation id", SagasWhere("correlation", landmarks.correlation_id), AnswerKind::kSagaPage},
      {"one saga", "/api/saga?id=" + PercentEncode(landmarks.saga_id), AnswerKind::kSaga},
  };
}

std::string PageAfter(std::string_view path, std::string_view cursor) {
  if (cursor.empty()) return std::string(path);
  const char separator = path.find('?') == std::string_view::npos ? '?' : '&';
  return std::string(path) + separator + "cursor=" + PercentEncode(cursor);
}

Result<SagaPageAnswer> ReadSagaPage(std::string_view body) {
  simdjson::dom::parser parser;
  auto root = RootObject(parser, body);
  if (!root.ok()) return root.status();
  auto sagas = GetArray(*root, "sagas");
  if (!sagas.ok()) return sagas.status();
  auto next = GetString(*root, "next");
  if (!next.ok()) return next.status();
  SagaPageAnswer page;
  page.next = std::string(*next);
  for (simdjson::dom::element element : *sagas) {
    simdjson::dom::object saga;
    if (element.get_object().get(saga)) return Status::InvalidArgument("a saga of the page is not an object");
    auto saga_id = GetString(saga, "sagaId");
    if (!saga_id.ok()) return saga_id.status();
    auto correlation_id = GetString(saga, "correlationId");
    if (!correlation_id.ok()) return correlation_id.status();
    page.rows.push_back({std::string(*saga_id), std::string(*correlation_id)});
  }
  return page;
}

Result<int64_t> CountRows(AnswerKind kind, std::string_view body) {
  simdjson::dom::parser parser;
  auto root = RootObject(parser, body);
  if (!root.ok()) return root.status();
  auto rows = GetArray(*root, kind == AnswerKind::kSagaPage ? "sagas" : "timeline");
  if (!rows.ok()) return rows.status();
  return static_cast<int64_t>(rows->size());
}

}  // namespace sagaflow::bench
