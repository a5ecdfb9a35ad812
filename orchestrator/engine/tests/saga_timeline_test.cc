// The timeline (saga_events) the SagaManager records, with the made-up trip saga over a real SQLite file: every
// message in and out in order with its step, attempt and payload, time-outs, state changes and operator retries;
// numbered on across a restart; repeats capped per step; and the retention that deletes the timelines of settled
// sagas only.
#include "orchestrator/engine/saga_timeline.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "orchestrator/engine/saga_events.h"
#include "orchestrator/engine/saga_manager.h"
#include "orchestrator/engine/saga_store.h"
#include "runtime/testing/service_test.h"
#include "storage/retention.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::engine {
namespace trip {
SagaDefinition MakeTripSaga(bool car_compensates);  // trip_saga.cc
}  // namespace trip
namespace {

// "<seq> <kind>[ <step>][ #<attempt>][ <topic>][ (<detail>)]": a timeline as a test reads it.
std::string Describe(const SagaEvent& event) {
  std::string text = std::to_string(event.seq) + " " + std::string(ToString(event.kind));
  if (!event.step.empty()) text += " " + event.step;
  if (event.attempt) text += " #" + std::to_string(*event.attempt);
  if (!event.topic.empty()) text += " " + event.topic;
  if (!event.detail.empty()) text += " (" + event.detail + ")";
  return text;
}

class SagaTimelineTest : public runtime::testing::ServiceTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SetUpService("orchestrator", "orchestrator.db"));
    ASSERT_TRUE(registry_.Add(trip::MakeTripSaga(true), true).ok());
    ASSERT_NO_FATAL_FAILURE(StartManager());
  }
  void TearDown() override { manager_.reset(); }

  void StartManager() {
    manager_ = std::make_unique<SagaManager>(registry_, *db_, *outbox_, clock_, random_, MakeNullLogger(), metrics_);
    ASSERT_TRUE(manager_->Register(*consumer_).ok());
  }
  // The process dies after its last commit and starts again on the same file.
  void Restart() {
    manager_.reset();
    TearDownService();
    ASSERT_NO_FATAL_FAILURE(OpenService("orchestrator.db"));
    ASSERT_NO_FATAL_FAILURE(StartManager());
  }

  // Delivers a message about trip `id` with `fields` (raw JSON pairs); returns it as delivered.
  std::string Send(const std::string& topic, const std::string& id, const std::string& fields) {
    std::string payload = R"({"messageId":"m-)" + std::to_string(++messages_) + R"(","tripId":")" + id + "\"" +
                          (fields.empty() ? "" : "," + fields) + "}";
    consumer_->Handle({topic, payload, false});
    return payload;
  }
  std::string Start(const std::string& id) { return Send("trip/requested", id, R"("traveller":"ada")"); }
  std::string Booked(const std::string& step, const std::string& id, bool ok = true) {
    return Send(
        "trip/" + step + "/booked", id,
        R"("idempotencyKey":")" + id + ":" + step + (ok ? R"(","ok":true)" : R"(","ok":false,"why":"no_cars")"));
  }
  std::string Cancelled(const std::string& step, const std::string& id) {
    return Send("trip/" + step + "/cancelled", id,
                R"("idempotencyKey":")" + id + ":" + step + R"(:compensation","ok":true)");
  }
  std::string Told(const std::string& id) {
    return Send("trip/traveller_told", id, R"("idempotencyKey":")" + id + R"(:outcome")");
  }
  // Every step booked and, with `acknowledged`, the outcome acknowledged.
  void Complete(const std::string& id, bool acknowledged) {
    Start(id);
    for (const char* step : {"flight", "hotel", "car", "insurance"}) Booked(step, id);
    if (acknowledged) Told(id);
  }

  // The outbox rows appended since the last call, marked published as the relay would: a step's wait counts from
  // the publish.
  std::vector<storage::OutboxRow> TakeNew() {
    auto rows = outbox_->LoadUnpublished(10'000);
    EXPECT_TRUE(rows.ok());
    if (!rows.ok()) return {};
    std::vector<int64_t> ids;
    for (const auto& row : *rows) ids.push_back(row.id);
    EXPECT_TRUE(outbox_->MarkPublished(ids).ok());
    return std::move(*rows);
  }
  size_t FireDueTimers() {
    auto fired = manager_->FireDueTimers();
    EXPECT_TRUE(fired.ok()) << fired.status().ToString();
    return fired.ok() ? *fired : 0;
  }

  std::string SagaId(const std::string& id) {
    return storage::scratch::QueryText(*db_, "SELECT saga_id FROM sagas WHERE order_id = ?", id).value_or("<none>");
  }
  std::vector<SagaEvent> Events(const std::string& id) {
    std::vector<SagaEvent> events;
    const std::string saga_id = SagaId(id);
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     events = store::LoadEvents(sql, saga_id);
                     return Status::Ok();
                   })
                    .ok());
    return events;
  }
  // The events of trip `id` from seq `from` on, described.
  std::vector<std::string> Timeline(const std::string& id, int64_t from = 1) {
    std::vector<std::string> described;
    for (const auto& event : Events(id)) {
      if (event.seq >= from) described.push_back(Describe(event));
    }
    return described;
  }
  int64_t EventCount(const std::string& id) {
    return storage::scratch::QueryInt(*db_, "SELECT COUNT(*) FROM saga_events WHERE saga_id = ?", SagaId(id))
        .value_or(-1);
  }

  SagaRegistry registry_;
  std::unique_ptr<SagaManager> manager_;
  int messages_ = 0;
};

