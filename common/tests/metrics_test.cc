#include "common/metrics.h"

#include <string>

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

TEST(Metrics, AddAccumulatesAndSetReplaces) {
  Metrics metrics;
  EXPECT_EQ(metrics.Get("x_total"), 0);
  metrics.Add("x_total");
  metrics.Add("x_total", 2.5);
  EXPECT_EQ(metrics.Get("x_total"), 3.5);
  metrics.Set("g", 7);
  metrics.Set("g", 4);
  EXPECT_EQ(metrics.Get("g"), 4);
}

TEST(Metrics, RendersHelpAndTypeBeforeTheSeries) {
  Metrics metrics;
  metrics.Describe("sagaflow_orders_created_total", "counter", "Orders accepted");
  metrics.Add("sagaflow_orders_created_total", 3);
  EXPECT_EQ(metrics.Render(),
            "# HELP sagaflow_orders_created_total Orders accepted\n"
            "# TYPE sagaflow_orders_created_total counter\n"
            "sagaflow_orders_created_total 3\n");
}

TEST(Metrics, GroupsLabelledSeriesUnderOneHeader) {
  Metrics metrics;
  metrics.Describe("sagaflow_messages_handled_total", "counter", "Messages handled, by topic");
  metrics.Describe("sagaflow_outbox_backlog", "gauge", "Outbox rows not yet acknowledged");
  metrics.Add("sagaflow_messages_handled_total{topic=\"payments/processed\"}");
  metrics.Add("sagaflow_messages_handled_total{topic=\"orders/created\"}", 2);
  metrics.Set("sagaflow_outbox_backlog", 12);
  EXPECT_EQ(metrics.Render(),
            "# HELP sagaflow_messages_handled_total Messages handled, by topic\n"
            "# TYPE sagaflow_messages_handled_total counter\n"
            "sagaflow_messages_handled_total{topic=\"orders/created\"} 2\n"
            "sagaflow_messages_handled_total{topic=\"payments/processed\"} 1\n"
            "# HELP sagaflow_outbox_backlog Outbox rows not yet acknowledged\n"
            "# TYPE sagaflow_outbox_backlog gauge\n"
            "sagaflow_outbox_backlog 12\n");
}

TEST(Metrics, UndescribedSeriesAreRenderedWithoutHeader) {
  Metrics metrics;
  metrics.Add("plain_total");
  EXPECT_EQ(metrics.Render(), "plain_total 1\n");
}

// Regression: series were rendered in plain string order, so a family's bare series, a family whose name
// extends it ("a" < "a_b" < "a{...}") and its labelled series interleaved, and the first family got its
// HELP/TYPE header twice, which Prometheus rejects.
TEST(Metrics, KeepsAFamilyTogetherWhenAnotherFamilyNameExtendsIt) {
  Metrics metrics;
  metrics.Describe("jobs", "gauge", "Jobs");
  metrics.Describe("jobs_failed", "counter", "Failed jobs");
  metrics.Set("jobs", 5);
  metrics.Set("jobs{queue=\"a\"}", 2);
  metrics.Add("jobs_failed");
  EXPECT_EQ(metrics.Render(),
            "# HELP jobs Jobs\n"
            "# TYPE jobs gauge\n"
            "jobs 5\n"
            "jobs{queue=\"a\"} 2\n"
            "# HELP jobs_failed Failed jobs\n"
            "# TYPE jobs_failed counter\n"
            "jobs_failed 1\n");
}

TEST(Metrics, FormatsFractionalValues) {
  Metrics metrics;
  metrics.Set("ratio", 0.25);
  metrics.Set("negative", -3);
  EXPECT_EQ(metrics.Render(), "negative -3\nratio 0.25\n");
}

TEST(Metrics, CollectorsRefreshGaugesAtEveryRender) {
  Metrics metrics;
  int calls = 0;
  metrics.AddCollector([&calls](Metrics& m) { m.Set("backlog", ++calls * 10); });
  EXPECT_EQ(metrics.Render(), "backlog 10\n");
  EXPECT_EQ(metrics.Render(), "backlog 20\n");
  EXPECT_EQ(calls, 2);
}

TEST(PromLabel, EscapesBackslashQuoteAndNewline) {
  EXPECT_EQ(PromLabel("orders/created"), "orders/created");
  EXPECT_EQ(PromLabel("a\"b"), "a\\\"b");
  EXPECT_EQ(PromLabel("a\\b"), "a\\\\b");
  EXPECT_EQ(PromLabel("a\nb"), "a\\nb");
}

}  // namespace
}  // namespace sagaflow
