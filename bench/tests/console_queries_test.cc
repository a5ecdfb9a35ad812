// The console measurement's pure parts: the requests it times, the pages it walks, the answers it counts and the
// summary of each query's times.
#include "bench/console_queries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bench/console_reads.h"
#include "common/time_format.h"

namespace sagaflow::bench {
namespace {

using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

TimePoint At(const char* iso) {
  return *ParseIso8601(iso);
}

HistoryLandmarks AnHour() {
  return {At("2024-01-15T10:00:00.000Z"), At("2024-01-15T11:00:00.000Z"), "saga id/1", "order&1"};
}

const ConsoleQuery& Named(const std::vector<ConsoleQuery>& queries, const std::string& name) {
  for (const auto& query : queries) {
    if (query.name == name) return query;
  }
  throw std::out_of_range(name);
}

TEST(MiddleTenth, IsTheTenthAroundTheMiddleOfTheHistory) {
  const auto [from, to] = MiddleTenth(At("2024-01-15T10:00:00.000Z"), At("2024-01-15T11:00:00.000Z"));
  EXPECT_EQ(FormatIso8601(from), "2024-01-15T10:27:00.000Z");
  EXPECT_EQ(FormatIso8601(to), "2024-01-15T10:33:00.000Z");
}

TEST(MiddleTenth, OfASingleInstantIsAMillisecondWide) {
  const TimePoint only = At("2024-01-15T10:00:00.000Z");
  const auto [from, to] = MiddleTenth(only, only);
  EXPECT_EQ(from, only);
  EXPECT_EQ(to, only + Millis(1));
}

TEST(ConsoleQueries, UseTheParametersTheConsoleReads) {
  const auto queries = ConsoleQueries(AnHour());
  EXPECT_EQ(Named(queries, "newest page").path, "/api/sagas");
  EXPECT_EQ(Named(queries, "definition order").path, "/api/sagas?definition=order");
  EXPECT_EQ(Named(queries, "state COMPLETED").path, "/api/sagas?state=COMPLETED");
  EXPECT_EQ(Named(queries, "state RUNNING").path, "/api/sagas?state=RUNNING");
  EXPECT_EQ(Named(queries, "stuck only").path, "/api/sagas?stuck=1");
  EXPECT_EQ(Named(queries, "middle tenth of time").path,
            "/api/sagas?from=2024-01-15T10%3A27%3A00.000Z&to=2024-01-15T10%3A33%3A00.000Z");
}

TEST(ConsoleQueries, EncodeTheIdsTheyAimAt) {
  const auto queries = ConsoleQueries(AnHour());
  EXPECT_EQ(Named(queries, "correlation id").path, "/api/sagas?correlation=order%261");
  const ConsoleQuery& saga = Named(queries, "one saga");
  EXPECT_EQ(saga.path, "/api/saga?id=saga%20id%2F1");
  EXPECT_EQ(saga.answer, AnswerKind::kSaga);
  EXPECT_THAT(queries, Contains(Field(&ConsoleQuery::answer, AnswerKind::kSagaPage)));
}

TEST(PageAfter, AddsTheCursorToTheQuery) {
  EXPECT_EQ(PageAfter("/api/sagas", ""), "/api/sagas");
  EXPECT_EQ(PageAfter("/api/sagas", "61.62"), "/api/sagas?cursor=61.62");
  EXPECT_EQ(PageAfter("/api/sagas?state=COMPLETED", "61.62"), "/api/sagas?state=COMPLETED&cursor=61.62");
}

TEST(ReadSagaPage, ReadsTheRowsAndTheNextCursor) {
  auto page = ReadSagaPage(
      R"({"sagas": [{"sagaId": "s1", "correlationId": "o1", "state": "COMPLETED"},
                    {"sagaId": "s2", "correlationId": "o2"}], "next": "6162"})");
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->rows.size(), 2U);
  EXPECT_EQ(page->rows[1].saga_id, "s2");
  EXPECT_EQ(page->rows[1].correlation_id, "o2");
  EXPECT_EQ(page->next, "6162");
}

TEST(ReadSagaPage, NamesWhatIsMissing) {
  EXPECT_THAT(ReadSagaPage(R"({"sagas": []})").status().message(), HasSubstr("next"));
  EXPECT_THAT(ReadSagaPage(R"({"sagas": [{"sagaId": "s1"}], "next": ""})").status().message(),
              HasSubstr("correlationId"));
  EXPECT_FALSE(ReadSagaPage("[]").ok());
  EXPECT_FALSE(ReadSagaPage("not json").ok());
}

TEST(CountRows, CountsAPagesSagasAndASagasTimeline) {
  EXPECT_EQ(*CountRows(AnswerKind::kSagaPage, R"({"sagas": [{}, {}, {}], "next": ""})"), 3);
  EXPECT_EQ(*CountRows(AnswerKind::kSaga, R"({"saga": {}, "steps": [{}], "timeline": [{}, {}]})"), 2);
  EXPECT_FALSE(CountRows(AnswerKind::kSaga, R"({"sagas": []})").ok());
}

TEST(Summarize, GivesTheMedianTheNinetyNinthPercentileAndTheMaximum) {
  Samples samples;
  for (int ms = 100; ms >= 1; --ms) samples.Add(ms);
  const QueryTiming timing = Summarize("newest page", "/api/sagas", 50, samples);
  EXPECT_EQ(timing.name, "newest page");
  EXPECT_EQ(timing.path, "/api/sagas");
  EXPECT_EQ(timing.rows, 50);
  EXPECT_EQ(timing.requests, 100);
  EXPECT_EQ(timing.pages, 0);
  EXPECT_DOUBLE_EQ(timing.p50_ms, 50);
  EXPECT_DOUBLE_EQ(timing.p99_ms, 99);
  EXPECT_DOUBLE_EQ(timing.max_ms, 100);
}

TEST(Summarize, OfNoTimesIsZero) {
  Samples none;
  const QueryTiming timing = Summarize("stuck only", "/api/sagas?stuck=1", 0, none);
  EXPECT_EQ(timing.requests, 0);
  EXPECT_DOUBLE_EQ(timing.max_ms, 0);
}

}  // namespace
}  // namespace sagaflow::bench
