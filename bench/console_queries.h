// The requests the console benchmark (bench/console_reads.h) times, as the web page makes them: the saga list's
// filters and keyset pages (GET /api/sagas) and one saga (GET /api/saga), built from landmarks of the history so that
// each lands where a long history is hardest (its middle, a correlation id among a million). Also reads the counts
// that a report gives per answer. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace sagaflow::bench {

// What the queries are aimed at: the span of the sagas' creation times, and one saga of the newest page.
struct HistoryLandmarks {
  TimePoint oldest{};  // created_at of the oldest saga
  TimePoint newest{};  // and of the newest
  std::string saga_id;
  std::string correlation_id;
};

enum class AnswerKind {
  kSagaPage,  // {"sagas": [...], "next": cursor}: counts its sagas
  kSaga,      // {"saga", ..., "timeline": [...]}: counts its timeline's entries
};

struct ConsoleQuery {
  std::string name;  // what the report calls it
  std::string path;  // the request's path and query, percent-encoded
  AnswerKind answer = AnswerKind::kSagaPage;
};

// The newest page of every saga, the page the cursor walk starts from.
inline constexpr std::string_view kNewestPagePath = "/api/sagas";

// Each query timed by repeating the one request, in the order they are timed: the newest page, of all sagas and of
// one definition; by state (COMPLETED, the bulk of a finished history; RUNNING, few or none) and stuck only; the
// middle tenth of the history; a correlation id; and one saga with its timeline.
std::vector<ConsoleQuery> ConsoleQueries(const HistoryLandmarks& landmarks);

// [from, to) covering the middle tenth of [oldest, newest] (at least a millisecond wide).
std::pair<TimePoint, TimePoint> MiddleTenth(TimePoint oldest, TimePoint newest);

// `path` (a saga list request) asking for the page after `cursor`; `path` itself for an empty cursor.
std::string PageAfter(std::string_view path, std::string_view cursor);

// The sagas of one list answer, and the cursor of the page after it ("" after the last).
struct SagaPageAnswer {
  struct Row {
    std::string saga_id;
    std::string correlation_id;
  };
  std::vector<Row> rows;
  std::string next;
};

// InvalidArgument naming what is missing when `body` is not a saga list answer.
Result<SagaPageAnswer> ReadSagaPage(std::string_view body);

// The rows an answer of `kind` holds (sagas of a page, timeline entries of a saga); InvalidArgument if it is not one.
Result<int64_t> CountRows(AnswerKind kind, std::string_view body);

}  // namespace sagaflow::bench