TEST_F(SagaTimelineTest, ACompletedSagasTimelineHoldsEveryMessageInAndOutInOrder) {
  const std::string at = FormatIso8601(clock_.Now());
  const int64_t commits = db_->commit_stats().transactions;
  std::vector<std::string> received{Start("t1")};
  for (const char* step : {"flight", "hotel", "car", "insurance"}) received.push_back(Booked(step, "t1"));
  received.push_back(Told("t1"));
  EXPECT_EQ(db_->commit_stats().transactions - commits, 6) << "one commit per message: the timeline adds none";

  EXPECT_EQ(Timeline("t1"), (std::vector<std::string>{
                                "1 saga_started trip/requested (trip version 1)",
                                "2 command_sent flight #1 trip/flight/book",
                                "3 reply_applied flight trip/flight/booked (success)",
                                "4 command_sent hotel #1 trip/hotel/book",
                                "5 command_sent car #1 trip/car/book",
                                "6 reply_applied hotel trip/hotel/booked (success)",
                                "7 reply_applied car trip/car/booked (success)",
                                "8 command_sent insurance #1 trip/insurance/book",
                                "9 reply_applied insurance trip/insurance/booked (success)",
                                "10 state_changed (RUNNING -> COMPLETED)",
                                "11 outcome_sent outcome #1 trip/booked",
                                "12 outcome_acknowledged outcome trip/traveller_told (acknowledged)",
                            }));
  // What was received is kept as received, what was sent as the outbox row that carried it.
  const auto events = Events("t1");
  const auto sent = TakeNew();
  ASSERT_EQ(events.size(), 12U);
  ASSERT_EQ(sent.size(), 5U);
  size_t next_received = 0;
  size_t next_sent = 0;
  for (const auto& event : events) {
    EXPECT_EQ(event.at, at) << Describe(event);
    if (event.kind == EventKind::kStateChanged) {
      EXPECT_EQ(event.payload, "");
    } else if (event.kind == EventKind::kCommandSent || event.kind == EventKind::kOutcomeSent) {
      EXPECT_EQ(event.topic, sent[next_sent].topic);
      EXPECT_EQ(event.payload, sent[next_sent++].payload) << Describe(event);
    } else {
      EXPECT_EQ(event.payload, received[next_received++]) << Describe(event);
    }
  }
  EXPECT_EQ(next_sent, sent.size());
  EXPECT_EQ(next_received, received.size());
}

