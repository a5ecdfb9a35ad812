// saga_store against a real SQLite file (orchestrator migrations), and the restart property: at every
// point of a scripted run of the made-up trip saga, saving the instance, loading it back and continuing
// from the loaded copy gives the same actions and the same final state as a run that never stopped.
#include "orchestrator/engine/saga_store.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "orchestrator/engine/saga_engine.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::engine {
namespace trip {
SagaDefinition MakeTripSaga(bool car_compensates);  // trip_saga.cc
}  // namespace trip

namespace {

constexpr double kRandomUnit = 0.5;

std::string Describe(const std::optional<TimePoint>& t) {
  return t ? std::to_string(ToEpochMillis(*t)) : "-";
}

// Every field of the instance; steps keyed by name (their order in the vector is not state).
std::string Describe(const SagaInstance& saga) {
  std::string out = "saga " + saga.saga_id + " corr=" + saga.correlation_id + " def=" + saga.definition +
                    " data=" + saga.data + " state=" + std::string(ToString(saga.state)) +
                    " stage=" + std::to_string(saga.stage) + " reason=" + saga.failure_reason +
                    " created=" + Describe(saga.created_at) + " updated=" + Describe(saga.updated_at) + "\n";
  std::map<std::string, std::string> steps;
  for (const auto& step : saga.steps) {
    steps[step.name] = "  " + step.name + " stage=" + std::to_string(step.stage) +
                       " status=" + std::string(ToString(step.status)) + " attempts=" + std::to_string(step.attempts) +
                       "/" + std::to_string(step.compensation_attempts) + " deadline=" + Describe(step.deadline) +
                       " sent=" + Describe(step.sent_at) + " reason=" + step.failure_reason +
                       " last=" + step.last_reply + "\n";
  }
  for (const auto& [name, line] : steps) out += line;
  return out;
}

std::string Describe(const Action& action) {
  switch (action.kind) {
    case ActionKind::kSendCommand:
      return "command " + action.step + " " + action.idempotency_key + " #" + std::to_string(action.attempt);
    case ActionKind::kSendCompensation:
      return "compensate " + action.step + " " + action.idempotency_key + " #" + std::to_string(action.attempt);
    case ActionKind::kSendOutcome:
      return "outcome " + action.idempotency_key + " #" + std::to_string(action.attempt);
    case ActionKind::kProgress:
      return "progress " + action.step + " " + action.progress.event + " " + action.progress.reason;
  }
  return "?";
}

using storage::scratch::TempDir;

std::unique_ptr<storage::Database> OpenOrchestratorDb(const std::filesystem::path& file) {
  auto db = storage::scratch::OpenMigrated(file, "orchestrator", ManualClock().Now());
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return nullptr;
  return std::move(db).value();
}

void Save(storage::Database& db, const SagaInstance& saga, const SagaInstance* stored = nullptr) {
  Status saved = db.Write([&](storage::UnitOfWork& uow) {
    store::Save(uow, saga, stored);
    return Status::Ok();
  });
  ASSERT_TRUE(saved.ok()) << saved.ToString();
}

std::optional<SagaInstance> LoadById(storage::Database& db, const std::string& saga_id) {
  std::optional<SagaInstance> loaded;
  Status read = db.Read([&](storage::Sql& sql) {
    loaded = store::LoadById(sql, saga_id);
    return Status::Ok();
  });
  EXPECT_TRUE(read.ok()) << read.ToString();
  return loaded;
}

// ----------------------------------------------------------------------------------------------------
// A scripted run

struct Event {
  enum class Kind { kStart, kReject, kReply, kTimers, kRedrive, kRepeatedStart };
  Kind kind = Kind::kStart;
  Reply reply;                    // kReply; an empty key means "the right key"
  Millis advance{0};              // the clock moves this much before the event
  bool to_next_deadline = false;  // the clock moves to the saga's next deadline before the event
  std::string wrong_key;          // kReply: send this key instead
};

Event Make(Event::Kind kind, Reply reply = {}) {
  Event event;
  event.kind = kind;
  event.reply = std::move(reply);
  return event;
}
Event Start() {
  return Make(Event::Kind::kStart);
}
Event Reject() {
  return Make(Event::Kind::kReject);
}
Event Ok(const std::string& step) {
  return Make(Event::Kind::kReply, {step, false, "", true, ""});
}
Event Fail(const std::string& step, const std::string& reason) {
  return Make(Event::Kind::kReply, {step, false, "", false, reason});
}
Event Compensated(const std::string& step) {
  return Make(Event::Kind::kReply, {step, true, "", true, ""});
}
Event CompensationRefused(const std::string& step) {
  return Make(Event::Kind::kReply, {step, true, "", false, "refused"});
}
Event Ack() {
  return Make(Event::Kind::kReply, {std::string(kOutcomeStep), false, "", true, ""});
}
Event WrongKey(const std::string& step) {
  Event event = Ok(step);
  event.wrong_key = "someone-else:" + step;
  return event;
}
Event NextDeadline() {
  Event event = Make(Event::Kind::kTimers);
  event.to_next_deadline = true;
  return event;
}
Event After(Millis by) {
  Event event = Make(Event::Kind::kTimers);
  event.advance = by;
  return event;
}
Event Redrive(Millis after) {
  Event event = Make(Event::Kind::kRedrive);
  event.advance = after;
  return event;
}
Event StartAgain() {
  return Make(Event::Kind::kRepeatedStart);
}

struct RunResult {
  std::vector<std::string> log;  // "<event>: <action>" for every action, in order
  SagaInstance saga;
};

// Runs `script` on a fresh instance. Before every event i with restart(i), the instance is saved to `db`,
// dropped, and replaced by what LoadById returns (which must describe the same state). Once it was loaded,
// it is saved against the loaded copy (only what changed is written), as the manager saves it.
RunResult RunScript(const SagaDefinition& definition, const std::vector<Event>& script,
                    const std::function<bool(size_t)>& restart, storage::Database* db) {
  const SagaEngine engine(definition);
  ManualClock clock;
  RunResult result;
  SagaInstance saga = engine.Create("saga-t1", "t1", R"({"traveller":"ada"})", clock.Now());
  std::optional<SagaInstance> stored;
  for (size_t i = 0; i < script.size(); ++i) {
    if (db != nullptr && restart(i)) {
      Save(*db, saga, stored ? &*stored : nullptr);
      std::optional<SagaInstance> loaded = LoadById(*db, saga.saga_id);
      EXPECT_TRUE(loaded.has_value());
      if (!loaded) return result;
      EXPECT_EQ(Describe(*loaded), Describe(saga)) << "round trip before event " << i;
      saga = std::move(*loaded);
      stored = saga;
    }
    const Event& event = script[i];
    clock.Advance(event.advance);
    if (event.to_next_deadline) {
      const auto next = saga.NextDeadline();
      EXPECT_TRUE(next.has_value()) << "event " << i << " waits for a deadline, but there is none";
      if (next) clock.Set(*next);
    }
    std::vector<Action> actions;
    switch (event.kind) {
      case Event::Kind::kStart:
        actions = engine.Start(saga, clock.Now());
        break;
      case Event::Kind::kReject:
        actions = engine.Reject(saga, clock.Now());
        break;
      case Event::Kind::kReply: {
        Reply reply = event.reply;
        if (!event.wrong_key.empty()) {
          reply.idempotency_key = event.wrong_key;
        } else if (reply.step == kOutcomeStep) {
          reply.idempotency_key = SagaEngine::OutcomeKey(saga);
        } else {
          reply.idempotency_key = reply.compensation ? SagaEngine::CompensationKey(saga, reply.step)
                                                     : SagaEngine::CommandKey(saga, reply.step);
        }
        actions = engine.OnReply(saga, reply, clock.Now(), kRandomUnit);
        break;
      }
      case Event::Kind::kTimers:
        actions = engine.OnTimers(saga, clock.Now(), kRandomUnit);
        break;
      case Event::Kind::kRedrive:
        actions = engine.Redrive(saga, clock.Now());
        break;
      case Event::Kind::kRepeatedStart:
        actions = engine.OnRepeatedStart(saga, clock.Now());
        break;
    }
    for (const auto& action : actions) result.log.push_back(std::to_string(i) + ": " + Describe(action));
    result.log.push_back(std::to_string(i) + ": saga " + std::string(ToString(saga.state)));
  }
  result.saga = std::move(saga);
  return result;
}

// The uninterrupted run, then one run per event with a restart just before it, then one run restarted
// before every event: all must send the same messages and end in the same state.
void ExpectRestartAnywhereChangesNothing(const SagaDefinition& definition, const std::vector<Event>& script,
                                         const std::string& final_state) {
  const RunResult baseline = RunScript(
      definition, script, [](size_t) { return false; }, nullptr);
  ASSERT_EQ(std::string(ToString(baseline.saga.state)), final_state) << ::testing::PrintToString(baseline.log);
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  for (size_t k = 0; k <= script.size(); ++k) {
    auto db = OpenOrchestratorDb(dir.path() / ("restart-" + std::to_string(k) + ".db"));
    ASSERT_NE(db, nullptr);
    const RunResult restarted = RunScript(
        definition, script, [k](size_t i) { return i == k; }, db.get());
    EXPECT_EQ(restarted.log, baseline.log) << "restart before event " << k;
    EXPECT_EQ(Describe(restarted.saga), Describe(baseline.saga)) << "restart before event " << k;
  }
  auto db = OpenOrchestratorDb(dir.path() / "restart-always.db");
  ASSERT_NE(db, nullptr);
  const RunResult always = RunScript(
      definition, script, [](size_t) { return true; }, db.get());
  EXPECT_EQ(always.log, baseline.log);
  EXPECT_EQ(Describe(always.saga), Describe(baseline.saga));
  // The last state, too, survives a save and load.
  Save(*db, always.saga);
  auto last = LoadById(*db, always.saga.saga_id);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(Describe(*last), Describe(baseline.saga));
}

// ----------------------------------------------------------------------------------------------------
// The store

class SagaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    db_ = OpenOrchestratorDb(dir_.path() / "orchestrator.db");
    ASSERT_NE(db_, nullptr);
  }

  SagaInstance Started(const std::string& correlation_id) {
    SagaInstance saga =
        engine_.Create("saga-" + correlation_id, correlation_id, R"({"traveller":"ada"})", clock_.Now());
    engine_.Start(saga, clock_.Now());
    return saga;
  }

  TempDir dir_;
  std::unique_ptr<storage::Database> db_;
  const SagaDefinition definition_ = trip::MakeTripSaga(true);
  const SagaEngine engine_{definition_};
  ManualClock clock_;
};

