// SagaManager with made-up sagas over a real SQLite file: the engine's plumbing (consumer routes, store, timers,
// versions) knows no orders. Two definitions run side by side, named apart by (definition, correlation id); a saga
// survives its process dying after every message; a saga finishes on the version it began on.
#include "orchestrator/engine/saga_manager.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "common/json.h"
#include "common/json_writer.h"
#include "orchestrator/engine/saga_store.h"
#include "runtime/testing/service_test.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::engine {
namespace trip {
SagaDefinition MakeTripSaga(bool car_compensates);                     // trip_saga.cc
SagaDefinition Renamed(SagaDefinition saga, const std::string& name);  // trip_saga.cc
}  // namespace trip
namespace {

struct Row {
  int64_t id;
  std::string topic;
  std::string payload;
};

class EngineSagaManagerTest : public runtime::testing::ServiceTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SetUpService("orchestrator", "orchestrator.db"));
    ASSERT_TRUE(registry_.Add(trip::MakeTripSaga(true), true).ok());
    ASSERT_TRUE(registry_.Add(trip::Renamed(trip::MakeTripSaga(true), "parcel"), true).ok());
    StartManager(registry_);
  }
  void TearDown() override { manager_.reset(); }

  void StartManager(const SagaRegistry& registry) {
    manager_ = std::make_unique<SagaManager>(registry, *db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_);
    ASSERT_TRUE(manager_->CheckActiveSagas().ok());
    ASSERT_TRUE(manager_->Register(*consumer_).ok());
  }
  // The process dies after its last commit and starts again on the same file, with `registry`.
  void Restart(const SagaRegistry& registry) {
    manager_.reset();
    TearDownService();
    ASSERT_NO_FATAL_FAILURE(OpenService("orchestrator.db"));
    StartManager(registry);
  }

  void Deliver(const std::string& topic, const std::string& payload) { consumer_->Handle({topic, payload, false}); }
  // A message of saga `name` ("trip": tripId) about `id`, with `fields` as raw JSON pairs.
  void Send(const std::string& topic, const std::string& field, const std::string& id, const std::string& fields) {
    Deliver(topic, R"({"messageId":"m-)" + std::to_string(++messages_) + R"(",")" + field + R"(":")" + id + "\"" +
                       (fields.empty() ? "" : "," + fields) + "}");
  }

  // The outbox rows appended since the last call.
  std::vector<Row> TakeNew() {
    std::vector<Row> rows;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     auto& select = sql.Prepare("SELECT id, topic, payload FROM outbox WHERE id > ? ORDER BY id");
                     select.bind(1, last_row_);
                     while (select.executeStep()) {
                       rows.push_back({select.getColumn(0).getInt64(), select.getColumn(1).getString(),
                                       select.getColumn(2).getString()});
                     }
                     return Status::Ok();
                   })
                    .ok());
    if (!rows.empty()) last_row_ = rows.back().id;
    return rows;
  }

  std::optional<SagaInstance> Load(const std::string& definition, const std::string& id) {
    std::optional<SagaInstance> saga;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     saga = store::LoadByCorrelation(sql, definition, id);
                     return Status::Ok();
                   })
                    .ok());
    return saga;
  }
  std::string StepStatusOf(const std::string& definition, const std::string& id, const std::string& step) {
    auto saga = Load(definition, id);
    if (!saga || saga->Step(step) == nullptr) return "<none>";
    return std::string(ToString(saga->Step(step)->status));
  }

  // Plays every participant of the trip saga until the saga sends nothing more: bookings succeed except the car's
  // when `car_fails`, cancellations succeed, the outcome is acknowledged. With `restart`, the process dies and
  // starts again after every message it handled. Returns what the saga sent, in order.
  std::vector<std::string> PlayTrip(const std::string& id, bool car_fails, bool restart) {
    std::vector<std::string> sent;
    Send("trip/requested", "tripId", id, R"("traveller":"ada")");
    for (int round = 0; round < 50; ++round) {
      const auto rows = TakeNew();
      if (rows.empty()) return sent;
      for (const auto& row : rows) {
        simdjson::dom::parser parser;
        auto root = ParseJson(parser, row.payload);
        if (!root.ok()) continue;
        simdjson::dom::object body = root->get_object().value();
        const std::string key(GetStringOr(body, "idempotencyKey", ""));
        const std::string what(GetStringOr(body, "what", ""));
        sent.push_back(row.topic + (what.empty() ? "" : " (" + what + ")"));
        const std::string key_field = R"("idempotencyKey":")" + key + "\"";
        if (row.topic == "trip/booked" || row.topic == "trip/abandoned") {
          Send("trip/traveller_told", "tripId", id, key_field);
        } else if (row.topic.ends_with("/book")) {
          const bool ok = !(car_fails && row.topic == "trip/car/book");
          Send(row.topic.substr(0, row.topic.size() - 4) + "booked", "tripId", id,
               key_field + (ok ? R"(,"ok":true)" : R"(,"ok":false,"why":"no_cars")"));
        } else if (row.topic.ends_with("/cancel")) {
          Send(row.topic.substr(0, row.topic.size() - 6) + "cancelled", "tripId", id, key_field + R"(,"ok":true)");
        }
        if (restart) Restart(registry_);
      }
    }
    ADD_FAILURE() << "the saga did not settle";
    return sent;
  }

  SagaRegistry registry_;
  std::unique_ptr<SagaManager> manager_;
  int messages_ = 0;
  int64_t last_row_ = 0;
};

