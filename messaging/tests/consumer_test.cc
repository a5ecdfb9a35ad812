#include "messaging/consumer.h"

#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/json.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "messaging/outbox_relay.h"
#include "messaging/testing/fake_bus.h"
#include "storage/dead_letters.h"
#include "storage/migrator.h"
#include "storage/testing/scratch_database.h"
#include "wire/dead_letter_message.h"
#include "wire/decode_text.h"

namespace sagaflow::messaging {
namespace {

using storage::Sql;
using storage::UnitOfWork;

constexpr std::string_view kTopic = "orders/created";

std::string Payload(const std::string& message_id, const std::string& order_id, int64_t amount_cents = 2999) {
  JsonWriter w;
  w.BeginObject().Key("messageId").String(message_id).Key("orderId").String(order_id);
  w.Key("totalAmount").Raw(FormatMoney(amount_cents)).EndObject();
  return w.Take();
}

IncomingMessage Message(const std::string& message_id, const std::string& order_id) {
  return {std::string(kTopic), Payload(message_id, order_id), false};
}

struct DeadLetterRow {
  std::string topic;
  std::string payload;
  std::string error;
  std::string received_at;
};

class ConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto db = storage::scratch::OpenMigrated(dir_ / "order.db", "order", clock_.Now());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    // The handlers' own state: one row per effect.
    ASSERT_TRUE(db_->Write([](UnitOfWork& uow) {
                     uow.Exec("CREATE TABLE effects (message_id TEXT NOT NULL, order_id TEXT NOT NULL)");
                     return Status::Ok();
                   })
                    .ok());
    outbox_ = std::make_unique<storage::Outbox>(*db_, clock_, new_rows_);
    consumer_ = std::make_unique<Consumer>(*db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_,
                                           [this](const std::string& reason) { fatal_reasons_.push_back(reason); });
  }
  void TearDown() override {
    consumer_.reset();
    outbox_.reset();
    db_.reset();
  }

  // A handler with a state change and an outbox append, the shape of every real one.
  Consumer::TopicHandler RecordingHandler() {
    return [this](UnitOfWork& uow, const Envelope& envelope) {
      ++handler_calls_;
      auto& insert = uow.Prepare("INSERT INTO effects(message_id, order_id) VALUES (?, ?)");
      insert.bind(1, std::string(envelope.message_id));
      insert.bind(2, std::string(envelope.correlation_id));
      insert.exec();
      outbox_->Append(uow, "payments/process", "{\"orderId\":\"" + std::string(envelope.correlation_id) + "\"}");
      return Status::Ok();
    };
  }

  int64_t Count(const std::string& sql) {
    int64_t count = -1;
    Status status = db_->Read([&](Sql& q) {
      auto& select = q.Prepare(sql);
      if (select.executeStep()) count = select.getColumn(0).getInt64();
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return count;
  }

  std::vector<DeadLetterRow> DeadLetters() {
    std::vector<DeadLetterRow> rows;
    EXPECT_TRUE(db_->Read([&](Sql& q) {
                     auto& select =
                         q.Prepare("SELECT topic, payload, error, received_at FROM dead_letters ORDER BY id");
                     while (select.executeStep()) {
                       rows.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                                       select.getColumn(2).getString(), select.getColumn(3).getString()});
                     }
                     return Status::Ok();
                   })
                    .ok());
    return rows;
  }

  std::vector<storage::OutboxRow> OutboxRows(std::string_view topic) {
    auto rows = outbox_->LoadUnpublished(10'000);
    EXPECT_TRUE(rows.ok());
    std::vector<storage::OutboxRow> out;
    if (!rows.ok()) return out;
    for (auto& row : *rows) {
      if (row.topic == topic) out.push_back(row);
    }
    return out;
  }

  // Checks the one dead letter the test expects: its row, and its deadletter/<topic> publication.
  void ExpectOneDeadLetter(const IncomingMessage& message, const std::string& error_part,
                           const std::string& order_id = "") {
    const auto rows = DeadLetters();
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].topic, message.topic);
    EXPECT_EQ(rows[0].payload, storage::DeadLetterCopy(message.payload));
    EXPECT_NE(rows[0].error.find(error_part), std::string::npos) << rows[0].error;
    EXPECT_EQ(rows[0].received_at, FormatIso8601(clock_.Now()));

