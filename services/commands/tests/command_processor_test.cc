// Unit tests of CommandProcessor: once per idempotency key, stored replies re-published byte for byte,
// delayed commands recorded in pending_commands and run by RunDue (also after a restart), against a
// real SQLite file and a Consumer fed exactly as the MQTT bus feeds it.
#include "services/commands/command_processor.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/wake_signal.h"
#include "messaging/consumer.h"
#include "migrations/service_schema.h"
#include "runtime/testing/service_test.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/outbox.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::commands {
namespace {

constexpr std::string_view kCommandTopic = "test/do";
constexpr std::string_view kReplyTopic = "test/done";
constexpr Millis kDelay{5'000};

struct ReplyRow {
  std::string key;
  std::string command_topic;
  std::string reply_topic;
  std::string payload;
};

struct PendingRow {
  std::string key;
  std::string topic;
  std::string order_id;
  std::string payload;
  int64_t due_at = 0;
};

// The stand-in for a service's work: counts its runs and answers with a fresh messageId each time, so
// a re-published reply is recognisably the stored one.
class CountingExecutor {
 public:
  explicit CountingExecutor(RandomSource& random) : random_(random) {}

  CommandProcessor::Executor AsExecutor() {
    return [this](storage::UnitOfWork& /*uow*/, simdjson::dom::object command, const std::string& order_id,
                  const std::string& key) -> Result<CommandReply> {
      ++calls;
      seen_order_ids.push_back(order_id);
      if (!GetString(command, "value").ok()) return Status::InvalidArgument("value must be a string");
      if (GetStringOr(command, "value", "") == "storage-failure") return Status::IoError("disk on fire");
      JsonWriter json;
      json.BeginObject()
          .Key("messageId")
          .String(NewUuid(random_))
          .Key("orderId")
          .String(order_id)
          .Key("idempotencyKey")
          .String(key)
          .Key("value")
          .String(GetStringOr(command, "value", ""))
          .Key("run")
          .Int(calls)
          .EndObject();
      return CommandReply{std::string(kReplyTopic), json.Take()};
    };
  }

  int calls = 0;
  std::vector<std::string> seen_order_ids;

 private:
  RandomSource& random_;
};

class CommandProcessorTest : public runtime::testing::ServiceTest {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    OpenService(Millis(0));
  }

  void TearDown() override { CloseService(); }

  // What a service's main does: open and migrate the database, then wire consumer and processor.
  void OpenService(Millis delay, CommandProcessor::KeyRule key_rule = {}) {
    // Any service's schema carries command_replies and pending_commands; payment's is the smallest.
    SetUpService("payment", "commands.db");
    if (HasFatalFailure()) return;
    processor_ = std::make_unique<CommandProcessor>(*db_, *outbox_, clock_, MakeNullLogger());
    processor_->Handle(*consumer_, std::string(kCommandTopic), delay, executor_.AsExecutor(), std::move(key_rule));
  }

  // A "kill": everything in memory goes, the database file stays.
  void CloseService() {
    processor_.reset();
    consumer_.reset();
    outbox_.reset();
    db_.reset();
  }

  // Delivers a command as the MQTT bus would, with a fresh messageId unless one is given.
  void Deliver(const std::string& order_id, const std::string& key, const std::string& value = "v",
               std::string message_id = "") {
    if (message_id.empty()) message_id = "message-" + std::to_string(++messages_);
    JsonWriter json;
    json.BeginObject().Key("messageId").String(message_id).Key("orderId").String(order_id);
    if (!key.empty()) json.Key("idempotencyKey").String(key);
    json.Key("value").String(value).EndObject();
    consumer_->Handle(messaging::IncomingMessage{std::string(kCommandTopic), json.Take()});
  }

  void DeliverRaw(const std::string& payload) {
    consumer_->Handle(messaging::IncomingMessage{std::string(kCommandTopic), payload});
  }

  std::vector<storage::OutboxRow> Outbox() {
    auto rows = outbox_->LoadUnpublished(1000);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<storage::OutboxRow>{};
  }

  std::vector<ReplyRow> Replies() {
    std::vector<ReplyRow> rows;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare(
                         "SELECT idempotency_key, command_topic, reply_topic, reply_payload FROM command_replies "
                         "ORDER BY idempotency_key");
                     while (select.executeStep()) {
                       rows.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                                       select.getColumn(2).getString(), select.getColumn(3).getString()});
                     }
                     return Status::Ok();
                   })
                    .ok());
    return rows;
  }

  std::vector<PendingRow> Pending() {
    std::vector<PendingRow> rows;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare(
                         "SELECT idempotency_key, topic, order_id, payload, due_at FROM pending_commands "
                         "ORDER BY idempotency_key");
                     while (select.executeStep()) {
                       rows.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                                       select.getColumn(2).getString(), select.getColumn(3).getString(),
                                       select.getColumn(4).getInt64()});
                     }
                     return Status::Ok();
                   })
                    .ok());
    return rows;
  }

  size_t RunDue() {
    auto ran = processor_->RunDue();
    EXPECT_TRUE(ran.ok()) << ran.status().ToString();
    return ran.ok() ? *ran : 0;
  }

  CountingExecutor executor_{random_};
  std::unique_ptr<CommandProcessor> processor_;
  int messages_ = 0;
};