TEST_F(EngineSagaManagerTest, TwoDefinitionsKeepTheirOwnSagasUnderTheSameCorrelationId) {
  Send("trip/requested", "tripId", "x1", R"("traveller":"ada")");
  Send("parcel/requested", "parcelId", "x1", R"("traveller":"bob")");
  EXPECT_EQ(CountRows("sagas"), 2);
  ASSERT_TRUE(Load("trip", "x1").has_value());
  ASSERT_TRUE(Load("parcel", "x1").has_value());
  EXPECT_NE(Load("trip", "x1")->saga_id, Load("parcel", "x1")->saga_id);
  EXPECT_EQ(Load("parcel", "x1")->data, R"({"messageId":"m-2","parcelId":"x1","traveller":"bob"})");

  Send("trip/flight/booked", "tripId", "x1", R"("idempotencyKey":"x1:flight","ok":true)");
  EXPECT_EQ(StepStatusOf("trip", "x1", "flight"), "SUCCEEDED");
  EXPECT_EQ(StepStatusOf("parcel", "x1", "flight"), "RUNNING") << "the other definition's saga is untouched";

  // A parcel reply read with the parcel's correlation field; a tripId means nothing on its topic.
  Send("parcel/flight/booked", "tripId", "x1", R"("idempotencyKey":"x1:flight","ok":false,"why":"lost")");
  EXPECT_EQ(StepStatusOf("parcel", "x1", "flight"), "RUNNING");
  Send("parcel/flight/booked", "parcelId", "x1", R"("idempotencyKey":"x1:flight","ok":false,"why":"lost")");
  EXPECT_EQ(StepStatusOf("parcel", "x1", "flight"), "FAILED");
  EXPECT_EQ(StepStatusOf("trip", "x1", "flight"), "SUCCEEDED");

  // A reply for a correlation id that only the other definition has is about no saga of this one.
  Send("trip/requested", "tripId", "only-trip", R"("traveller":"eve")");
  Send("parcel/flight/booked", "parcelId", "only-trip", R"("idempotencyKey":"only-trip:flight","ok":true)");
  EXPECT_FALSE(Load("parcel", "only-trip").has_value());
  EXPECT_EQ(StepStatusOf("trip", "only-trip", "flight"), "RUNNING");
}

TEST_F(EngineSagaManagerTest, AnOperatorRetryOfACorrelationIdSharedByTwoDefinitionsMustNameOne) {
  Send("trip/requested", "tripId", "x1", R"("traveller":"ada")");
  Send("parcel/requested", "parcelId", "x1", R"("traveller":"bob")");
  auto ambiguous = manager_->Redrive("x1");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_TRUE(ambiguous.status().IsInvalidArgument());
  EXPECT_NE(ambiguous.status().message().find("parcel, trip"), std::string::npos) << ambiguous.status().message();
  TakeNew();
  auto named = manager_->Redrive("x1", "parcel");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  const auto sent = TakeNew();
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_EQ(sent[0].topic, "parcel/flight/book");
  EXPECT_TRUE(manager_->Redrive(Load("trip", "x1")->saga_id).ok()) << "a saga id names one saga";
  EXPECT_TRUE(manager_->Redrive("x1", "nothing").status().IsNotFound());
}