TEST_F(SagaTimelineTest, ATimeOutIsRecordedBeforeTheSendItCausesAndTheLastOneBeforeTheCompensation) {
  Start("t1");
  TakeNew();
  clock_.Advance(Millis(1'000));
  EXPECT_EQ(FireDueTimers(), 1U);
  const auto resent = TakeNew();
  ASSERT_EQ(resent.size(), 1U);
  const auto events = Events("t1");
  EXPECT_EQ(Timeline("t1", 3), (std::vector<std::string>{
                                   "3 timeout flight #1 (no reply to the command: sent again)",
                                   "4 command_sent flight #2 trip/flight/book",
                               }));
  ASSERT_EQ(events.size(), 4U);
  EXPECT_EQ(events[3].payload, resent[0].payload);
  EXPECT_EQ(events[2].at, FormatIso8601(clock_.Now()));

  // The third send is the last: its time-out fails the step, and the saga undoes the flight it may have booked.
  clock_.Advance(Millis(2'000));
  EXPECT_EQ(FireDueTimers(), 1U);
  TakeNew();
  clock_.Advance(Millis(4'000));
  EXPECT_EQ(FireDueTimers(), 1U);
  const std::string last_timeout =
      "7 timeout flight #3 (no reply to the command: out of attempts: the step failed (timeout))";
  EXPECT_EQ(Timeline("t1", 5), (std::vector<std::string>{
                                   "5 timeout flight #2 (no reply to the command: sent again)",
                                   "6 command_sent flight #3 trip/flight/book",
                                   last_timeout,
                                   "8 state_changed (RUNNING -> COMPENSATING: timeout)",
                                   "9 compensation_sent flight #1 trip/flight/cancel",
                               }));
}

TEST_F(SagaTimelineTest, AFailureShowsTheReplyTheStateAndEachCompensationSentAndConfirmed) {
  Start("t1");
  Booked("flight", "t1");
  Booked("hotel", "t1");
  const std::string declined = Booked("car", "t1", false);
  Cancelled("hotel", "t1");
  Cancelled("flight", "t1");
  EXPECT_EQ(Timeline("t1", 6), (std::vector<std::string>{
                                   "6 reply_applied hotel trip/hotel/booked (success)",
                                   "7 reply_applied car trip/car/booked (failure: no_cars)",
                                   "8 state_changed (RUNNING -> COMPENSATING: no_cars)",
                                   "9 compensation_sent hotel #1 trip/hotel/cancel",
                                   "10 compensation_confirmed hotel trip/hotel/cancelled (compensation success)",
                                   "11 compensation_sent flight #1 trip/flight/cancel",
                                   "12 compensation_confirmed flight trip/flight/cancelled (compensation success)",
                                   "13 state_changed (COMPENSATING -> CANCELLED: no_cars)",
                                   "14 outcome_sent outcome #1 trip/abandoned",
                               }));
  const auto events = Events("t1");
  ASSERT_EQ(events.size(), 14U);
  EXPECT_EQ(events[6].payload, declined);
}

TEST_F(SagaTimelineTest, RepliesAndStartsThatChangeNothingAreRecordedAsSuch) {
  Start("t1");
  const std::string booked = Booked("flight", "t1");
  consumer_->Handle({"trip/flight/booked", booked, true});  // redelivered
  Send("trip/flight/booked", "t1", R"("idempotencyKey":"t9:flight","ok":true)");
  Start("t1");
  Cancelled("hotel", "t1");  // a confirmation of nothing the saga sent
  EXPECT_EQ(Timeline("t1", 6), (std::vector<std::string>{
                                   "6 reply_ignored flight trip/flight/booked (late: success)",
                                   "7 reply_ignored flight trip/flight/booked (ignored (key t9:flight): success)",
                                   "8 start_repeated trip/requested (saga is RUNNING: nothing sent)",
                                   "9 reply_ignored hotel trip/hotel/cancelled (late compensation reply: success)",
                               }));
  const auto events = Events("t1");
  ASSERT_EQ(events.size(), 9U);
  EXPECT_EQ(events[5].payload, booked);

  // A finished saga answers a repeated start with its outcome, and the acknowledgement of an outcome not awaited.
  for (const char* step : {"hotel", "car", "insurance"}) Booked(step, "t1");
  Told("t1");
  TakeNew();  // the outcome went out
  const int64_t before = EventCount("t1");
  Start("t1");
  Told("t1");
  EXPECT_EQ(Timeline("t1", before + 1),
            (std::vector<std::string>{
                std::to_string(before + 1) + " start_repeated trip/requested (saga is COMPLETED: outcome sent again)",
                std::to_string(before + 2) + " outcome_sent outcome #2 trip/booked",
                std::to_string(before + 3) +
                    " reply_ignored outcome trip/traveller_told (not awaited: the outcome is SUCCEEDED)",
            }));
}

TEST_F(SagaTimelineTest, AnOperatorRetryIsRecordedWithWhatItDid) {
  Start("t1");
  Booked("flight", "t1");
  Booked("hotel", "t1");
  Booked("car", "t1", false);
  TakeNew();
  // The hotel's cancellation is never confirmed: after its third send the saga waits for an operator.
  for (const int wait : {1'000, 2'000, 3'000}) {
    clock_.Advance(Millis(wait));
    EXPECT_EQ(FireDueTimers(), 1U);
    TakeNew();
  }
  const std::string saga_id = SagaId("t1");
  auto retried = manager_->Redrive(saga_id);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  const std::string last_timeout =
      "14 timeout hotel #3 (no confirmation of the compensation: out of attempts: the compensation failed)";
  EXPECT_EQ(Timeline("t1", 14),
            (std::vector<std::string>{
                last_timeout,
                "15 state_changed (COMPENSATING -> FAILED: a compensation was never confirmed)",
                "16 redrive (operator retry: saga " + saga_id + " was FAILED, is COMPENSATING; 2 messages sent)",
                "17 state_changed (FAILED -> COMPENSATING: no_cars)",
                "18 compensation_sent hotel #1 trip/hotel/cancel",
            }));
}

TEST_F(SagaTimelineTest, EventsAreNumberedOnAfterTheProcessRestarts) {
  Start("t1");
  Booked("flight", "t1");
  ASSERT_EQ(EventCount("t1"), 5);
  ASSERT_NO_FATAL_FAILURE(Restart());
  Booked("hotel", "t1");
  ASSERT_NO_FATAL_FAILURE(Restart());
  Booked("car", "t1");
  const auto events = Events("t1");
  ASSERT_EQ(events.size(), 8U);
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].seq, static_cast<int64_t>(i + 1));
  EXPECT_EQ(Describe(events[5]), "6 reply_applied hotel trip/hotel/booked (success)");
  EXPECT_EQ(Describe(events[7]), "8 command_sent insurance #1 trip/insurance/book");
  EXPECT_TRUE(fatal_reasons_.empty());
}

TEST_F(SagaTimelineTest, RepeatsAreRecordedUpToTheCapPerStepWhileDecisionsAlwaysAre) {
  Start("t1");
  const std::string booked = Booked("flight", "t1");
  const std::string padded = R"("pad":")" + std::string(10'000, 'x') + "\"";
  for (int i = 0; i < 10; ++i) Send("trip/flight/booked", "t1", R"("idempotencyKey":"t1:flight","ok":true,)" + padded);
  for (int i = 0; i < 30; ++i) consumer_->Handle({"trip/flight/booked", booked, true});
  for (int i = 0; i < 30; ++i) Start("t1");
  Send("trip/hotel/booked", "t1", R"("idempotencyKey":"other","ok":true)");

  const auto count = [&](const std::string& where) {
    return storage::scratch::QueryInt(*db_, "SELECT COUNT(*) FROM saga_events WHERE saga_id = ? AND " + where,
                                      SagaId("t1"))
        .value_or(-1);
  };
  EXPECT_EQ(count("kind = 'reply_ignored' AND step = 'flight'"), Timeline::kRepeatsRecorded);
  EXPECT_EQ(count("kind = 'start_repeated' AND step IS NULL"), Timeline::kRepeatsRecorded);
  EXPECT_EQ(count("kind = 'reply_ignored' AND step = 'hotel'"), 1) << "another step has its own count";
  EXPECT_EQ(count("kind = 'reply_ignored' AND detail LIKE '%later ones are not)'"), 1);
  EXPECT_EQ(count("kind = 'start_repeated' AND detail LIKE '%later ones are not)'"), 1);
  EXPECT_EQ(count("kind = 'reply_ignored' AND length(payload) > 4096"), 10) << "the padded ones, cut";
  EXPECT_EQ(count("length(payload) > 4200"), 0) << "a repeat keeps at most 4 KiB of its payload";

  // Decisions are still recorded.
  Booked("hotel", "t1");
  const auto events = Events("t1");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(Describe(events.back()),
            std::to_string(events.size()) + " reply_applied hotel trip/hotel/booked (success)");
  EXPECT_EQ(events.size(), 5U + 2 * Timeline::kRepeatsRecorded + 1 + 1);
}

class TimelineRetentionTest : public SagaTimelineTest {
 protected:
  Result<int64_t> Prune(int limit) {
    return store::PruneSettledTimelines(*db_, clock_.Now() - kDefaultTimelineRetention, limit);
  }
};

TEST_F(TimelineRetentionTest, OnlyTheTimelinesOfSagasSettledLongerThanTheWindowAreDeleted) {
  Complete("old-settled", true);
  Complete("old-unacknowledged", false);
  Start("old-running");
  Complete("old-touched", true);
  clock_.Advance(std::chrono::hours(24 * 7 - 1));
  Start("old-touched");  // a repeated start an hour before the window ends
  Complete("new-settled", true);
  clock_.Advance(std::chrono::hours(2));
  const int64_t settled = EventCount("old-settled");
  ASSERT_EQ(settled, 12);
  const int64_t sagas = CountRows("sagas");
  const int64_t steps = CountRows("saga_steps");
  const int64_t others = CountRows("saga_events") - settled;

  // A small batch leaves the saga's first events, so the next pass finds the rest.
  auto pruned = Prune(5);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, 5);
  EXPECT_EQ(Timeline("old-settled").front(), "1 saga_started trip/requested (trip version 1)");
  pruned = Prune(10'000);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, settled - 5);
  EXPECT_EQ(EventCount("old-settled"), 0);
  EXPECT_EQ(CountRows("saga_events"), others);
  for (const char* kept : {"old-unacknowledged", "old-running", "old-touched", "new-settled"}) {
    EXPECT_GT(EventCount(kept), 0) << kept;
  }
  EXPECT_EQ(CountRows("sagas"), sagas) << "sagas are kept for ever";
  EXPECT_EQ(CountRows("saga_steps"), steps);
  EXPECT_EQ(*Prune(10'000), 0);

  // An event after the deletion begins the timeline again; it goes in its turn.
  TakeNew();  // the outcome went out
  Start("old-settled");
  EXPECT_EQ(Timeline("old-settled").front(), "1 start_repeated trip/requested (saga is COMPLETED: outcome sent again)");
  Told("old-settled");
  ASSERT_EQ(EventCount("old-settled"), 3);
  clock_.Advance(kDefaultTimelineRetention);
  const int64_t touched_and_new = EventCount("old-touched") + EventCount("new-settled");
  EXPECT_EQ(*Prune(10'000), touched_and_new);
  EXPECT_EQ(EventCount("old-settled"), 3) << "the window counts from the last event, exactly a window ago";
  clock_.Advance(Millis(1));
  EXPECT_EQ(*Prune(10'000), 3);
  EXPECT_EQ(CountRows("saga_events"), EventCount("old-unacknowledged") + EventCount("old-running"));
}

TEST_F(TimelineRetentionTest, TheCleanUpTaskRunsTheRuleWithItsWindowInBatches) {
  Complete("a", true);
  Complete("b", true);
  storage::Retention retention(clock_, 10);
  retention.Add(TimelineRetention(*db_, std::chrono::hours(1)));
  clock_.Advance(std::chrono::minutes(59));
  auto pass = retention.RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(CountRows("saga_events"), 24);
  clock_.Advance(std::chrono::minutes(2));
  pass = retention.RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->delay(), Millis(0)) << "a full batch: more is waiting";
  EXPECT_EQ(CountRows("saga_events"), 14);
  for (int more = 0; more < 2; ++more) ASSERT_TRUE(retention.RunOnce().ok());
  EXPECT_EQ(CountRows("saga_events"), 0);
  pass = retention.RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_FALSE(pass->delay().has_value()) << "nothing left: the next pass at the interval";
}

}  // namespace
}  // namespace sagaflow::engine