TEST_F(CommandProcessorTest, NoDelayRunsInlineAndStoresReplyWithItsOutboxRow) {
  Deliver("order-1", "order-1:payment");

  EXPECT_EQ(executor_.calls, 1);
  EXPECT_EQ(executor_.seen_order_ids, std::vector<std::string>{"order-1"});
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].key, "order-1:payment");
  EXPECT_EQ(replies[0].command_topic, kCommandTopic);
  EXPECT_EQ(replies[0].reply_topic, kReplyTopic);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].topic, kReplyTopic);
  EXPECT_EQ(outbox[0].payload, replies[0].payload);
  EXPECT_EQ(CountRows("pending_commands"), 0);
  EXPECT_EQ(CountRows("dead_letters"), 0);
  // The commit woke whoever waits for outbox rows (the relay).
  EXPECT_TRUE(new_rows_.WaitFor(Millis(0)));
}

TEST_F(CommandProcessorTest, WithAKeyRuleACommandUnderAnyOtherKeyIsDeadLetteredBeforeItIsStoredOrRun) {
  for (Millis delay : {Millis(0), Millis(1000)}) {
    CloseService();
    std::filesystem::remove_all(dir_.path());
    std::filesystem::create_directories(dir_.path());
    OpenService(delay, [](std::string_view order_id) { return std::string(order_id) + ":payment"; });
    const int calls_before = executor_.calls;
    Deliver("order-1", "order-2:payment");               // another order's key
    Deliver("order-1", "order-1:payment:compensation");  // another action's key
    EXPECT_EQ(executor_.calls, calls_before);
    EXPECT_EQ(CountRows("pending_commands"), 0) << "a refused command is not even queued";
    EXPECT_EQ(CountRows("dead_letters"), 2);
    Deliver("order-1", "order-1:payment");
    EXPECT_EQ(CountRows("dead_letters"), 2);
    EXPECT_EQ(CountRows("pending_commands") + CountRows("command_replies"), 1);
  }
}

TEST_F(CommandProcessorTest, RepeatedKeyRepublishesTheStoredReplyWithoutRunningAgain) {
  Deliver("order-1", "order-1:payment", "first");
  Deliver("order-1", "order-1:payment", "second");  // a retry: new messageId, same key
  Deliver("order-1", "order-1:payment", "third");

  EXPECT_EQ(executor_.calls, 1);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 3u);
  for (const auto& row : outbox) {
    EXPECT_EQ(row.topic, kReplyTopic);
    EXPECT_EQ(row.payload, outbox[0].payload);  // byte-identical, messageId included
  }
  EXPECT_NE(outbox[0].payload.find(R"("value":"first")"), std::string::npos) << outbox[0].payload;
  EXPECT_EQ(Replies().size(), 1u);
}

TEST_F(CommandProcessorTest, StoredRepliesOlderThanTheRetentionArePrunedAndTheKeyRunsAgain) {
  Deliver("order-1", "order-1:payment");
  clock_.Advance(Millis(std::chrono::hours(24)));
  Deliver("order-2", "order-2:payment");
  clock_.Advance(Millis(std::chrono::hours(24 * 7)));

  auto pruned = processor_->PruneReplies(clock_.Now() - Millis(std::chrono::hours(24 * 7)), 100);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, 1);
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].key, "order-2:payment");

  Deliver("order-1", "order-1:payment");  // long after: the executor decides again from its own rows
  EXPECT_EQ(executor_.calls, 3);
}

// Commands claim no inbox: the idempotency key makes a redelivery (the broker's DUP) run nothing twice;
// it publishes the stored reply again, like any repeat of the key.
TEST_F(CommandProcessorTest, ARedeliveredMessageRunsNothingTwiceAndRepublishesTheStoredReply) {
  Deliver("order-1", "order-1:payment", "v", "same-message");
  Deliver("order-1", "order-1:payment", "v", "same-message");

  EXPECT_EQ(executor_.calls, 1);
  EXPECT_EQ(Replies().size(), 1u);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[1].payload, outbox[0].payload);
  EXPECT_EQ(CountRows("inbox"), 0);
}

