// SummarizeRss: the warm-up mark, the end, the maximum and the timeline of a process's resident memory.
#include "bench/rss_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sagaflow::bench {
namespace {

using ::testing::ElementsAre;

// One sample a second for `seconds` + 1 samples, kb = base + slope * t.
std::vector<RssSample> Linear(int seconds, int64_t base, int64_t slope) {
  std::vector<RssSample> samples;
  for (int t = 0; t <= seconds; ++t) samples.push_back({static_cast<double>(t), base + slope * t});
  return samples;
}

TEST(WarmupSeconds, IsTheFirstMinuteOrTheFirstTenthOfAShorterRun) {
  EXPECT_DOUBLE_EQ(WarmupSeconds(600), 60);
  EXPECT_DOUBLE_EQ(WarmupSeconds(3600), 60);
  EXPECT_DOUBLE_EQ(WarmupSeconds(60), 6);
  EXPECT_DOUBLE_EQ(WarmupSeconds(0), 0);
}

TEST(SummarizeRss, NoSamplesIsNotOk) {
  EXPECT_FALSE(SummarizeRss({}, 600, 10).ok);
}

TEST(SummarizeRss, ATenMinuteRunIsMeasuredFromTheEndOfItsFirstMinute) {
  const RssSummary summary = SummarizeRss(Linear(600, 1000, 2), 600, 10);
  ASSERT_TRUE(summary.ok);
  EXPECT_DOUBLE_EQ(summary.mark_seconds, 60);
  EXPECT_EQ(summary.at_mark_kb, 1120);
  EXPECT_EQ(summary.end_kb, 2200);
  EXPECT_EQ(summary.max_kb, 2200);
  EXPECT_EQ(summary.growth_kb, 1080);
}

TEST(SummarizeRss, AShortRunIsMeasuredFromTheEndOfItsFirstTenth) {
  const RssSummary summary = SummarizeRss(Linear(30, 500, 10), 30, 10);
  EXPECT_DOUBLE_EQ(summary.mark_seconds, 3);
  EXPECT_EQ(summary.at_mark_kb, 530);
  EXPECT_EQ(summary.end_kb, 800);
}

TEST(SummarizeRss, TheMarkTakesTheLastSampleAtOrBeforeIt) {
  // Samples late by a fraction of a second, as a busy machine takes them.
  const std::vector<RssSample> samples = {{0.2, 100}, {1.3, 110}, {2.9, 120}, {3.1, 130}, {40.0, 140}};
  EXPECT_EQ(SummarizeRss(samples, 30, 10).at_mark_kb, 120);  // mark at 3 s
}

TEST(SummarizeRss, AMarkBeforeTheFirstSampleTakesTheFirstSample) {
  const std::vector<RssSample> samples = {{5.0, 100}, {6.0, 200}};
  EXPECT_EQ(SummarizeRss(samples, 10, 10).at_mark_kb, 100);  // mark at 1 s
}

TEST(SummarizeRss, TheMaximumMayLieBetweenMarkAndEnd) {
  const std::vector<RssSample> samples = {{0, 100}, {1, 100}, {2, 900}, {3, 150}, {9, 120}};
  const RssSummary summary = SummarizeRss(samples, 10, 10);
  EXPECT_EQ(summary.max_kb, 900);
  EXPECT_EQ(summary.end_kb, 120);
  EXPECT_EQ(summary.growth_kb, 20);
}

TEST(SummarizeRss, ShrinkingMemoryGrowsNegatively) {
  EXPECT_EQ(SummarizeRss(Linear(100, 5000, -10), 100, 10).growth_kb, -900);
}

TEST(SummarizeRss, TheTimelineHasOneEntryPerIntervalUpToTheLastSample) {
  const RssSummary summary = SummarizeRss(Linear(35, 0, 1), 35, 10);
  EXPECT_DOUBLE_EQ(summary.timeline_interval_seconds, 10);
  EXPECT_THAT(summary.timeline_kb, ElementsAre(0, 10, 20, 30));
}

TEST(SummarizeRss, ATenMinuteRunHasSixtyOneTimelineEntries) {
  EXPECT_EQ(SummarizeRss(Linear(600, 0, 1), 600, 10).timeline_kb.size(), 61u);
}

TEST(SummarizeRss, NoIntervalNoTimeline) {
  EXPECT_TRUE(SummarizeRss(Linear(60, 0, 1), 60, 0).timeline_kb.empty());
}

}  // namespace
}  // namespace sagaflow::bench
