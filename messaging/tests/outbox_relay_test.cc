#include "messaging/outbox_relay.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "messaging/testing/fake_bus.h"
#include "storage/migrator.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::messaging {
namespace {

using storage::UnitOfWork;

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto db = storage::scratch::OpenMigrated(dir_ / "order.db", "order", clock_.Now(), storage::Durability::kFull);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    outbox_ = std::make_unique<storage::Outbox>(*db_, clock_, new_rows_);
    ASSERT_TRUE(bus_.Start().ok());
  }
  void TearDown() override {
    relay_.reset();
    outbox_.reset();
    db_.reset();
  }

  OutboxRelay& MakeRelay(OutboxRelayOptions options = {}) {
    relay_ = std::make_unique<OutboxRelay>(*outbox_, bus_, new_rows_, random_, MakeNullLogger(), metrics_, options);
    return *relay_;
  }

  // Appends payloads "0".."n-1" (offset by `first`) on topic t/<i>, one transaction per `per_tx` rows.
  void Append(int first, int n, int per_tx = 1) {
    for (int i = first; i < first + n; i += per_tx) {
      ASSERT_TRUE(db_->Write([&](UnitOfWork& uow) {
                       for (int k = i; k < std::min(first + n, i + per_tx); ++k) {
                         outbox_->Append(uow, "t/" + std::to_string(k), std::to_string(k));
                       }
                       return Status::Ok();
                     })
                      .ok());
    }
  }

  std::vector<int> PublishedNumbers() const {
    std::vector<int> out;
    for (const auto& message : bus_.published()) {
      EXPECT_EQ(message.topic, "t/" + message.payload);
      out.push_back(std::stoi(message.payload));
    }
    return out;
  }

  int64_t CountUnpublished() {
    auto count = outbox_->CountUnpublished();
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : -1;
  }

  static std::vector<int> Range(int first, int n) {
    std::vector<int> out;
    for (int i = first; i < first + n; ++i) out.push_back(i);
    return out;
  }

  storage::scratch::TempDir dir_{"sagaflow-relay-test"};
  ManualClock clock_;
  SeededRandom random_{1};
  Metrics metrics_;
  WakeSignal new_rows_;
  FakeBus bus_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::Outbox> outbox_;
  std::unique_ptr<OutboxRelay> relay_;
};

TEST_F(OutboxRelayTest, PublishesInIdOrderAndMarksPublished) {
  Append(0, 3, 3);
  Append(3, 2);
  OutboxRelay& relay = MakeRelay();
  auto published = relay.PublishOnce();
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(*published, 5U);
  EXPECT_EQ(PublishedNumbers(), Range(0, 5));
  EXPECT_EQ(CountUnpublished(), 0);
  EXPECT_EQ(metrics_.Get("sagaflow_outbox_published_total"), 5);

  auto again = relay.PublishOnce();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0U);
  EXPECT_EQ(bus_.published().size(), 5U);  // nothing is published twice
}

TEST_F(OutboxRelayTest, PublishesOnlyRowsOnDiskWithOneFsyncForTheBatch) {
  Append(0, 5);
  EXPECT_EQ(db_->commit_stats().syncs, 0) << "appending does not wait for the disk";
  auto published = MakeRelay().PublishOnce();
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(*published, 5U);
  EXPECT_EQ(db_->commit_stats().syncs, 1) << "one fsync for five commits, before they left";
}

TEST_F(OutboxRelayTest, TheDeliberateFaultPublishesWithoutWaitingForTheDisk) {
  Append(0, 2);
  OutboxRelayOptions faulty;
  faulty.publish_before_durable = true;
  auto published = MakeRelay(faulty).PublishOnce();
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(*published, 2U);
  EXPECT_EQ(db_->commit_stats().syncs, 0);
}

TEST_F(OutboxRelayTest, ARowOnATopicTheAccountMayNotPublishIsNeverSentAndHoldsBackTheRowsAfterIt) {
  Append(0, 5);
  OutboxRelayOptions options;
  options.may_publish = [](std::string_view topic) { return topic != "t/2"; };
  OutboxRelay& relay = MakeRelay(options);
  auto published = relay.PublishOnce();
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(*published, 2U) << "the rows before it";
  auto blocked = relay.PublishOnce();
  EXPECT_TRUE(blocked.status().IsFailedPrecondition()) << blocked.status().ToString();
  EXPECT_EQ(PublishedNumbers(), Range(0, 2));
  EXPECT_EQ(CountUnpublished(), 3) << "kept, and visible as a backlog";
}

TEST_F(OutboxRelayTest, PublishesAtMostOneBatchPerStep) {
  Append(0, 5, 5);
  OutboxRelay& relay = MakeRelay({.batch_size = 2});
  std::vector<size_t> steps;
  for (int i = 0; i < 4; ++i) {
    auto published = relay.PublishOnce();
    ASSERT_TRUE(published.ok());
    steps.push_back(*published);
  }
  EXPECT_EQ(steps, (std::vector<size_t>{2, 2, 1, 0}));
  EXPECT_EQ(PublishedNumbers(), Range(0, 5));
}

TEST_F(OutboxRelayTest, DisconnectedBusIsUnavailableAndNothingIsMarked) {
  Append(0, 3);
  bus_.SetConnected(false);
  OutboxRelay& relay = MakeRelay();
  auto published = relay.PublishOnce();
  ASSERT_FALSE(published.ok());
  EXPECT_TRUE(published.status().IsUnavailable()) << published.status().ToString();
  EXPECT_TRUE(bus_.published().empty());
  EXPECT_EQ(CountUnpublished(), 3);

  bus_.SetConnected(true);
  published = relay.PublishOnce();
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(*published, 3U);
  EXPECT_EQ(PublishedNumbers(), Range(0, 3));
}