TEST_F(CommandProcessorTest, DifferentKeysRunSeparately) {
  Deliver("order-1", "order-1:payment");
  Deliver("order-2", "order-2:payment");

  EXPECT_EQ(executor_.calls, 2);
  EXPECT_EQ(executor_.seen_order_ids, (std::vector<std::string>{"order-1", "order-2"}));
  EXPECT_EQ(Replies().size(), 2u);
  EXPECT_EQ(Outbox().size(), 2u);
}

TEST_F(CommandProcessorTest, DelayRecordsPendingAndRunsNothingUntilDue) {
  CloseService();
  OpenService(kDelay);
  const TimePoint received = clock_.Now();
  Deliver("order-1", "order-1:payment", "late");

  EXPECT_EQ(executor_.calls, 0);
  EXPECT_TRUE(Outbox().empty());
  EXPECT_TRUE(Replies().empty());
  const auto pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].key, "order-1:payment");
  EXPECT_EQ(pending[0].topic, kCommandTopic);
  EXPECT_EQ(pending[0].order_id, "order-1");
  EXPECT_EQ(pending[0].due_at, ToEpochMillis(received + kDelay));

  EXPECT_EQ(RunDue(), 0u);
  clock_.Advance(kDelay - Millis(1));
  EXPECT_EQ(RunDue(), 0u);
  EXPECT_EQ(executor_.calls, 0);

  clock_.Advance(Millis(1));
  EXPECT_EQ(RunDue(), 1u);
  EXPECT_EQ(executor_.calls, 1);
  EXPECT_TRUE(Pending().empty());
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_NE(replies[0].payload.find(R"("value":"late")"), std::string::npos) << replies[0].payload;
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].topic, kReplyTopic);
  EXPECT_EQ(outbox[0].payload, replies[0].payload);

  EXPECT_EQ(RunDue(), 0u);  // nothing left: it ran exactly once
  EXPECT_EQ(executor_.calls, 1);
}

TEST_F(CommandProcessorTest, RepeatWhilePendingDoesNothing) {
  CloseService();
  OpenService(kDelay);
  Deliver("order-1", "order-1:payment");
  clock_.Advance(Millis(1000));
  Deliver("order-1", "order-1:payment");  // the orchestrator's retry while the first still waits

  EXPECT_EQ(executor_.calls, 0);
  EXPECT_TRUE(Outbox().empty());
  const auto pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  // The retry did not push the due time back.
  EXPECT_EQ(pending[0].due_at, ToEpochMillis(clock_.Now() - Millis(1000) + kDelay));

  clock_.Advance(kDelay);
  EXPECT_EQ(RunDue(), 1u);
  EXPECT_EQ(executor_.calls, 1);
  ASSERT_EQ(Outbox().size(), 1u);

  // After it ran, a repeat gets the stored reply.
  Deliver("order-1", "order-1:payment");
  EXPECT_EQ(executor_.calls, 1);
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[1].payload, outbox[0].payload);
}

TEST_F(CommandProcessorTest, PendingCommandSurvivesRestart) {
  CloseService();
  OpenService(kDelay);
  Deliver("order-1", "order-1:payment", "survivor");
  ASSERT_EQ(Pending().size(), 1u);

  CloseService();  // killed during the simulated processing time
  OpenService(kDelay);
  EXPECT_EQ(Pending().size(), 1u);
  EXPECT_EQ(RunDue(), 0u);
  clock_.Advance(kDelay);
  EXPECT_EQ(RunDue(), 1u);

  EXPECT_EQ(executor_.calls, 1);
  EXPECT_EQ(executor_.seen_order_ids, std::vector<std::string>{"order-1"});
  EXPECT_TRUE(Pending().empty());
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_NE(outbox[0].payload.find(R"("value":"survivor")"), std::string::npos) << outbox[0].payload;
  EXPECT_NE(outbox[0].payload.find(R"("idempotencyKey":"order-1:payment")"), std::string::npos);
}

TEST_F(CommandProcessorTest, RunDueRunsEveryDueCommandInDueOrder) {
  CloseService();
  OpenService(kDelay);
  for (int i = 1; i <= 5; ++i) {
    Deliver("order-" + std::to_string(i), "order-" + std::to_string(i) + ":payment");
    clock_.Advance(Millis(10));
  }
  clock_.Advance(kDelay);
  EXPECT_EQ(RunDue(), 5u);
  EXPECT_EQ(executor_.seen_order_ids,
            (std::vector<std::string>{"order-1", "order-2", "order-3", "order-4", "order-5"}));
  EXPECT_EQ(Outbox().size(), 5u);
  EXPECT_TRUE(Pending().empty());
}

