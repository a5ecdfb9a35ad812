// Cost must not grow with history: the command services' worker (pending commands that fell due, the
// prune of stored replies, the wait for the next due time) must reach its rows through an index, not walk the stored
// replies of every command ever run. Payment and inventory each have their own migrations, so both schemas are
// checked: a history of stored replies, a few pending commands, then the production paths, then
// Database::FullScanSteps. (The outbox and inbox of these databases: storage/tests/periodic_scans_test.cc.)
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/clock.h"
#include "common/json_writer.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/wake_signal.h"
#include "manifest/topics.h"
#include "messaging/consumer.h"
#include "runtime/testing/service_test.h"
#include "services/commands/command_processor.h"
#include "storage/database.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::commands {
namespace {

constexpr int kHistory = 3'000;  // stored replies inside the retention window
constexpr int kExpired = 7;      // stored replies past it: what the prune must find
constexpr Millis kDelay{1'000};
constexpr Millis kReplyRetention{std::chrono::hours(24 * 7)};  // CommandProcessor's
const std::set<std::string> kDueKeys = {"live-1:step", "live-2:step", "live-3:step"};

using Scans = std::vector<std::pair<std::string, int>>;

struct Service {
  const char* migrations;
  std::string_view command_topic;
  std::string_view reply_topic;
};

// Names the parameter in test output (and in CTest's names) by its schema, not by its bytes.
void PrintTo(const Service& service, std::ostream* out) {
  *out << service.migrations;
}

class CommandsPeriodicScansTest : public runtime::testing::ServiceTest, public ::testing::WithParamInterface<Service> {
 protected:
  // Migrates a fresh database, writes the history and the pending commands, optionally drops `index` (to prove the
  // check would catch its absence), and reopens it as a restarted service would: a connection with no statements yet.
  void Build(const std::string& index = "") {
    const std::string path = (dir_ / "service.db").string();
    Status created =
        storage::scratch::CreateMigrated(path, GetParam().migrations, clock_.Now(), [&](storage::UnitOfWork& uow) {
          WriteHistory(uow);
          if (!index.empty()) uow.Exec("DROP INDEX " + index);
        });
    ASSERT_TRUE(created.ok()) << created.ToString();
    ASSERT_NO_FATAL_FAILURE(OpenService("service.db"));
    processor_ = std::make_unique<CommandProcessor>(*db_, *outbox_, clock_, MakeNullLogger());
    processor_->Handle(*consumer_, std::string(GetParam().command_topic), kDelay,
                       [this](storage::UnitOfWork&, simdjson::dom::object, const std::string& order_id,
                              const std::string& key) -> Result<CommandReply> {
                         ++executed_;
                         JsonWriter json;
                         json.BeginObject()
                             .Key("messageId")
                             .String(NewUuid(random_))
                             .Key("orderId")
                             .String(order_id)
                             .Key("idempotencyKey")
                             .String(key)
                             .Key("success")
                             .Bool(true)
                             .EndObject();
                         return CommandReply{std::string(GetParam().reply_topic), json.Take()};
                       });
  }

  // Stored replies of the last week (oldest first, the expired ones before them), and four commands waiting for
  // their processing time: three due by now, one not yet.
  void WriteHistory(storage::UnitOfWork& uow) {
    const Service& service = GetParam();
    const TimePoint now = clock_.Now();
    auto& reply = uow.Prepare(
        "INSERT INTO command_replies(idempotency_key, command_topic, reply_topic, reply_payload, created_at) "
        "VALUES (?, ?, ?, ?, ?)");
    for (int i = 0; i < kExpired + kHistory; ++i) {
      const std::string order_id = "7d1f3c4e-2222-4000-8000-" + std::to_string(100'000'000'000 + i);
      const TimePoint at = i < kExpired ? now - kReplyRetention - std::chrono::hours(1) + Millis(i)
                                        : now - kReplyRetention + std::chrono::hours(1) + Millis(i) * 150'000;
      reply.reset();
      reply.bind(1, order_id + ":" + std::string(service.migrations));
      reply.bind(2, std::string(service.command_topic));
      reply.bind(3, std::string(service.reply_topic));
      reply.bind(4, R"({"messageId":"m-)" + std::to_string(i) + R"(","orderId":")" + order_id +
                        R"(","idempotencyKey":")" + order_id + ":" + service.migrations + R"(","success":true})");
      reply.bind(5, ToEpochMillis(at));
      reply.exec();
    }
    auto& pending = uow.Prepare(
        "INSERT INTO pending_commands(idempotency_key, topic, order_id, payload, due_at) VALUES (?, ?, ?, ?, ?)");
    for (int i = 1; i <= 4; ++i) {
      const std::string order_id = "live-" + std::to_string(i);
      pending.reset();
      pending.bind(1, order_id + ":step");
      pending.bind(2, std::string(service.command_topic));
      pending.bind(3, order_id);
      pending.bind(4, R"({"messageId":"c-)" + std::to_string(i) + R"(","orderId":")" + order_id +
                          R"(","idempotencyKey":")" + order_id + R"(:step"})");
      pending.bind(5, ToEpochMillis(now + (i == 4 ? kDelay : -Millis(i))));
      pending.exec();
    }
  }

  // The keys of the replies appended to the outbox.
  std::set<std::string> RepliedKeys() {
    std::set<std::string> keys;
    auto rows = outbox_->LoadUnpublished(1'000);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return keys;
    for (const auto& row : *rows) {
      EXPECT_EQ(row.topic, GetParam().reply_topic);
      simdjson::dom::parser parser;
      std::string_view key;
      EXPECT_EQ(parser.parse(row.payload)["idempotencyKey"].get_string().get(key), simdjson::SUCCESS) << row.payload;
      keys.insert(std::string(key));
    }
    return keys;
  }

  std::atomic<int> executed_{0};
  std::unique_ptr<CommandProcessor> processor_;
};