TEST_F(OutboxRelayTest, MarksOnlyTheAcknowledgedPrefix) {
  Append(0, 5, 5);
  OutboxRelay& relay = MakeRelay();
  bus_.FailPublishAfter(2);
  auto published = relay.PublishOnce();
  ASSERT_FALSE(published.ok());
  EXPECT_TRUE(published.status().IsUnavailable());
  EXPECT_NE(published.status().message().find("acknowledged 2 of 5"), std::string::npos)
      << published.status().message();
  EXPECT_EQ(CountUnpublished(), 3);
  auto pending = outbox_->LoadUnpublished(10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 3U);
  EXPECT_EQ((*pending)[0].payload, "2");
  EXPECT_EQ(metrics_.Get("sagaflow_outbox_published_total"), 2);
  EXPECT_EQ(metrics_.Get("sagaflow_outbox_publish_failures_total"), 1);

  // The next step resumes from the first unacknowledged row.
  published = relay.PublishOnce();
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(*published, 3U);
  EXPECT_EQ(PublishedNumbers(), Range(0, 5));
  EXPECT_EQ(CountUnpublished(), 0);
}

// Random publish failures, outages and appends in between: every row reaches the bus at least once,
// rows first reach it in id order, and every row ends up marked.
TEST_F(OutboxRelayTest, NothingIsLostOrReorderedUnderRandomPublishFailures) {
  std::mt19937_64 random(2024);
  OutboxRelay& relay = MakeRelay({.batch_size = 7});
  int appended = 0;
  for (int step = 0; step < 400 && (appended < 300 || CountUnpublished() > 0); ++step) {
    if (appended < 300) {
      const int n = static_cast<int>(random() % 5);
      Append(appended, n, 1 + static_cast<int>(random() % 3));
      appended += n;
    }
    switch (random() % 4) {
      case 0:
        bus_.FailPublishAfter(random() % 8);
        break;
      case 1:
        bus_.SetConnected(random() % 3 != 0);
        break;
      default:
        break;
    }
    auto published = relay.PublishOnce();
    if (!published.ok()) {
      EXPECT_TRUE(published.status().IsUnavailable()) << published.status().ToString();
    }
    if (step % 50 == 49) bus_.SetConnected(true);
  }
  bus_.SetConnected(true);
  bus_.FailPublishAfter(1'000'000);
  while (CountUnpublished() > 0) ASSERT_TRUE(relay.PublishOnce().ok());

  ASSERT_EQ(appended, 300);
  std::map<int, int> times_published;
  std::vector<int> first_publication_order;
  for (int number : PublishedNumbers()) {
    if (times_published[number]++ == 0) first_publication_order.push_back(number);
  }
  EXPECT_EQ(first_publication_order, Range(0, 300));
  for (int i = 0; i < 300; ++i) EXPECT_GE(times_published[i], 1) << i;
  EXPECT_EQ(CountUnpublished(), 0);
  EXPECT_GT(metrics_.Get("sagaflow_outbox_publish_failures_total"), 0);  // the faults did happen
}

TEST_F(OutboxRelayTest, StartedRelayIsWokenByARowAppendedLater) {
  // With an hour between idle re-checks, only the outbox's wake-up can make the relay publish in time.
  OutboxRelay& relay = MakeRelay({.idle_recheck = std::chrono::hours(1)});
  Append(0, 1);
  relay.Start();
  const auto wait_for_published = [&](size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (bus_.published().size() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(Millis(1));
    }
    return bus_.published().size() >= n;
  };
  ASSERT_TRUE(wait_for_published(1));
  Append(1, 1);
  ASSERT_TRUE(wait_for_published(2));
  Append(2, 3, 3);
  ASSERT_TRUE(wait_for_published(5));
  relay.Stop();  // must interrupt the hour-long wait
  EXPECT_EQ(PublishedNumbers(), Range(0, 5));
  EXPECT_EQ(CountUnpublished(), 0);
}

TEST_F(OutboxRelayTest, StartedRelayPublishesOnceTheBrokerIsBack) {
  bus_.SetConnected(false);
  bus_.SetConnectedCallback([this] { new_rows_.Notify(); });  // as main wires it
  OutboxRelay& relay =
      MakeRelay({.idle_recheck = std::chrono::hours(1), .retry = {Millis(10), 2.0, std::chrono::hours(1), 0.0}});
  Append(0, 3);
  relay.Start();
  bus_.SetConnected(true);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (CountUnpublished() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(Millis(1));
  }
  relay.Stop();
  EXPECT_EQ(CountUnpublished(), 0);
  EXPECT_EQ(PublishedNumbers(), Range(0, 3));
}

TEST_F(OutboxRelayTest, StopIsIdempotentAndRestartWorks) {
  OutboxRelay& relay = MakeRelay({.idle_recheck = std::chrono::hours(1)});
  relay.Stop();  // never started
  relay.Start();
  relay.Start();  // already running
  relay.Stop();
  relay.Stop();
  Append(0, 1);
  relay.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (bus_.published().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(Millis(1));
  }
  relay.Stop();
  EXPECT_EQ(PublishedNumbers(), Range(0, 1));
}

}  // namespace
}  // namespace sagaflow::messaging