    const auto published = OutboxRows("deadletter/" + message.topic);
    ASSERT_EQ(published.size(), 1U);
    auto dead =
        wire::DecodeText(published[0].payload, [](simdjson::dom::object body) { return wire::DecodeDeadLetter(body); });
    ASSERT_TRUE(dead.ok()) << dead.status().ToString() << " in " << published[0].payload;
    if (simdjson::validate_utf8(message.payload.data(), message.payload.size())) {
      EXPECT_EQ(dead->payload, storage::DeadLetterCopy(message.payload));
    }
    EXPECT_EQ(dead->error, rows[0].error);
    EXPECT_EQ(dead->topic, message.topic);
    EXPECT_EQ(dead->correlation_id, order_id);
    EXPECT_EQ(dead->at, FormatIso8601(clock_.Now()));
    EXPECT_EQ(dead->message_id.size(), 36U);
    EXPECT_EQ(wire::Encode(*dead), published[0].payload);  // the consumer writes what wire/ describes
    EXPECT_EQ(metrics_.Get("sagaflow_dead_letters_total{topic=\"" + message.topic + "\"}"), 1);
  }

  storage::scratch::TempDir dir_{"sagaflow-consumer-test"};
  ManualClock clock_;
  SeededRandom random_{1};
  Metrics metrics_;
  WakeSignal new_rows_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::Outbox> outbox_;
  std::unique_ptr<Consumer> consumer_;
  std::vector<std::string> fatal_reasons_;
  int handler_calls_ = 0;
};

TEST_F(ConsumerTest, ValidMessageRunsTheHandlerOnceAndCommitsItsOutboxAppend) {
  std::string seen_topic;
  std::string seen_message_id;
  std::string seen_order_id;
  Cents seen_amount = -1;
  auto record = RecordingHandler();
  consumer_->On(std::string(kTopic), [&](UnitOfWork& uow, const Envelope& envelope) {
    seen_topic = envelope.topic;
    seen_message_id = envelope.message_id;
    seen_order_id = envelope.correlation_id;
    seen_amount = GetMoney(envelope.body, "totalAmount").value();
    return record(uow, envelope);
  });
  consumer_->Handle(Message("m-1", "o-1"));

  EXPECT_EQ(handler_calls_, 1);
  EXPECT_EQ(seen_topic, kTopic);
  EXPECT_EQ(seen_message_id, "m-1");
  EXPECT_EQ(seen_order_id, "o-1");
  EXPECT_EQ(seen_amount, 2999);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects WHERE order_id = 'o-1'"), 1);
  const auto appended = OutboxRows("payments/process");
  ASSERT_EQ(appended.size(), 1U);
  EXPECT_EQ(appended[0].payload, R"({"orderId":"o-1"})");
  EXPECT_TRUE(new_rows_.WaitFor(Millis(0)));  // the relay was woken for it
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inbox WHERE message_id = 'm-1'"), 1);
  EXPECT_EQ(metrics_.Get("sagaflow_messages_handled_total{topic=\"orders/created\"}"), 1);
  EXPECT_TRUE(DeadLetters().empty());
  EXPECT_TRUE(fatal_reasons_.empty());
}

TEST_F(ConsumerTest, SameMessageIdTwiceHasEffectOnce) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  consumer_->Handle(Message("m-1", "o-1"));
  IncomingMessage again = Message("m-1", "o-1");
  again.redelivered = true;
  consumer_->Handle(again);

  EXPECT_EQ(handler_calls_, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 1);
  EXPECT_EQ(OutboxRows("payments/process").size(), 1U);
  EXPECT_EQ(metrics_.Get("sagaflow_messages_duplicate_total"), 1);
  EXPECT_EQ(metrics_.Get("sagaflow_messages_handled_total{topic=\"orders/created\"}"), 1);
}