TEST_P(CommandsPeriodicScansTest, RunDueAndPruneRepliesDoNotWalkTheStoredReplies) {
  Build();
  auto ran = processor_->RunDue();
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(*ran, 3u);
  auto pruned = processor_->PruneReplies(clock_.Now() - kReplyRetention, 10'000);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, kExpired);
  const Scans scans = db_->FullScanSteps();  // before the test's own reads below

  EXPECT_EQ(RepliedKeys(), kDueKeys);
  EXPECT_EQ(CountRows("pending_commands"), 1);
  EXPECT_EQ(CountRows("command_replies"), kHistory + 3);
  EXPECT_TRUE(scans.empty()) << "periodic statements that walk the history:" << storage::scratch::DescribeScans(scans);
}

// The worker thread as the service runs it, which also asks for the next due time on every pass, and a pass of
// the clean-up task with the processor's rule for its replies.
TEST_P(CommandsPeriodicScansTest, TheWorkerLoopAndTheCleanUpDoNotWalkTheStoredReplies) {
  Build();
  processor_->Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (executed_ < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // Stop joins after the pass in progress, which goes on to the next-due query.
  processor_->Stop();
  ASSERT_EQ(executed_.load(), 3);
  storage::Retention retention(clock_);
  retention.Add(processor_->RepliesRetention());
  ASSERT_TRUE(retention.RunOnce().ok());
  const Scans scans = db_->FullScanSteps();

  EXPECT_EQ(RepliedKeys(), kDueKeys);
  EXPECT_EQ(CountRows("pending_commands"), 1);
  EXPECT_EQ(CountRows("command_replies"), kHistory + 3) << "the clean-up pass prunes the expired replies";
  EXPECT_TRUE(scans.empty()) << "periodic statements that walk the history:" << storage::scratch::DescribeScans(scans);
}

// The check itself: without the index command_replies_created, the prune's scan is reported.
TEST_P(CommandsPeriodicScansTest, WithoutTheRepliesIndexThePruneScanIsCaught) {
  Build("command_replies_created");
  auto pruned = processor_->PruneReplies(clock_.Now() - kReplyRetention, 10'000);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, kExpired);
  const Scans scans = db_->FullScanSteps();
  bool caught = false;
  for (const auto& [sql, steps] : scans) {
    caught = caught || (sql.find("DELETE FROM command_replies") != std::string::npos && steps >= kHistory);
  }
  EXPECT_TRUE(caught) << "reported instead:" << storage::scratch::DescribeScans(scans);
}

INSTANTIATE_TEST_SUITE_P(CommandServices, CommandsPeriodicScansTest,
                         ::testing::Values(Service{"payment", topics::kPaymentProcess, topics::kPaymentProcessed},
                                           Service{"inventory", topics::kInventoryReserve, topics::kInventoryReserved}),
                         [](const ::testing::TestParamInfo<Service>& param) {
                           return std::string(param.param.migrations);
                         });

}  // namespace
}  // namespace sagaflow::commands