TEST_F(CommandProcessorTest, MissingIdempotencyKeyIsDeadLettered) {
  Deliver("order-1", "");
  DeliverRaw(R"({"messageId":"m-empty","orderId":"order-2","idempotencyKey":"","value":"v"})");
  DeliverRaw(R"({"messageId":"m-number","orderId":"order-3","idempotencyKey":42,"value":"v"})");

  EXPECT_EQ(executor_.calls, 0);
  EXPECT_EQ(CountRows("dead_letters"), 3);
  EXPECT_TRUE(Replies().empty());
  EXPECT_TRUE(Pending().empty());
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 3u);
  for (const auto& row : outbox) {
    EXPECT_EQ(row.topic, "deadletter/test/do");
    EXPECT_NE(row.payload.find("idempotencyKey must be a non-empty string"), std::string::npos) << row.payload;
  }
}

TEST_F(CommandProcessorTest, MissingIdempotencyKeyIsDeadLetteredAlsoWithDelay) {
  CloseService();
  OpenService(kDelay);
  Deliver("order-1", "");
  EXPECT_EQ(CountRows("dead_letters"), 1);
  EXPECT_TRUE(Pending().empty());
}

TEST_F(CommandProcessorTest, ExecutorRejectionDeadLettersAndStoresNothing) {
  DeliverRaw(R"({"messageId":"m-1","orderId":"order-1","idempotencyKey":"order-1:payment"})");

  EXPECT_EQ(executor_.calls, 1);
  EXPECT_EQ(CountRows("dead_letters"), 1);
  EXPECT_TRUE(Replies().empty());
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].topic, "deadletter/test/do");

  // A corrected retry with the same key is not blocked by the rejected one.
  Deliver("order-1", "order-1:payment");
  EXPECT_EQ(executor_.calls, 2);
  EXPECT_EQ(Replies().size(), 1u);
}

TEST_F(CommandProcessorTest, PendingCommandRejectedWhenDueIsDroppedWithoutReply) {
  CloseService();
  OpenService(kDelay);
  DeliverRaw(R"({"messageId":"m-1","orderId":"order-1","idempotencyKey":"order-1:payment"})");
  Deliver("order-2", "order-2:payment");
  ASSERT_EQ(Pending().size(), 2u);

  clock_.Advance(kDelay);
  EXPECT_EQ(RunDue(), 2u);
  EXPECT_EQ(executor_.calls, 2);
  EXPECT_TRUE(Pending().empty());
  const auto replies = Replies();
  ASSERT_EQ(replies.size(), 1u);  // only the valid one; the rejected one did not block it
  EXPECT_EQ(replies[0].key, "order-2:payment");
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(CommandProcessorTest, PendingStorageFailureRollsBackAndIsRetried) {
  CloseService();
  OpenService(kDelay);
  Deliver("order-1", "order-1:payment", "storage-failure");
  clock_.Advance(kDelay);

  auto ran = processor_->RunDue();
  ASSERT_FALSE(ran.ok());
  EXPECT_TRUE(ran.status().IsIoError()) << ran.status().ToString();
  EXPECT_EQ(Pending().size(), 1u);  // kept for the next attempt
  EXPECT_TRUE(Replies().empty());
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(CommandProcessorTest, PendingCommandOfUnknownTopicIsDropped) {
  CloseService();
  OpenService(kDelay);
  Deliver("order-1", "order-1:payment");
  CloseService();
  // A restarted binary that no longer handles the topic.
  auto db = storage::Database::Open({(dir_ / "commands.db").string(), storage::Durability::kNormal});
  ASSERT_TRUE(db.ok());
  db_ = std::move(*db);
  outbox_ = std::make_unique<storage::Outbox>(*db_, clock_, new_rows_);
  processor_ = std::make_unique<CommandProcessor>(*db_, *outbox_, clock_, MakeNullLogger());
  clock_.Advance(kDelay);

  EXPECT_EQ(RunDue(), 1u);
  EXPECT_EQ(executor_.calls, 0);
  EXPECT_TRUE(Pending().empty());
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(CommandProcessorTest, WorkerRunsDueCommandsInTheBackground) {
  CloseService();
  OpenService(kDelay);
  // Drain the wake-up of earlier commits, so the wait below is for the worker's reply.
  (void)new_rows_.WaitFor(Millis(0));
  processor_->Start();
  Deliver("order-1", "order-1:payment");
  clock_.Advance(kDelay);

  // The worker wakes within 100 ms of a due time; poll with a deadline on the outbox's wake-ups.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (Outbox().empty() && std::chrono::steady_clock::now() < deadline) (void)new_rows_.WaitFor(Millis(50));
  processor_->Stop();

  EXPECT_EQ(executor_.calls, 1);
  EXPECT_EQ(Outbox().size(), 1u);
  EXPECT_TRUE(Pending().empty());
}

TEST_F(CommandProcessorTest, StopWithoutStartAndTwiceIsHarmless) {
  processor_->Stop();
  processor_->Start();
  processor_->Start();
  processor_->Stop();
  processor_->Stop();
  SUCCEED();
}

}  // namespace
}  // namespace sagaflow::commands