TEST_F(ConsumerTest, AHandlerThatDedupesItselfSeesEveryDeliveryAndClaimsNoInbox) {
  consumer_->On(std::string(kTopic), RecordingHandler(), Consumer::Dedupe::kByHandler);
  consumer_->Handle(Message("m-1", "o-1"));
  IncomingMessage again = Message("m-1", "o-1");
  again.redelivered = true;
  consumer_->Handle(again);

  EXPECT_EQ(handler_calls_, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 2);  // this handler records blindly; a real one checks
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inbox"), 0);
  EXPECT_EQ(metrics_.Get("sagaflow_messages_duplicate_total"), 0);
  EXPECT_EQ(metrics_.Get("sagaflow_messages_handled_total{topic=\"orders/created\"}"), 2);
}

TEST_F(ConsumerTest, AHandlerThatDedupesItselfStillHasItsRejectedRedeliveryDeadLetteredOnce) {
  consumer_->On(
      std::string(kTopic),
      [&](UnitOfWork&, const Envelope&) {
        ++handler_calls_;
        return Status::InvalidArgument("unknown product");
      },
      Consumer::Dedupe::kByHandler);
  const IncomingMessage message = Message("m-1", "o-1");
  consumer_->Handle(message);
  IncomingMessage again = message;
  again.redelivered = true;
  consumer_->Handle(again);
  EXPECT_EQ(handler_calls_, 2);
  ExpectOneDeadLetter(message, "unknown product", "o-1");
}

TEST_F(ConsumerTest, BrokerDuplicateHasEffectOnce) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  FakeBus bus(5);
  bus.SetHandler(consumer_->Topics(), [this](const IncomingMessage& m) { consumer_->Handle(m); });
  bus.Inject(Message("m-1", "o-1"));
  EXPECT_EQ(bus.Deliver({.duplicate = 1.0}), 2U);
  EXPECT_EQ(handler_calls_, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 1);
  EXPECT_EQ(metrics_.Get("sagaflow_messages_duplicate_total"), 1);
}

TEST_F(ConsumerTest, HandlerSeesTheRedeliveredFlag) {
  bool redelivered = false;
  consumer_->On(std::string(kTopic), [&](UnitOfWork&, const Envelope& envelope) {
    redelivered = envelope.redelivered;
    return Status::Ok();
  });
  IncomingMessage message = Message("m-1", "o-1");
  message.redelivered = true;
  consumer_->Handle(message);
  EXPECT_TRUE(redelivered);
}

TEST_F(ConsumerTest, ListsItsTopics) {
  consumer_->On("payments/processed", RecordingHandler());
  consumer_->On("inventory/reserved", RecordingHandler());
  EXPECT_EQ(consumer_->Topics(), (std::vector<std::string>{"inventory/reserved", "payments/processed"}));
}

TEST_F(ConsumerTest, RefusesASecondHandlerForATopicAndKeepsTheFirst) {
  ASSERT_TRUE(consumer_->On(std::string(kTopic), RecordingHandler()).ok());
  bool second_ran = false;
  Status second = consumer_->On(std::string(kTopic), [&](UnitOfWork&, const Envelope&) {
    second_ran = true;
    return Status::Ok();
  });
  EXPECT_TRUE(second.IsConflict()) << second.ToString();
  consumer_->Handle(Message("m-1", "o-1"));
  EXPECT_EQ(handler_calls_, 1);
  EXPECT_FALSE(second_ran);
}

TEST_F(ConsumerTest, ReadsTheCorrelationIdFromTheFieldItsTopicNames) {
  std::string seen;
  ASSERT_TRUE(consumer_
                  ->On(
                      "trips/requested",
                      [&](UnitOfWork&, const Envelope& envelope) {
                        seen = envelope.correlation_id;
                        return Status::Ok();
                      },
                      Consumer::Dedupe::kByMessageId, "tripId")
                  .ok());
  consumer_->Handle({"trips/requested", R"({"messageId":"m-1","tripId":"t-1"})", false});
  EXPECT_EQ(seen, "t-1");

  // orderId means nothing on this topic: without tripId the message is dead-lettered, naming the field.
  seen.clear();
  const IncomingMessage without{"trips/requested", R"({"messageId":"m-2","orderId":"o-2"})", false};
  consumer_->Handle(without);
  EXPECT_TRUE(seen.empty());
  const auto rows = DeadLetters();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_NE(rows[0].error.find("tripId must be a non-empty string"), std::string::npos) << rows[0].error;
  const auto published = OutboxRows("deadletter/trips/requested");
  ASSERT_EQ(published.size(), 1U);
  auto dead = wire::DecodeText(published[0].payload,
                               [](simdjson::dom::object body) { return wire::DecodeDeadLetter(body, "tripId"); });
  ASSERT_TRUE(dead.ok()) << dead.status().ToString() << " in " << published[0].payload;
  EXPECT_TRUE(dead->correlation_id.empty());
  EXPECT_EQ(wire::Encode(*dead), published[0].payload);
}