TEST_F(SagaStoreTest, SaveThenLoadRoundTripsEveryField) {
  SagaInstance saga = Started("t1");
  saga.state = SagaState::kFailed;
  saga.stage = 1;
  saga.failure_reason = "no_rooms";
  saga.updated_at = clock_.Now() + Millis(12'345);
  StepState& hotel = *saga.Step("hotel");
  hotel.status = StepStatus::kCompensationFailed;
  hotel.attempts = 2;
  hotel.compensation_attempts = 7;
  hotel.deadline = clock_.Now() + Millis(1'001);
  hotel.sent_at = clock_.Now() + Millis(17);
  hotel.failure_reason = "timeout";
  hotel.last_reply = "compensation failure: refused \"quoted\" 'and' ünïcode";
  Save(*db_, saga);

  auto by_id = LoadById(*db_, "saga-t1");
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(Describe(*by_id), Describe(saga));
  std::optional<SagaInstance> by_correlation;
  ASSERT_TRUE(db_->Read([&](storage::Sql& sql) {
                   by_correlation = store::LoadByCorrelation(sql, "trip", "t1");
                   return Status::Ok();
                 })
                  .ok());
  ASSERT_TRUE(by_correlation.has_value());
  EXPECT_EQ(Describe(*by_correlation), Describe(saga));
}

TEST_F(SagaStoreTest, LoadingAnUnknownSagaGivesNothing) {
  Save(*db_, Started("t1"));
  EXPECT_FALSE(LoadById(*db_, "saga-t2").has_value());
  std::optional<SagaInstance> by_correlation;
  ASSERT_TRUE(db_->Read([&](storage::Sql& sql) {
                   by_correlation = store::LoadByCorrelation(sql, "trip", "saga-t1");  // an id is not a correlation id
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_FALSE(by_correlation.has_value());
}

TEST_F(SagaStoreTest, SavingAgainUpdatesTheSagaAndEveryStep) {
  SagaInstance saga = Started("t1");
  Save(*db_, saga);
  clock_.Advance(Millis(250));
  engine_.OnReply(saga, {"flight", false, "t1:flight", true, ""}, clock_.Now(), kRandomUnit);
  Save(*db_, saga);
  auto loaded = LoadById(*db_, "saga-t1");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(Describe(*loaded), Describe(saga));
  EXPECT_EQ(loaded->Step("flight")->status, StepStatus::kSucceeded);
  EXPECT_EQ(loaded->Step("car")->status, StepStatus::kRunning);
}

TEST_F(SagaStoreTest, SavingAgainstTheStoredCopyWritesOnlyWhatChanged) {
  SagaInstance saga = Started("t1");
  Save(*db_, saga);
  const SagaInstance stored = saga;
  // Marks the (still pending) insurance step's row behind the instance's back: a save that rewrote it
  // would undo the mark.
  ASSERT_TRUE(db_->Write([](storage::UnitOfWork& uow) {
                   uow.Exec("UPDATE saga_steps SET last_reply = 'untouched' WHERE step = 'insurance'");
                   return Status::Ok();
                 })
                  .ok());
  clock_.Advance(Millis(250));
  engine_.OnReply(saga, {"flight", false, "t1:flight", true, ""}, clock_.Now(), kRandomUnit);
  Save(*db_, saga, &stored);

  auto loaded = LoadById(*db_, "saga-t1");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->Step("flight")->status, StepStatus::kSucceeded);
  EXPECT_EQ(loaded->Step("flight")->last_reply, saga.Step("flight")->last_reply);
  EXPECT_EQ(loaded->Step("car")->status, StepStatus::kRunning);  // the next stage started
  EXPECT_EQ(loaded->stage, 1);
  EXPECT_EQ(loaded->updated_at, saga.updated_at);
  EXPECT_EQ(loaded->Step("insurance")->last_reply, "untouched");
}

TEST_F(SagaStoreTest, AStateThatDidNotChangeCostsNoIndexPage) {
  // Two sagas saved alike, then the same reply to each: one saved in full, one against its stored copy.
  // The state is unchanged, so the second save must not rewrite its entry in the state index.
  SagaInstance full = Started("t1");
  SagaInstance incremental = Started("t2");
  Save(*db_, full);
  Save(*db_, incremental);
  const SagaInstance stored = incremental;
  clock_.Advance(Millis(250));
  engine_.OnReply(full, {"flight", false, "t1:flight", true, ""}, clock_.Now(), kRandomUnit);
  engine_.OnReply(incremental, {"flight", false, "t2:flight", true, ""}, clock_.Now(), kRandomUnit);
  ASSERT_EQ(incremental.state, stored.state);

  const int64_t start = db_->commit_stats().pages_written;
  Save(*db_, full);
  const int64_t full_pages = db_->commit_stats().pages_written - start;
  Save(*db_, incremental, &stored);
  const int64_t incremental_pages = db_->commit_stats().pages_written - start - full_pages;
  EXPECT_LT(incremental_pages, full_pages);
  auto loaded = LoadById(*db_, "saga-t2");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(Describe(*loaded), Describe(incremental));
}

TEST_F(SagaStoreTest, AChangedStateIsWrittenWhenSavedAgainstTheStoredCopy) {
  SagaInstance saga = Started("t1");
  Save(*db_, saga);
  const SagaInstance stored = saga;
  clock_.Advance(Millis(250));
  engine_.OnReply(saga, {"flight", false, "t1:flight", false, "no_seats"}, clock_.Now(), kRandomUnit);
  ASSERT_NE(saga.state, stored.state);
  Save(*db_, saga, &stored);
  auto loaded = LoadById(*db_, "saga-t1");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(Describe(*loaded), Describe(saga));
  std::string listed;
  ASSERT_TRUE(db_->Read([&](storage::Sql& sql) {
                   auto& select = sql.Prepare("SELECT saga_id FROM sagas WHERE state = ?");
                   select.bind(1, std::string(ToString(saga.state)));
                   if (select.executeStep()) listed = select.getColumn(0).getString();
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(listed, "saga-t1");
}

TEST_F(SagaStoreTest, TheContractColumnsHoldReadableValues) {
  SagaInstance saga = Started("t1");
  Save(*db_, saga);
  std::string state;
  std::map<std::string, std::pair<std::string, int>> steps;
  ASSERT_TRUE(db_->Read([&](storage::Sql& sql) {
                   auto& select = sql.Prepare("SELECT order_id, state FROM sagas WHERE saga_id = 'saga-t1'");
                   if (select.executeStep())
                     state = select.getColumn(0).getString() + " " + select.getColumn(1).getString();
                   auto& rows = sql.Prepare("SELECT step, status, attempts FROM saga_steps WHERE saga_id = 'saga-t1'");
                   while (rows.executeStep()) {
                     steps[rows.getColumn(0).getString()] = {rows.getColumn(1).getString(), rows.getColumn(2).getInt()};
                   }
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(state, "t1 RUNNING");
  EXPECT_EQ(steps["flight"], (std::pair<std::string, int>{"RUNNING", 1}));
  EXPECT_EQ(steps["hotel"], (std::pair<std::string, int>{"PENDING", 0}));
  EXPECT_EQ(steps[std::string(kOutcomeStep)], (std::pair<std::string, int>{"PENDING", 0}));
  EXPECT_EQ(steps.size(), 5u);
}

TEST_F(SagaStoreTest, DueSagasAreThoseWithADeadlineAtOrBeforeNowEarliestFirst) {
  const TimePoint t0 = clock_.Now();
  SagaInstance late = Started("late");  // flight due at t0 + 1000
  clock_.Advance(Millis(-500));
  SagaInstance early = Started("early");  // flight due at t0 + 500
  clock_.Set(t0);
  SagaInstance idle = engine_.Create("saga-idle", "idle", "{}", t0);  // nothing awaited
  for (const auto* saga : {&late, &early, &idle}) Save(*db_, *saga);

  std::vector<std::string> due;
  std::optional<TimePoint> earliest;
  auto query = [&](TimePoint now, int limit) {
    ASSERT_TRUE(db_->Read([&](storage::Sql& sql) {
                     due = store::DueSagas(sql, now, limit);
                     earliest = store::EarliestDeadline(sql);
                     return Status::Ok();
                   })
                    .ok());
  };
  query(t0 + Millis(499), 10);
  EXPECT_TRUE(due.empty());
  ASSERT_TRUE(earliest.has_value());
  EXPECT_EQ(*earliest, t0 + Millis(500));
  query(t0 + Millis(500), 10);
  EXPECT_EQ(due, (std::vector<std::string>{"saga-early"}));
  query(t0 + Millis(5'000), 10);
  EXPECT_EQ(due, (std::vector<std::string>{"saga-early", "saga-late"}));
  query(t0 + Millis(5'000), 1);
  EXPECT_EQ(due, (std::vector<std::string>{"saga-early"}));
}

TEST_F(SagaStoreTest, WithNoDeadlineAnywhereThereIsNoEarliestDeadline) {
  Save(*db_, engine_.Create("saga-idle", "idle", "{}", clock_.Now()));
  std::optional<TimePoint> earliest = clock_.Now();
  ASSERT_TRUE(db_->Read([&](storage::Sql& sql) {
                   earliest = store::EarliestDeadline(sql);
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_FALSE(earliest.has_value());
}

// ----------------------------------------------------------------------------------------------------
// Restart at every step of the made-up saga

TEST(SagaRestartTest, HappyPathWithRetriesDuplicatesAndOutcomeResends) {
  ExpectRestartAnywhereChangesNothing(
      trip::MakeTripSaga(true),
      {Start(), After(Millis(300)), NextDeadline(), Ok("flight"), Ok("flight"), WrongKey("hotel"), Ok("car"),
       NextDeadline(), NextDeadline(), Ok("hotel"), Ok("insurance"), NextDeadline(), NextDeadline(), StartAgain(),
       Ack(), After(Millis(60'000)), StartAgain(), Ack()},
      "COMPLETED");
}

TEST(SagaRestartTest, ReverseCompensationAfterATimeoutInTheLastStage) {
  ExpectRestartAnywhereChangesNothing(
      trip::MakeTripSaga(true),
      {Start(), Ok("flight"), Ok("hotel"), Ok("car"), NextDeadline(), NextDeadline(), NextDeadline(), Ok("insurance"),
       Compensated("insurance"), NextDeadline(), CompensationRefused("car"), Compensated("hotel"), NextDeadline(),
       Compensated("car"), Compensated("flight"), Compensated("flight"), NextDeadline(), Ack()},
      "CANCELLED");
}

TEST(SagaRestartTest, ParallelFailureCompensationNeverConfirmedThenRedriven) {
  ExpectRestartAnywhereChangesNothing(
      trip::MakeTripSaga(false),
      {Start(), Ok("flight"), Fail("car", "no_cars"), Ok("hotel"), StartAgain(), NextDeadline(), NextDeadline(),
       NextDeadline(), After(Millis(10'000)), StartAgain(), Redrive(Millis(1'000)), Compensated("hotel"),
       NextDeadline(), Compensated("flight"), NextDeadline(), Ack()},
      "CANCELLED");
}

TEST(SagaRestartTest, ALateSuccessAfterCancelledIsCompensatedUntilConfirmed) {
  ExpectRestartAnywhereChangesNothing(
      trip::MakeTripSaga(true),
      {Start(), Ok("flight"), Fail("hotel", "no_rooms"), Compensated("car"), Compensated("flight"), Ack(), Ok("hotel"),
       NextDeadline(), NextDeadline(), NextDeadline(), NextDeadline(), Ok("hotel"), Compensated("hotel"), StartAgain(),
       Ack()},
      "CANCELLED");
}

TEST(SagaRestartTest, ARejectedStartPublishesItsOutcomeUntilAcknowledged) {
  ExpectRestartAnywhereChangesNothing(
      trip::MakeTripSaga(true), {Reject(), NextDeadline(), StartAgain(), Reject(), Ack(), StartAgain(), Ok("flight")},
      "CANCELLED");
}

TEST(SagaRestartTest, AStartedSagaThatIsNeverAnsweredFailsItsStepAndCompensates) {
  ExpectRestartAnywhereChangesNothing(
      trip::MakeTripSaga(true),
      {Start(), NextDeadline(), NextDeadline(), NextDeadline(), NextDeadline(), NextDeadline(), NextDeadline(),
       Redrive(Millis(1)), Compensated("flight"), Ack()},
      "CANCELLED");
}

}  // namespace
}  // namespace sagaflow::engine
