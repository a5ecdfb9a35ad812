#include "bench/console_reads.h"

#include <chrono>
#include <memory>
#include <utility>

#include "bench/console_queries.h"
#include "common/time_format.h"
#include "http/client/http_client.h"
#include "manifest/service_manifest.h"
#include "storage/database.h"

namespace sagaflow::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;

double MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// What orchestrator.db holds: how many sagas, and the creation times of the oldest and the newest.
struct SagaCensus {
  int64_t sagas = 0;
  TimePoint oldest{};
  TimePoint newest{};
};

Result<SagaCensus> ReadCensus(const std::string& home) {
  auto db = storage::Database::Open({home + "/data/" + ServiceNamed("orchestrator").db_file, storage::Durability::kFull,
                                     Millis(5000), /*read_only=*/true});
  if (!db.ok()) return db.status();
  SagaCensus census;
  std::string oldest;
  std::string newest;
  Status read = (*db)->Read([&](storage::Sql& sql) {
    // One pass over the (created_at, saga_id) index, the smallest that holds every saga.
    auto& select = sql.Prepare("SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM sagas");
    if (!select.executeStep()) return Status::IoError("counting the sagas returned no row");
    census.sagas = select.getColumn(0).getInt64();
    oldest = select.getColumn(1).getString();
    newest = select.getColumn(2).getString();
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (census.sagas == 0) return Status::FailedPrecondition("orchestrator.db holds no saga: there is nothing to list");
  auto first = ParseIso8601(oldest);
  auto last = ParseIso8601(newest);
  if (!first.ok() || !last.ok()) return Status::Corruption("a saga's created_at is not an ISO 8601 time");
  census.oldest = *first;
  census.newest = *last;
  return census;
}

// GETs `path`, adding its time to `samples_ms`; the body of a 2xx answer, else an error naming `query`.
Result<std::string> TimedGet(http::HttpClient& client, const std::string& query, const std::string& path,
                             Samples& samples_ms) {
  const auto start = SteadyClock::now();
  http::HttpResult answer = client.Get(path);
  samples_ms.Add(MillisSince(start));
  if (answer.status == 0) return Status::Unavailable(query + ": GET " + path + " got no answer from the console");
  if (answer.status < 200 || answer.status > 299) {
    return Status::FailedPrecondition(query + ": GET " + path + " answered " + std::to_string(answer.status) + " " +
                                      answer.body.substr(0, 200));
  }
  return std::move(answer.body);
}

Status Naming(const std::string& query, const Status& status) {
  return Status::InvalidArgument(query + ": " + status.message());
}

Result<QueryTiming> TimeQuery(http::HttpClient& client, const ConsoleQuery& query, int repeats) {
  Samples samples_ms;
  int64_t rows = 0;
  for (int i = 0; i < repeats; ++i) {
    auto body = TimedGet(client, query.name, query.path, samples_ms);
    if (!body.ok()) return body.status();
    auto counted = CountRows(query.answer, *body);
    if (!counted.ok()) return Naming(query.name, counted.status());
    rows = *counted;
  }
  return Summarize(query.name, query.path, rows, samples_ms);
}

// Walks from the newest page `depth` pages deep by cursor, `repeats` times: each page's time, and each walk's.
Result<std::pair<QueryTiming, QueryTiming>> TimeWalk(http::HttpClient& client, int depth, int repeats) {
  const std::string name = "walk to page " + std::to_string(depth);
  Samples page_ms;
  Samples walk_ms;
  int64_t rows = 0;
  int64_t pages = 0;
  for (int i = 0; i < repeats; ++i) {
    const auto start = SteadyClock::now();
    std::string cursor;
    rows = 0;
    pages = 0;
    while (pages < depth) {
      auto body = TimedGet(client, name, PageAfter(kNewestPagePath, cursor), page_ms);
      if (!body.ok()) return body.status();
      auto page = ReadSagaPage(*body);
      if (!page.ok()) return Naming(name, page.status());
      ++pages;
      rows += static_cast<int64_t>(page->rows.size());
      cursor = std::move(page->next);
      if (cursor.empty()) break;  // the history ended before `depth` pages
    }
    walk_ms.Add(MillisSince(start));
  }
  QueryTiming each = Summarize(name + ", each page", std::string(kNewestPagePath), rows, page_ms);
  QueryTiming whole = Summarize(name + ", whole walk", std::string(kNewestPagePath), rows, walk_ms);
  each.pages = whole.pages = pages;
  return std::make_pair(std::move(each), std::move(whole));
}

// The newest page's first saga, at which the correlation id and detail queries aim.
Result<HistoryLandmarks> FindLandmarks(http::HttpClient& client, const SagaCensus& census) {
  Samples unused_ms;
  auto body = TimedGet(client, "newest page", std::string(kNewestPagePath), unused_ms);
  if (!body.ok()) return body.status();
  auto page = ReadSagaPage(*body);
  if (!page.ok()) return Naming("newest page", page.status());
  if (page->rows.empty()) return Status::FailedPrecondition("newest page: the console lists no saga");
  return HistoryLandmarks{census.oldest, census.newest, page->rows.front().saga_id, page->rows.front().correlation_id};
}

}  // namespace

QueryTiming Summarize(std::string name, std::string path, int64_t rows, Samples& samples_ms) {
  QueryTiming timing;
  timing.name = std::move(name);
  timing.path = std::move(path);
  timing.rows = rows;
  timing.requests = static_cast<int64_t>(samples_ms.count());
  timing.p50_ms = samples_ms.Quantile(0.5);
  timing.p99_ms = samples_ms.Quantile(0.99);
  timing.max_ms = samples_ms.Max();
  return timing;
}

ConsoleReadsResult MeasureConsoleReads(const ConsoleReadsOptions& options) {
  ConsoleReadsResult result;
  auto census = ReadCensus(options.home);
  if (!census.ok()) {
    result.status = census.status();
    return result;
  }
  result.sagas = census->sagas;
  http::HttpClient client(options.console_port, std::chrono::seconds(60));
  auto landmarks = FindLandmarks(client, *census);
  if (!landmarks.ok()) {
    result.status = landmarks.status();
    return result;
  }
  for (const ConsoleQuery& query : ConsoleQueries(*landmarks)) {
    auto timing = TimeQuery(client, query, options.repeats);
    if (!timing.ok()) {
      result.status = timing.status();
      return result;
    }
    result.queries.push_back(std::move(*timing));
  }
  auto walk = TimeWalk(client, options.depth, options.repeats);
  if (!walk.ok()) {
    result.status = walk.status();
    return result;
  }
  result.queries.push_back(std::move(walk->first));
  result.queries.push_back(std::move(walk->second));
  return result;
}

}  // namespace sagaflow::bench