TEST_F(ConsumerTest, IgnoresAMessageOnATopicWithoutHandler) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  consumer_->Handle({"payments/processed", Payload("m-1", "o-1"), false});
  EXPECT_EQ(handler_calls_, 0);
  EXPECT_TRUE(DeadLetters().empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_TRUE(fatal_reasons_.empty());
}

struct MalformedCase {
  std::string name;
  std::string payload;
  std::string error_part;
};

void PrintTo(const MalformedCase& c, std::ostream* os) {
  *os << c.name;
}

class ConsumerMalformedTest : public ConsumerTest, public ::testing::WithParamInterface<MalformedCase> {};

TEST_P(ConsumerMalformedTest, IsDeadLetteredWithoutRunningTheHandler) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  const IncomingMessage message{std::string(kTopic), GetParam().payload, false};
  consumer_->Handle(message);
  EXPECT_EQ(handler_calls_, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 0);
  EXPECT_TRUE(fatal_reasons_.empty());
  ExpectOneDeadLetter(message, GetParam().error_part);
}

INSTANTIATE_TEST_SUITE_P(
    Envelope, ConsumerMalformedTest,
    ::testing::Values(
        MalformedCase{"NotJson", "{not json", "malformed JSON"},
        MalformedCase{"TrailingGarbage", R"({"messageId":"m","orderId":"o"} x)", "malformed JSON"},
        MalformedCase{"InvalidUtf8", "{\"messageId\":\"m\xFF\",\"orderId\":\"o\"}", "UTF-8"},
        MalformedCase{"NotAnObject", R"(["messageId","orderId"])", "must be a JSON object"},
        MalformedCase{"MissingMessageId", R"({"orderId":"o-1"})", "messageId"},
        MalformedCase{"EmptyMessageId", R"({"messageId":"","orderId":"o-1"})", "messageId"},
        MalformedCase{"NumericMessageId", R"({"messageId":7,"orderId":"o-1"})", "messageId"},
        MalformedCase{"MissingOrderId", R"({"messageId":"m-1"})", "orderId"},
        MalformedCase{"EmptyOrderId", R"({"messageId":"m-1","orderId":""})", "orderId"},
        MalformedCase{"ControlCharacters", "{\"messageId\":\"m-1\",\"orderId\":\"o\n\"}", "malformed JSON"},
        MalformedCase{"EscapedControlInOrderId", R"({"messageId":"m-1","orderId":"o\u001b[2J"})", "orderId"},
        MalformedCase{"EscapedControlInMessageId", R"({"messageId":"m\n1","orderId":"o-1"})", "messageId"}),
    [](const ::testing::TestParamInfo<MalformedCase>& param_info) { return param_info.param.name; });

TEST_F(ConsumerTest, AnOversizedMessageIsDeadLetteredAsABoundedCopyWithoutBeingParsed) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  // Valid JSON, with a valid envelope: only its size is wrong.
  const std::string padding(10 << 20, 'x');
  const IncomingMessage message{std::string(kTopic), R"({"messageId":"m-1","orderId":"o-1","pad":")" + padding + "\"}",
                                false};
  consumer_->Handle(message);
  EXPECT_EQ(handler_calls_, 0);
  ExpectOneDeadLetter(message, "over the limit");
  const auto rows = DeadLetters();
  EXPECT_LT(rows[0].payload.size(), storage::kMaxDeadLetterCopyBytes + 64);
  EXPECT_NE(rows[0].payload.find("[truncated: " + std::to_string(message.payload.size()) + " bytes]"),
            std::string::npos);
  EXPECT_LT(OutboxRows("deadletter/" + message.topic)[0].payload.size(), 2 * storage::kMaxDeadLetterCopyBytes);
}

