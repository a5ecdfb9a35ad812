// The overview's figures from /metrics: parsing the exposition, rates between samples, and each service's state.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/clock.h"
#include "console/prometheus_text.h"
#include "console/saga_rates.h"
#include "console/service_scraper.h"

namespace sagaflow::console {
namespace {

TEST(PrometheusTextTest, ReadsSeriesWithLabelsAndSkipsCommentsAndNonNumbers) {
  const MetricSamples samples = ParsePrometheusText(
      "# HELP sagaflow_sagas_started_total Sagas started\n"
      "# TYPE sagaflow_sagas_started_total counter\n"
      "sagaflow_sagas_started_total 42\n"
      "sagaflow_sagas_finished_total{state=\"COMPLETED\"} 40 1700000000000\r\n"
      "sagaflow_weird{label=\"a b\"} 1.5\n"
      "broken_line_without_value\n"
      "not_a_number NaNx\n");
  EXPECT_EQ(SampleOr0(samples, "sagaflow_sagas_started_total"), 42);
  EXPECT_EQ(SampleOr0(samples, R"(sagaflow_sagas_finished_total{state="COMPLETED"})"), 40);
  EXPECT_EQ(SampleOr0(samples, R"(sagaflow_weird{label="a b"})"), 1.5);
  EXPECT_EQ(SampleOr0(samples, "absent"), 0);
  EXPECT_EQ(samples.size(), 3U);
}

MetricSamples Counters(double started, double completed, double cancelled, double failed) {
  return {{"sagaflow_sagas_started_total", started},
          {R"(sagaflow_sagas_finished_total{state="COMPLETED"})", completed},
          {R"(sagaflow_sagas_finished_total{state="CANCELLED"})", cancelled},
          {R"(sagaflow_sagas_finished_total{state="FAILED"})", failed}};
}

TEST(SagaRatesTest, RatesArePerSecondBetweenSamplesAndARestartIsNeitherNegativeNorASpike) {
  const TimePoint t0{Millis(1'000'000)};
  SagaRates rates(std::chrono::minutes(10));
  rates.Add(t0, Counters(100, 90, 5, 0));
  rates.Add(t0 + Millis(2000), Counters(120, 106, 7, 1));
  rates.Add(t0 + Millis(3000), Counters(3, 2, 0, 0));  // the orchestrator restarted
  const auto points = rates.Points();
  ASSERT_EQ(points.size(), 2U);
  EXPECT_EQ(points[0].at, t0 + Millis(2000));
  EXPECT_DOUBLE_EQ(points[0].started, 10);
  EXPECT_DOUBLE_EQ(points[0].completed, 8);
  EXPECT_DOUBLE_EQ(points[0].cancelled, 1);
  EXPECT_DOUBLE_EQ(points[0].failed, 0.5);
  EXPECT_DOUBLE_EQ(points[1].started, 3);
  EXPECT_DOUBLE_EQ(points[1].completed, 2);
}

TEST(SagaRatesTest, KeepsOnlyTheWindowAndIgnoresASampleThatDoesNotMoveTheClock) {
  const TimePoint t0{Millis(1'000'000)};
  SagaRates rates(Millis(10'000));
  for (int i = 0; i <= 30; ++i) rates.Add(t0 + Millis(1000 * i), Counters(i, i, 0, 0));
  rates.Add(t0 + Millis(30'000), Counters(99, 99, 0, 0));
  const auto points = rates.Points();
  ASSERT_EQ(points.size(), 10U) << "ten one-second intervals in a ten-second window";
  EXPECT_EQ(points.back().at, t0 + Millis(30'000));
  EXPECT_DOUBLE_EQ(points.back().started, 1) << "the repeated time was ignored";
}

TEST(ServiceScraperTest, EachServiceIsReadAndOneThatDoesNotAnswerIsShownAsSuch) {
  ManualClock clock;
  SagaRates rates(std::chrono::minutes(1));
  bool payment_answers = true;
  std::vector<int> asked;
  ServiceScraper scraper(
      7000, clock,
      [&](int port) -> std::optional<std::string> {
        asked.push_back(port);
        if (port == 7002 && !payment_answers) return std::nullopt;
        return "sagaflow_broker_connected 1\nsagaflow_outbox_backlog " + std::to_string(port - 7000) +
               "\nsagaflow_sagas_started_total " + std::to_string(clock.Now().time_since_epoch().count() / 1000) + "\n";
      },
      rates);
  ASSERT_TRUE(scraper.ScrapeAll().ok());
  EXPECT_THAT(asked, ::testing::ElementsAre(7000, 7001, 7002, 7003, 7004));
  auto statuses = scraper.Statuses();
  ASSERT_EQ(statuses.size(), 5U);
  EXPECT_EQ(statuses[2].name, "payment-service");
  EXPECT_TRUE(statuses[2].answering);
  EXPECT_TRUE(statuses[2].broker_connected);
  EXPECT_EQ(statuses[2].outbox_backlog, 2);

  payment_answers = false;
  const TimePoint first_answer = clock.Now();
  clock.Advance(Millis(1000));
  ASSERT_TRUE(scraper.ScrapeAll().ok());
  statuses = scraper.Statuses();
  EXPECT_FALSE(statuses[2].answering);
  EXPECT_FALSE(statuses[2].broker_connected);
  EXPECT_EQ(statuses[2].last_answer, first_answer);
  EXPECT_TRUE(statuses[3].answering) << "the others are still read";
  const auto points = rates.Points();
  ASSERT_EQ(points.size(), 1U) << "only the orchestrator's counters make rates";
  EXPECT_DOUBLE_EQ(points[0].started, 1);
}

}  // namespace
}  // namespace sagaflow::console