TEST_F(EngineSagaManagerTest, ASagaWhoseProcessDiesAfterEveryMessageDoesExactlyWhatAnUninterruptedOneDoes) {
  for (bool car_fails : {false, true}) {
    const std::string suffix = car_fails ? "-car-fails" : "-booked";
    const auto uninterrupted = PlayTrip("plain" + suffix, car_fails, false);
    const auto restarted = PlayTrip("restarted" + suffix, car_fails, true);
    EXPECT_EQ(restarted, uninterrupted) << suffix;
    auto saga = Load("trip", "restarted" + suffix);
    ASSERT_TRUE(saga.has_value());
    EXPECT_EQ(ToString(saga->state), car_fails ? "CANCELLED" : "COMPLETED");
    EXPECT_EQ(saga->failure_reason, car_fails ? "no_cars" : "");
    EXPECT_FALSE(saga->NextDeadline().has_value()) << "nothing left awaited";
  }
  // The failing run compensated what was booked, in reverse stage order, and nothing else.
  const auto failing = PlayTrip("again-car-fails", true, false);
  const std::vector<std::string> expected{"trip/flight/book (book flight)",     "trip/hotel/book (book hotel)",
                                          "trip/car/book (book car)",           "trip/hotel/cancel (cancel hotel)",
                                          "trip/flight/cancel (cancel flight)", "trip/abandoned"};
  EXPECT_EQ(failing, expected);
}

TEST_F(EngineSagaManagerTest, ASagaFinishesOnTheVersionItBeganOnWhileNewOnesStartOnTheCurrentOne) {
  Send("trip/requested", "tripId", "old", R"("traveller":"ada")");
  ASSERT_EQ(Load("trip", "old")->definition_version, 1);

  // Version 2 drops the insurance; the orchestrator starts again holding it as current and version 1 for "old".
  SagaRegistry upgraded;
  SagaDefinition v2 = trip::MakeTripSaga(true);
  v2.version = 2;
  v2.stages.pop_back();
  ASSERT_TRUE(upgraded.Add(std::move(v2), true).ok());
  ASSERT_TRUE(upgraded.Add(trip::MakeTripSaga(true), false).ok());
  Restart(upgraded);
  TakeNew();

  Send("trip/requested", "tripId", "new", R"("traveller":"bob")");
  EXPECT_EQ(Load("trip", "new")->definition_version, 2);
  EXPECT_EQ(Load("trip", "new")->Step("insurance"), nullptr);
  for (const std::string id : {"old", "new"}) {
    for (const std::string step : {"flight", "hotel", "car"}) {
      Send("trip/" + step + "/booked", "tripId", id, R"("idempotencyKey":")" + id + ":" + step + R"(","ok":true)");
    }
  }
  EXPECT_EQ(ToString(Load("trip", "new")->state), "COMPLETED");
  EXPECT_EQ(ToString(Load("trip", "old")->state), "RUNNING");
  EXPECT_EQ(StepStatusOf("trip", "old", "insurance"), "RUNNING") << "version 1 still insures";
  Send("trip/insurance/booked", "tripId", "old", R"("idempotencyKey":"old:insurance","ok":true)");
  EXPECT_EQ(ToString(Load("trip", "old")->state), "COMPLETED");

  // Without version 1 the manager refuses to run: "old" still awaits its outcome's acknowledgement.
  SagaRegistry without_v1;
  SagaDefinition only_v2 = trip::MakeTripSaga(true);
  only_v2.version = 2;
  only_v2.stages.pop_back();
  ASSERT_TRUE(without_v1.Add(std::move(only_v2), true).ok());
  SagaManager refusing(without_v1, *db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_);
  Status refused = refusing.CheckActiveSagas();
  EXPECT_TRUE(refused.IsFailedPrecondition()) << refused.ToString();
  EXPECT_NE(refused.message().find("version 1"), std::string::npos) << refused.message();
}

}  // namespace
}  // namespace sagaflow::engine