TEST_F(ConsumerTest, HandlerRejectionIsDeadLetteredAndItsWritesRolledBack) {
  auto record = RecordingHandler();
  consumer_->On(std::string(kTopic), [&](UnitOfWork& uow, const Envelope& envelope) {
    record(uow, envelope);  // writes an effect and an outbox row, then rejects
    return Status::InvalidArgument("totalAmount does not match the items");
  });
  const IncomingMessage message = Message("m-1", "o-1");
  consumer_->Handle(message);
  EXPECT_EQ(handler_calls_, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 0);
  EXPECT_TRUE(OutboxRows("payments/process").empty());
  EXPECT_TRUE(fatal_reasons_.empty());
  EXPECT_EQ(metrics_.Get("sagaflow_messages_handled_total{topic=\"orders/created\"}"), 0);
  ExpectOneDeadLetter(message, "totalAmount does not match the items", "o-1");
}

// Regression: the inbox claim was rolled back with the rejected handler, so a broker redelivery (DUP) of
// a rejected message was dead-lettered and published to deadletter/<topic> a second time.
TEST_F(ConsumerTest, RedeliveredRejectedMessageIsDeadLetteredOnce) {
  consumer_->On(std::string(kTopic), [&](UnitOfWork&, const Envelope&) {
    ++handler_calls_;
    return Status::InvalidArgument("unknown product");
  });
  const IncomingMessage message = Message("m-1", "o-1");
  consumer_->Handle(message);
  IncomingMessage again = message;
  again.redelivered = true;
  consumer_->Handle(again);
  EXPECT_EQ(handler_calls_, 1);
  ExpectOneDeadLetter(message, "unknown product", "o-1");
  EXPECT_EQ(metrics_.Get("sagaflow_messages_duplicate_total"), 1);
}

TEST_F(ConsumerTest, RedeliveredEnvelopeErrorIsDeadLetteredOnce) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  const IncomingMessage message{std::string(kTopic), R"({"messageId":"m-1"})", false};
  consumer_->Handle(message);
  consumer_->Handle(message);
  ExpectOneDeadLetter(message, "orderId");
}

// deadletter/<topic> byte for byte as the consumer publishes it, so that how it is written may change and what it
// is may not.
TEST_F(ConsumerTest, ADeadLetterIsTheBytesTheConsumerPublishes) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  consumer_->Handle({std::string(kTopic), R"({"messageId":"m-1","note":"\u00e9\t"})", false});
  const auto published = OutboxRows("deadletter/orders/created");
  ASSERT_EQ(published.size(), 1U);
  simdjson::dom::parser parser;
  const std::string_view message_id = parser.parse(published[0].payload)["messageId"];
  const std::string at = FormatIso8601(clock_.Now());
  EXPECT_EQ(published[0].payload,
            R"({"messageId":")" + std::string(message_id) +
                R"(","orderId":"","topic":"orders/created","payload":"{\"messageId\":\"m-1\",\"note\":)"
                R"(\"\\u00e9\\t\"}","error":"orderId must be a non-empty string without control characters",)"
                R"("at":")" +
                at + R"(","when":")" + at + R"("})");
}

TEST_F(ConsumerTest, StorageFailingThreeTimesCallsTheFatalHandler) {
  consumer_->On(std::string(kTopic), [&](UnitOfWork& uow, const Envelope& envelope) {
    RecordingHandler()(uow, envelope);
    return Status::IoError("disk I/O error");
  });
  consumer_->Handle(Message("m-1", "o-1"));
  EXPECT_EQ(handler_calls_, 3);
  ASSERT_EQ(fatal_reasons_.size(), 1U);
  EXPECT_NE(fatal_reasons_[0].find("orderId=o-1"), std::string::npos) << fatal_reasons_[0];
  EXPECT_NE(fatal_reasons_[0].find("disk I/O error"), std::string::npos) << fatal_reasons_[0];
  // Nothing was stored, not even the inbox claim, so the redelivery after a restart is handled.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inbox"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_TRUE(DeadLetters().empty());
}

TEST_F(ConsumerTest, TransientStorageFailureIsRetried) {
  auto record = RecordingHandler();
  int failures_left = 2;
  consumer_->On(std::string(kTopic), [&](UnitOfWork& uow, const Envelope& envelope) -> Status {
    Status status = record(uow, envelope);
    if (failures_left-- > 0) throw std::runtime_error("database is locked");
    return status;
  });
  consumer_->Handle(Message("m-1", "o-1"));
  EXPECT_EQ(handler_calls_, 3);
  EXPECT_TRUE(fatal_reasons_.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 1);
  EXPECT_EQ(OutboxRows("payments/process").size(), 1U);
}

// The broker's faults with a fixed seed: duplicates and reordering never make an effect happen twice.
TEST_F(ConsumerTest, DuplicatedAndReorderedDeliveryHasEveryEffectExactlyOnce) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  size_t total_delivered = 0;
  for (uint64_t seed : {1U, 2U, 3U}) {
    FakeBus bus(seed);
    bus.SetHandler(consumer_->Topics(), [this](const IncomingMessage& m) { consumer_->Handle(m); });
    const std::string prefix = "s" + std::to_string(seed) + "-";
    for (int i = 0; i < 100; ++i) {
      bus.Inject(Message(prefix + "m-" + std::to_string(i), prefix + "o-" + std::to_string(i)));
    }
    const size_t delivered = bus.Deliver({.duplicate = 0.5, .reorder = true});
    EXPECT_GT(delivered, 120U) << "seed " << seed;  // duplicates did happen
    total_delivered += delivered;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM effects WHERE message_id LIKE '" + prefix + "%'"), 100) << "seed " << seed;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT message_id FROM effects GROUP BY message_id HAVING COUNT(*) > 1)"),
              0);
  }
  EXPECT_EQ(handler_calls_, 300);
  EXPECT_EQ(metrics_.Get("sagaflow_messages_duplicate_total"), static_cast<double>(total_delivered - 300));
}

// With drops too, the owner re-sends what shows no effect (the sender repairs a lost message): in the end every
// effect exactly once.
TEST_F(ConsumerTest, LossyDuplicatingReorderingDeliveryWithResendsConverges) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  FakeBus bus(42);
  bus.SetHandler(consumer_->Topics(), [this](const IncomingMessage& m) { consumer_->Handle(m); });
  const auto has_effect = [&](int i) {
    return Count("SELECT COUNT(*) FROM effects WHERE message_id = 'm-" + std::to_string(i) + "'") > 0;
  };
  int rounds = 0;
  for (bool done = false; !done && rounds < 100; ++rounds) {
    done = true;
    for (int i = 0; i < 60; ++i) {
      if (has_effect(i)) continue;
      done = false;
      bus.Inject(Message("m-" + std::to_string(i), "o-" + std::to_string(i)));
    }
    if (!done) bus.Deliver({.drop = 0.3, .duplicate = 0.5, .reorder = true});
  }
  EXPECT_GT(rounds, 2);  // some messages were dropped and sent again
  EXPECT_EQ(Count("SELECT COUNT(*) FROM effects"), 60);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT message_id) FROM effects"), 60);
  EXPECT_EQ(handler_calls_, 60);
  EXPECT_TRUE(fatal_reasons_.empty());
}

// Outbox -> relay -> bus -> consumer: what one service appends, another handles once.
TEST_F(ConsumerTest, MessagesFromARelayedOutboxAreHandledOnce) {
  consumer_->On(std::string(kTopic), RecordingHandler());
  FakeBus bus(9);
  ASSERT_TRUE(bus.Start().ok());
  bus.SetHandler(consumer_->Topics(), [this](const IncomingMessage& m) { consumer_->Handle(m); });
  ASSERT_TRUE(db_->Write([&](UnitOfWork& uow) {
                   for (int i = 0; i < 10; ++i) {
                     outbox_->Append(uow, kTopic, Payload("m-" + std::to_string(i), "o-" + std::to_string(i)));
                   }
                   return Status::Ok();
                 })
                  .ok());
  OutboxRelay relay(*outbox_, bus, new_rows_, random_, MakeNullLogger(), metrics_);
  bus.FailPublishAfter(4);
  EXPECT_FALSE(relay.PublishOnce().ok());
  ASSERT_TRUE(relay.PublishOnce().ok());
  bus.Deliver({.duplicate = 0.5, .reorder = true});
  EXPECT_EQ(handler_calls_, 10);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT message_id) FROM effects"), 10);
}

}  // namespace
}  // namespace sagaflow::messaging
