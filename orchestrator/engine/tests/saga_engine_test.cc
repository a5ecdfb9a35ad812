// The engine's pure decisions — start, a reply arrived, timers fired, repeated start, an operator's
// re-drive — as given/when/then scenarios on a made-up three-stage trip saga (trip_saga.cc), with a
// manual clock and a fixed random unit. No I/O: the engine only updates the instance and returns actions.
#include "orchestrator/engine/saga_engine.h"

#include <optional>
#include <source_location>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sagaflow::engine {
namespace trip {
SagaDefinition MakeTripSaga(bool car_compensates);  // trip_saga.cc
}  // namespace trip

namespace {

constexpr double kRandomUnit = 0.5;
const RetryPolicy kStepRetry{3, 2.0, Millis(3'000), 0.2};  // as in trip_saga.cc
const RetryPolicy kOutcomeRetry{1'000'000, 2.0, Millis(4'000), 0.2};

// One line per action, with its key and attempt, so expectations read like a log of what was sent.
std::string Describe(const Action& action) {
  switch (action.kind) {
    case ActionKind::kSendCommand:
      return "command " + action.step + " " + action.idempotency_key + " #" + std::to_string(action.attempt);
    case ActionKind::kSendCompensation:
      return "compensate " + action.step + " " + action.idempotency_key + " #" + std::to_string(action.attempt);
    case ActionKind::kSendOutcome:
      return "outcome " + action.idempotency_key + " #" + std::to_string(action.attempt);
    case ActionKind::kProgress:
      return "progress " + action.progress.event + (action.progress.reason.empty() ? "" : " " + action.progress.reason);
  }
  return "?";
}

// Given a saga, when an event happens, then these actions and this state. Each When* replaces the
// actions the Then* checks; Then* failures are reported at the caller's line.
class Scenario {
 public:
  explicit Scenario(bool car_compensates = true, std::string trip_id = "t1")
      : definition_(trip::MakeTripSaga(car_compensates)), engine_(definition_), trip_id_(std::move(trip_id)) {}

  // --- given ---
  Scenario& GivenCreated() {
    saga_ = engine_.Create("saga-" + trip_id_, trip_id_, R"({"traveller":"ada"})", clock_.Now());
    return *this;
  }
  Scenario& GivenStarted() { return GivenCreated().WhenStarted(); }
  // Started, with every step of stages [0, stage) succeeded, so `stage` is running.
  Scenario& GivenStageRunning(int stage) {
    GivenStarted();
    for (int s = 0; s < stage; ++s) {
      for (const auto& step : definition_.stages[static_cast<size_t>(s)].steps) WhenSucceeds(step.name);
    }
    return *this;
  }
  Scenario& GivenCompleted() {
    GivenStageRunning(2);
    return WhenSucceeds("insurance");
  }

  // --- when ---
  Scenario& WhenStarted() { return Record(engine_.Start(saga_, clock_.Now())); }
  Scenario& WhenRejected() { return Record(engine_.Reject(saga_, clock_.Now())); }
  Scenario& WhenReply(Reply reply) { return Record(engine_.OnReply(saga_, reply, clock_.Now(), random_unit_)); }
  Scenario& WhenSucceeds(const std::string& step) {
    return WhenReply({step, false, SagaEngine::CommandKey(saga_, step), true, ""});
  }
  Scenario& WhenFails(const std::string& step, const std::string& reason) {
    return WhenReply({step, false, SagaEngine::CommandKey(saga_, step), false, reason});
  }
  Scenario& WhenCompensated(const std::string& step) {
    return WhenReply({step, true, SagaEngine::CompensationKey(saga_, step), true, ""});
  }
  Scenario& WhenCompensationFails(const std::string& step) {
    return WhenReply({step, true, SagaEngine::CompensationKey(saga_, step), false, "refused"});
  }
  Scenario& WhenAcknowledged() {
    return WhenReply({std::string(kOutcomeStep), false, SagaEngine::OutcomeKey(saga_), true, ""});
  }
  Scenario& WhenTimePasses(Millis by) {
    clock_.Advance(by);
    return Record(engine_.OnTimers(saga_, clock_.Now(), random_unit_));
  }
  // The clock moves to the step's deadline exactly (a deadline at `now` is due) and the timers fire.
  Scenario& WhenDeadlinePasses(const std::string& step) {
    const StepState* state = saga_.Step(step);
    EXPECT_TRUE(state != nullptr && state->deadline.has_value()) << step << " has no deadline";
    if (state != nullptr && state->deadline) clock_.Set(*state->deadline);
    return Record(engine_.OnTimers(saga_, clock_.Now(), random_unit_));
  }
  // Every retry of `step` times out, until it fails.
  Scenario& WhenEveryAttemptTimesOut(const std::string& step) {
    for (int i = 0; i < kStepRetry.max_attempts && saga_.Step(step)->status == StepStatus::kRunning; ++i) {
      WhenDeadlinePasses(step);
    }
    return *this;
  }
  Scenario& WhenEveryCompensationTimesOut(const std::string& step) {
    for (int i = 0; i < kStepRetry.max_attempts && saga_.Step(step)->status == StepStatus::kCompensating; ++i) {
      WhenDeadlinePasses(step);
    }
    return *this;
  }
  Scenario& WhenRedriven() { return Record(engine_.Redrive(saga_, clock_.Now())); }
  Scenario& WhenStartArrivesAgain() { return Record(engine_.OnRepeatedStart(saga_, clock_.Now())); }

  // --- then ---
  // The messages of the last event (progress left out), in order.
  Scenario& ThenSends(const std::vector<std::string>& expected,
                      std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenSends");
    EXPECT_EQ(Lines(false), expected);
    return *this;
  }
  // The progress events of the last event, in order.
  Scenario& ThenReports(const std::vector<std::string>& expected,
                        std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenReports");
    EXPECT_EQ(Lines(true), expected);
    return *this;
  }
  Scenario& ThenNothing(std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenNothing");
    EXPECT_EQ(Lines(false), std::vector<std::string>{});
    EXPECT_EQ(Lines(true), std::vector<std::string>{});
    return *this;
  }
  Scenario& ThenSaga(SagaState state, const std::string& reason = "",
                     std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenSaga");
    EXPECT_EQ(ToString(saga_.state), ToString(state));
    EXPECT_EQ(saga_.failure_reason, reason);
    return *this;
  }
  Scenario& ThenStep(const std::string& step, StepStatus status,
                     std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenStep " + step);
    const StepState* state = saga_.Step(step);
    EXPECT_NE(state, nullptr);
    if (state != nullptr) {
      EXPECT_EQ(ToString(state->status), ToString(status));
    }
    return *this;
  }
  Scenario& ThenAttempts(const std::string& step, int attempts, int compensation_attempts = 0,
                         std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenAttempts " + step);
    EXPECT_EQ(saga_.Step(step)->attempts, attempts);
    EXPECT_EQ(saga_.Step(step)->compensation_attempts, compensation_attempts);
    return *this;
  }
  // The step's deadline is `wait` from now (std::nullopt: none).
  Scenario& ThenDeadlineIn(const std::string& step, std::optional<Millis> wait,
                           std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenDeadlineIn " + step);
    const auto& deadline = saga_.Step(step)->deadline;
    if (!wait) {
      EXPECT_FALSE(deadline.has_value()) << "deadline in " << (*deadline - clock_.Now()).count() << " ms";
    } else {
      EXPECT_TRUE(deadline.has_value());
      if (deadline) {
        EXPECT_EQ((*deadline - clock_.Now()).count(), wait->count());
      }
    }
    return *this;
  }
  Scenario& ThenNoDeadlines(std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenNoDeadlines");
    EXPECT_FALSE(saga_.NextDeadline().has_value());
    return *this;
  }
  Scenario& ThenLastReply(const std::string& step, const std::string& expected,
                          std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "ThenLastReply " + step);
    EXPECT_EQ(saga_.Step(step)->last_reply, expected);
    return *this;
  }

  SagaInstance& saga() { return saga_; }
  ManualClock& clock() { return clock_; }
  const SagaDefinition& definition() const { return definition_; }
  const std::vector<Action>& actions() const { return actions_; }
  void set_random_unit(double unit) { random_unit_ = unit; }

 private:
  Scenario& Record(std::vector<Action> actions) {
    actions_ = std::move(actions);
    return *this;
  }
  std::vector<std::string> Lines(bool progress) const {
    std::vector<std::string> lines;
    for (const auto& action : actions_) {
      if ((action.kind == ActionKind::kProgress) == progress) lines.push_back(Describe(action));
    }
    return lines;
  }

  SagaDefinition definition_;
  SagaEngine engine_;
  std::string trip_id_;
  ManualClock clock_;
  double random_unit_ = kRandomUnit;
  SagaInstance saga_;
  std::vector<Action> actions_;
};

Millis Wait(Millis timeout, int attempt, const RetryPolicy& policy = kStepRetry) {
  return WaitAfterSend(timeout, policy, attempt, kRandomUnit);
}

// ----------------------------------------------------------------------------------------------------
// The definition

TEST(SagaDefinitionTest, TheMadeUpTripSagaIsValid) {
  const SagaDefinition saga = trip::MakeTripSaga(true);
  EXPECT_TRUE(saga.Validate().ok()) << saga.Validate().ToString();
  EXPECT_TRUE(trip::MakeTripSaga(false).Validate().ok());
}

TEST(SagaDefinitionTest, ValidateRejectsWhatTheEngineCannotRun) {
  {
    SagaDefinition saga = trip::MakeTripSaga(true);
    saga.stages.clear();
    EXPECT_TRUE(saga.Validate().IsInvalidArgument());
  }
  {
    SagaDefinition saga = trip::MakeTripSaga(true);
    saga.stages.push_back({});
    EXPECT_TRUE(saga.Validate().IsInvalidArgument());
  }
  {
    SagaDefinition saga = trip::MakeTripSaga(true);
    saga.stages[2].steps[0].name = "flight";
    EXPECT_TRUE(saga.Validate().IsInvalidArgument());
  }
  {
    SagaDefinition saga = trip::MakeTripSaga(true);
    saga.stages[2].steps[0].reply_topic = saga.stages[0].steps[0].reply_topic;
    EXPECT_TRUE(saga.Validate().IsInvalidArgument());
  }
  {
    SagaDefinition saga = trip::MakeTripSaga(true);
    saga.stages[2].steps[0].compensation_reply_topic = saga.outcome.ack_topic;
    EXPECT_TRUE(saga.Validate().IsInvalidArgument());
  }
  {
    SagaDefinition saga = trip::MakeTripSaga(true);
    saga.stages[1].steps[1].build_compensation = nullptr;
    EXPECT_TRUE(saga.Validate().IsInvalidArgument());
  }
  {
    SagaDefinition saga = trip::MakeTripSaga(true);
    saga.stages[0].steps[0].read_reply = nullptr;
    EXPECT_TRUE(saga.Validate().IsInvalidArgument());
  }
  {
    SagaDefinition saga = trip::MakeTripSaga(true);
    saga.outcome.build = nullptr;
    EXPECT_TRUE(saga.Validate().IsInvalidArgument());
  }
}

TEST(SagaDefinitionTest, ConsumedTopicsAreTheStartEveryReplyAndTheAcknowledgement) {
  const SagaDefinition saga = trip::MakeTripSaga(false);
  EXPECT_EQ(saga.ConsumedTopics(),
            (std::vector<std::string>{"trip/requested", "trip/flight/booked", "trip/flight/cancelled",
                                      "trip/hotel/booked", "trip/hotel/cancelled", "trip/car/booked",
                                      "trip/insurance/booked", "trip/insurance/cancelled", "trip/traveller_told"}));
}

TEST(SagaDefinitionTest, FindStepByReplyTopicTellsCommandAndCompensationRepliesApart) {
  const SagaDefinition saga = trip::MakeTripSaga(true);
  bool compensation = true;
  const StepDefinition* step = saga.FindStepByReplyTopic("trip/hotel/booked", &compensation);
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->name, "hotel");
  EXPECT_FALSE(compensation);
  step = saga.FindStepByReplyTopic("trip/car/cancelled", &compensation);
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->name, "car");
  EXPECT_TRUE(compensation);
  EXPECT_EQ(saga.FindStepByReplyTopic("trip/traveller_told", &compensation), nullptr);
  EXPECT_EQ(saga.FindStep("boat"), nullptr);
  ASSERT_NE(saga.FindStep("insurance"), nullptr);
}

// ----------------------------------------------------------------------------------------------------
// Back-off: the wait after each send

TEST(WaitAfterSendTest, TheFirstWaitIsThePlainTimeoutWhateverTheRandomUnit) {
  for (double unit : {0.0, 0.5, 0.999}) {
    EXPECT_EQ(WaitAfterSend(Millis(1'000), kStepRetry, 1, unit), Millis(1'000)) << unit;
  }
}

TEST(WaitAfterSendTest, GrowsByTheMultiplierAfterEverySend) {
  const RetryPolicy policy{10, 2.0, Millis(1'000'000), 0.2};
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 1, 0.0), Millis(1'000));
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 2, 0.0), Millis(2'000));
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 3, 0.0), Millis(4'000));
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 4, 0.0), Millis(8'000));
  for (int attempt = 2; attempt < 10; ++attempt) {
    EXPECT_GT(WaitAfterSend(Millis(1'000), policy, attempt + 1, 0.0),
              WaitAfterSend(Millis(1'000), policy, attempt, 0.0));
  }
}

TEST(WaitAfterSendTest, IsCappedHoweverManySendsThereWere) {
  const RetryPolicy policy{1'000'000, 2.0, Millis(5'000), 0.0};
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 3, 0.0), Millis(4'000));
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 4, 0.0), Millis(5'000));
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 50, 0.0), Millis(5'000));
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 999'999, 0.0), Millis(5'000));
}

TEST(WaitAfterSendTest, JitterShortensALaterWaitByAtMostItsFraction) {
  const RetryPolicy policy{10, 2.0, Millis(60'000), 0.2};
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 2, 0.0), Millis(2'000));
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 2, 0.5), Millis(1'800));
  EXPECT_GE(WaitAfterSend(Millis(1'000), policy, 2, 0.999), Millis(1'600));
  EXPECT_LE(WaitAfterSend(Millis(1'000), policy, 2, 0.999), Millis(2'000));
}

TEST(WaitAfterSendTest, ACapBelowTheTimeoutNeverShortensTheTimeout) {
  const RetryPolicy policy{10, 2.0, Millis(100), 0.0};
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 1, 0.0), Millis(1'000));
  EXPECT_EQ(WaitAfterSend(Millis(1'000), policy, 5, 0.0), Millis(1'000));
}

// ----------------------------------------------------------------------------------------------------
// Keys and creation

TEST(SagaKeysTest, KeysAreStablePerActionAndDistinctAcrossActionsAndSagas) {
  Scenario s;
  s.GivenCreated();
  EXPECT_EQ(SagaEngine::CommandKey(s.saga(), "hotel"), "t1:hotel");
  EXPECT_EQ(SagaEngine::CompensationKey(s.saga(), "hotel"), "t1:hotel:compensation");
  EXPECT_EQ(SagaEngine::OutcomeKey(s.saga()), "t1:outcome");
  Scenario other(true, "t2");
  other.GivenCreated();
  EXPECT_NE(SagaEngine::CommandKey(s.saga(), "hotel"), SagaEngine::CommandKey(other.saga(), "hotel"));
}

TEST(SagaCreateTest, LaysOutEveryStepByStagePlusTheOutcomeAllPending) {
  Scenario s;
  s.GivenCreated();
  const SagaInstance& saga = s.saga();
  EXPECT_EQ(saga.definition, "trip");
  EXPECT_EQ(saga.correlation_id, "t1");
  EXPECT_EQ(saga.state, SagaState::kRunning);
  ASSERT_EQ(saga.steps.size(), 5u);
  const std::vector<std::pair<std::string, int>> expected{
      {"flight", 0}, {"hotel", 1}, {"car", 1}, {"insurance", 2}, {std::string(kOutcomeStep), -1}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(saga.steps[i].name, expected[i].first);
    EXPECT_EQ(saga.steps[i].stage, expected[i].second);
    EXPECT_EQ(saga.steps[i].status, StepStatus::kPending);
    EXPECT_FALSE(saga.steps[i].deadline.has_value());
  }
  EXPECT_FALSE(saga.NextDeadline().has_value());
}

// ----------------------------------------------------------------------------------------------------
// Start

TEST(SagaStartTest, StartSendsOnlyTheFirstStage) {
  Scenario s;
  s.GivenCreated()
      .WhenStarted()
      .ThenReports({"progress saga_started"})
      .ThenSends({"command flight t1:flight #1"})
      .ThenSaga(SagaState::kRunning)
      .ThenStep("flight", StepStatus::kRunning)
      .ThenAttempts("flight", 1)
      .ThenDeadlineIn("flight", Millis(1'000))
      .ThenStep("hotel", StepStatus::kPending)
      .ThenStep("insurance", StepStatus::kPending);
}

TEST(SagaStartTest, StartingAStartedSagaAgainDoesNothing) {
  Scenario s;
  s.GivenStarted().WhenStarted().ThenNothing().ThenAttempts("flight", 1);
}

// ----------------------------------------------------------------------------------------------------
// The happy path

TEST(SagaHappyPathTest, RunsStageByStageThenPublishesTheOutcomeUntilAcknowledged) {
  Scenario s;
  s.GivenStarted()
      .WhenSucceeds("flight")
      .ThenReports({"progress flight_succeeded"})
      .ThenSends({"command hotel t1:hotel #1", "command car t1:car #1"})
      .ThenDeadlineIn("hotel", Millis(1'000))
      .ThenDeadlineIn("car", Millis(2'000))
      .ThenDeadlineIn("flight", std::nullopt)
      .ThenLastReply("flight", "success");
  s.WhenSucceeds("hotel").ThenSends({}).ThenStep("hotel", StepStatus::kSucceeded).ThenStep("car", StepStatus::kRunning);
  s.WhenSucceeds("car").ThenSends({"command insurance t1:insurance #1"}).ThenDeadlineIn("insurance", Millis(500));
  s.WhenSucceeds("insurance")
      .ThenReports({"progress insurance_succeeded"})
      .ThenSends({"outcome t1:outcome #1"})
      .ThenSaga(SagaState::kCompleted)
      .ThenStep(std::string(kOutcomeStep), StepStatus::kRunning)
      .ThenDeadlineIn(std::string(kOutcomeStep), Millis(1'000));
  s.WhenAcknowledged()
      .ThenNothing()
      .ThenStep(std::string(kOutcomeStep), StepStatus::kSucceeded)
      .ThenLastReply(std::string(kOutcomeStep), "acknowledged")
      .ThenNoDeadlines();
  s.WhenTimePasses(Millis(3'600'000)).ThenNothing().ThenSaga(SagaState::kCompleted);
}

TEST(SagaHappyPathTest, ParallelRepliesInEitherOrderGiveTheSameResult) {
  Scenario s;
  s.GivenStageRunning(1).WhenSucceeds("car").ThenSends({}).WhenSucceeds("hotel").ThenSends(
      {"command insurance t1:insurance #1"});
  s.WhenSucceeds("insurance").ThenSaga(SagaState::kCompleted);
}

TEST(SagaHappyPathTest, ARetriedStepThatSucceedsLetsTheSagaComplete) {
  Scenario s;
  s.GivenStarted().WhenDeadlinePasses("flight").ThenSends({"command flight t1:flight #2"});
  s.WhenSucceeds("flight").ThenSends({"command hotel t1:hotel #1", "command car t1:car #1"});
}

// ----------------------------------------------------------------------------------------------------
// Failures and compensation

TEST(SagaFailureTest, AFailureInTheFirstStageCancelsWithNothingToCompensate) {
  Scenario s;
  s.GivenStarted()
      .WhenFails("flight", "sold_out")
      .ThenReports({"progress flight_failed sold_out", "progress compensating"})
      .ThenSends({"outcome t1:outcome #1"})
      .ThenSaga(SagaState::kCancelled, "sold_out")
      .ThenStep("flight", StepStatus::kFailed)
      .ThenStep("hotel", StepStatus::kPending)
      .ThenLastReply("flight", "failure: sold_out");
  EXPECT_EQ(s.saga().Step("flight")->failure_reason, "sold_out");
}

TEST(SagaFailureTest, AFailureInTheParallelStageCompensatesItsSiblingThenTheEarlierStage) {
  Scenario s;
  s.GivenStageRunning(1)
      .WhenFails("hotel", "no_rooms")
      .ThenSends({"compensate car t1:car:compensation #1"})  // car may have acted; hotel did not
      .ThenSaga(SagaState::kCompensating, "no_rooms")
      .ThenStep("hotel", StepStatus::kFailed)
      .ThenStep("car", StepStatus::kCompensating)
      .ThenStep("flight", StepStatus::kSucceeded)
      .ThenDeadlineIn("car", Millis(2'000));
  s.WhenCompensated("car")
      .ThenReports({"progress car_compensated"})
      .ThenSends({"compensate flight t1:flight:compensation #1"})
      .ThenStep("car", StepStatus::kCompensated);
  s.WhenCompensated("flight")
      .ThenSends({"outcome t1:outcome #1"})
      .ThenSaga(SagaState::kCancelled, "no_rooms")
      .ThenStep("flight", StepStatus::kCompensated)
      .ThenStep("hotel", StepStatus::kFailed)
      .ThenStep("insurance", StepStatus::kPending);
}

TEST(SagaFailureTest, WhenBothParallelStepsFailTheFirstFailuresReasonWins) {
  Scenario s;
  s.GivenStageRunning(1).WhenFails("car", "no_cars").WhenFails("hotel", "no_rooms");
  s.ThenNothing().ThenSaga(SagaState::kCompensating, "no_cars").ThenLastReply("hotel", "late: failure: no_rooms");
  s.WhenCompensated("hotel").WhenCompensated("flight").ThenSaga(SagaState::kCancelled, "no_cars");
}

TEST(SagaFailureTest, AFailureWithoutAReasonIsCalledFailed) {
  Scenario s;
  s.GivenStarted().WhenFails("flight", "").ThenSaga(SagaState::kCancelled, "failed");
}

TEST(SagaFailureTest, AStepWithNothingToUndoIsCompensatedWithoutAMessage) {
  Scenario s(/*car_compensates=*/false);
  s.GivenStageRunning(1)
      .WhenFails("hotel", "no_rooms")
      .ThenSends({"compensate flight t1:flight:compensation #1"})
      .ThenStep("car", StepStatus::kCompensated)
      .ThenDeadlineIn("car", std::nullopt);
  s.WhenSucceeds("car").ThenNothing().ThenStep("car", StepStatus::kCompensated);
  s.WhenCompensated("flight").ThenSaga(SagaState::kCancelled, "no_rooms");
}

// Fail in stage 3: stage 2's steps are compensated (in parallel) only after stage 3's compensation is
// confirmed, and stage 1 only after both of stage 2's.
TEST(SagaCompensationOrderTest, CompensatesStagesInReverseOrderEachAfterTheLaterOneIsConfirmed) {
  Scenario s;
  s.GivenStageRunning(2).WhenEveryAttemptTimesOut("insurance");
  s.ThenSends({"compensate insurance t1:insurance:compensation #1"})
      .ThenSaga(SagaState::kCompensating, "timeout")
      .ThenStep("hotel", StepStatus::kSucceeded)
      .ThenStep("car", StepStatus::kSucceeded)
      .ThenStep("flight", StepStatus::kSucceeded);
  s.WhenTimePasses(Millis(100)).ThenNothing();
  s.WhenCompensated("insurance")
      .ThenSends({"compensate hotel t1:hotel:compensation #1", "compensate car t1:car:compensation #1"})
      .ThenStep("flight", StepStatus::kSucceeded);
  s.WhenCompensated("car").ThenSends({}).ThenStep("flight", StepStatus::kSucceeded);
  s.WhenCompensated("hotel").ThenSends({"compensate flight t1:flight:compensation #1"});
  s.WhenCompensated("flight").ThenSends({"outcome t1:outcome #1"}).ThenSaga(SagaState::kCancelled, "timeout");
  for (const char* step : {"flight", "hotel", "car", "insurance"}) s.ThenStep(step, StepStatus::kCompensated);
}

// ----------------------------------------------------------------------------------------------------
// Timeouts and retries

TEST(SagaTimeoutTest, NothingHappensBeforeTheDeadline) {
  Scenario s;
  s.GivenStarted().WhenTimePasses(Millis(999)).ThenNothing().ThenAttempts("flight", 1);
  s.WhenTimePasses(Millis(1)).ThenSends({"command flight t1:flight #2"});
}

TEST(SagaTimeoutTest, ATimedOutCommandIsSentAgainWithTheSameKeyAndAGrowingWait) {
  Scenario s;
  s.GivenStarted()
      .WhenDeadlinePasses("flight")
      .ThenSends({"command flight t1:flight #2"})
      .ThenAttempts("flight", 2)
      .ThenStep("flight", StepStatus::kRunning)
      .ThenDeadlineIn("flight", Wait(Millis(1'000), 2));
  s.WhenDeadlinePasses("flight")
      .ThenSends({"command flight t1:flight #3"})
      .ThenDeadlineIn("flight", Wait(Millis(1'000), 3));
  EXPECT_EQ(Wait(Millis(1'000), 2), Millis(1'800));
  EXPECT_EQ(Wait(Millis(1'000), 3), Millis(2'700));  // capped at 3 s, less jitter
}

TEST(SagaTimeoutTest, ARetryThenASuccessAdvancesLikeAFirstTimeSuccess) {
  Scenario s;
  s.GivenStageRunning(1).WhenDeadlinePasses("hotel").ThenSends({"command hotel t1:hotel #2"});
  s.WhenSucceeds("hotel").WhenSucceeds("car").ThenSends({"command insurance t1:insurance #1"});
  s.ThenAttempts("hotel", 2).ThenAttempts("car", 1);
}

TEST(SagaTimeoutTest, RetriesExhaustedFailTheStepWithTimeoutAndCompensateItBecauseItMayHaveActed) {
  Scenario s;
  s.GivenStarted().WhenDeadlinePasses("flight").WhenDeadlinePasses("flight");
  s.WhenDeadlinePasses("flight")
      .ThenReports({"progress flight_failed timeout", "progress compensating"})
      .ThenSends({"compensate flight t1:flight:compensation #1"})
      .ThenSaga(SagaState::kCompensating, "timeout")
      .ThenStep("flight", StepStatus::kCompensating)
      .ThenAttempts("flight", 3, 1)
      .ThenDeadlineIn("flight", Millis(1'000));
  EXPECT_EQ(s.saga().Step("flight")->failure_reason, "timeout");
  s.WhenCompensated("flight").ThenSends({"outcome t1:outcome #1"}).ThenSaga(SagaState::kCancelled, "timeout");
}

TEST(SagaTimeoutTest, ATimedOutParallelStepCompensatesItselfAndItsSibling) {
  Scenario s;
  s.GivenStageRunning(1).WhenSucceeds("car").WhenEveryAttemptTimesOut("hotel");
  s.ThenSends({"compensate hotel t1:hotel:compensation #1", "compensate car t1:car:compensation #1"})
      .ThenSaga(SagaState::kCompensating, "timeout");
}

TEST(SagaTimeoutTest, BothParallelStepsDueInOnePassFailOnceAndAreCompensatedOnce) {
  Scenario s;
  s.GivenStageRunning(1);
  // Both on their last attempt, due at the same instant.
  s.saga().Step("hotel")->attempts = 3;
  s.saga().Step("car")->attempts = 3;
  s.saga().Step("car")->deadline = s.saga().Step("hotel")->deadline;
  s.WhenDeadlinePasses("hotel")
      .ThenSends({"compensate hotel t1:hotel:compensation #1", "compensate car t1:car:compensation #1"})
      .ThenReports({"progress hotel_failed timeout", "progress compensating"})
      .ThenStep("car", StepStatus::kCompensating);
}

// ----------------------------------------------------------------------------------------------------
// Late, duplicate and reordered replies

TEST(SagaLateReplyTest, ALateSuccessAfterCompensationStartedIsRecordedAndTheStepIsStillCompensated) {
  Scenario s;
  s.GivenStageRunning(1).WhenFails("hotel", "no_rooms").ThenSends({"compensate car t1:car:compensation #1"});
  s.WhenSucceeds("car")
      .ThenNothing()
      .ThenLastReply("car", "late: success")
      .ThenStep("car", StepStatus::kCompensating)
      .ThenStep("insurance", StepStatus::kPending)
      .ThenSaga(SagaState::kCompensating, "no_rooms");
  s.WhenCompensated("car").ThenSends({"compensate flight t1:flight:compensation #1"});
}

TEST(SagaLateReplyTest, ALateSuccessOfATimedOutStepDoesNotAdvanceTheSaga) {
  Scenario s;
  s.GivenStarted().WhenEveryAttemptTimesOut("flight").WhenSucceeds("flight");
  s.ThenNothing()
      .ThenLastReply("flight", "late: success")
      .ThenStep("flight", StepStatus::kCompensating)
      .ThenStep("hotel", StepStatus::kPending);
  s.WhenCompensated("flight").ThenSaga(SagaState::kCancelled, "timeout");
  s.WhenSucceeds("flight").ThenNothing().ThenStep("flight", StepStatus::kCompensated);
}

TEST(SagaLateReplyTest, AReplyWithAWrongKeyIsIgnored) {
  Scenario s;
  s.GivenStarted()
      .WhenReply({"flight", false, "t1:flight-old", true, ""})
      .ThenNothing()
      .ThenStep("flight", StepStatus::kRunning)
      .ThenLastReply("flight", "ignored (key t1:flight-old): success");
  s.WhenReply({"flight", false, "t9:flight", false, "sold_out"}).ThenNothing().ThenSaga(SagaState::kRunning);
  s.WhenSucceeds("flight").ThenSends({"command hotel t1:hotel #1", "command car t1:car #1"});
}

TEST(SagaLateReplyTest, ASecondSuccessDoesNothing) {
  Scenario s;
  s.GivenStarted().WhenSucceeds("flight").WhenSucceeds("flight").ThenNothing().ThenLastReply("flight", "late: success");
  s.ThenAttempts("hotel", 1).ThenAttempts("car", 1);
}

TEST(SagaLateReplyTest, AFailureAfterASuccessDoesNothing) {
  Scenario s;
  s.GivenStarted().WhenSucceeds("flight").WhenFails("flight", "sold_out").ThenNothing().ThenSaga(SagaState::kRunning);
}

TEST(SagaLateReplyTest, AReplyForAStepNotYetStartedIsIgnored) {
  Scenario s;
  s.GivenStarted().WhenSucceeds("insurance").ThenNothing().ThenStep("insurance", StepStatus::kPending);
  s.WhenReply({"boat", false, "t1:boat", true, ""}).ThenNothing();
}

TEST(SagaLateReplyTest, CompensationRepliesWithAWrongKeyOrOutOfPhaseAreIgnored) {
  Scenario s;
  s.GivenStarted()
      .WhenCompensated("flight")  // nothing to compensate yet
      .ThenNothing()
      .ThenStep("flight", StepStatus::kRunning)
      .ThenLastReply("flight", "late compensation reply: success");
  s.WhenEveryAttemptTimesOut("flight")
      .WhenReply({"flight", true, "t1:flight", true, ""})  // the command's key on the compensation topic
      .ThenNothing()
      .ThenStep("flight", StepStatus::kCompensating);
  s.WhenCompensated("flight").ThenSends({"outcome t1:outcome #1"});
  s.WhenCompensated("flight").ThenNothing().ThenLastReply("flight", "late compensation reply: success");
}

TEST(SagaLateReplyTest, ADuplicateAcknowledgementOrOneWithAWrongKeyDoesNothing) {
  Scenario s;
  s.GivenCompleted()
      .WhenReply({std::string(kOutcomeStep), false, "t1:other", true, ""})
      .ThenNothing()
      .ThenStep(std::string(kOutcomeStep), StepStatus::kRunning);
  s.WhenAcknowledged().WhenAcknowledged().ThenNothing().ThenStep(std::string(kOutcomeStep), StepStatus::kSucceeded);
}

// ----------------------------------------------------------------------------------------------------
// A success for a step recorded failed: the participant acted after all, so the step is undone

TEST(SagaLateSuccessTest, AfterCancelledTheStepIsCompensatedAndTheOutcomeStays) {
  Scenario s;
  s.GivenStarted().WhenFails("flight", "sold_out").ThenSends({"outcome t1:outcome #1"});
  s.WhenAcknowledged();
  s.WhenSucceeds("flight")
      .ThenSends({"compensate flight t1:flight:compensation #1"})
      .ThenReports({"progress flight_succeeded_late"})
      .ThenSaga(SagaState::kCancelled, "sold_out")
      .ThenStep("flight", StepStatus::kCompensating)
      .ThenAttempts("flight", 1, 1)
      .ThenDeadlineIn("flight", Millis(1'000))
      .ThenLastReply("flight", "late: success after sold_out: compensating")
      .ThenStep(std::string(kOutcomeStep), StepStatus::kSucceeded)
      .ThenDeadlineIn(std::string(kOutcomeStep), std::nullopt);
  s.WhenSucceeds("flight").ThenNothing().ThenAttempts("flight", 1, 1);  // a repeat: one compensation
  s.WhenCompensated("flight")
      .ThenSends({})
      .ThenReports({"progress flight_compensated"})
      .ThenStep("flight", StepStatus::kCompensated)
      .ThenSaga(SagaState::kCancelled, "sold_out")
      .ThenNoDeadlines();
  s.WhenSucceeds("flight").ThenNothing().ThenStep("flight", StepStatus::kCompensated);
}

TEST(SagaLateSuccessTest, AfterCancelledTheCompensationIsSentUntilConfirmedNeverFailingTheSaga) {
  Scenario s;
  s.GivenStarted().WhenFails("flight", "sold_out").WhenAcknowledged().WhenSucceeds("flight");
  for (int attempt = 2; attempt <= kStepRetry.max_attempts + 5; ++attempt) {
    s.WhenDeadlinePasses("flight")
        .ThenSends({"compensate flight t1:flight:compensation #" + std::to_string(attempt)})
        .ThenSaga(SagaState::kCancelled, "sold_out")
        .ThenStep("flight", StepStatus::kCompensating);
  }
  s.ThenDeadlineIn("flight", Millis(2'700));  // capped at 3 s, less jitter
  s.WhenCompensated("flight").ThenStep("flight", StepStatus::kCompensated).ThenSaga(SagaState::kCancelled, "sold_out");
}

TEST(SagaLateSuccessTest, WhileCompensatingTheSagaEndsOnlyAfterTheLateCompensationIsConfirmed) {
  Scenario s;
  s.GivenStageRunning(1).WhenFails("hotel", "no_rooms").ThenSends({"compensate car t1:car:compensation #1"});
  s.WhenSucceeds("hotel")
      .ThenSends({"compensate hotel t1:hotel:compensation #1"})
      .ThenSaga(SagaState::kCompensating, "no_rooms");
  s.WhenCompensated("car").ThenSends({}).ThenStep("flight", StepStatus::kSucceeded);
  s.WhenCompensated("hotel").ThenSends({"compensate flight t1:flight:compensation #1"});
  s.WhenCompensated("flight").ThenSends({"outcome t1:outcome #1"}).ThenSaga(SagaState::kCancelled, "no_rooms");
}

TEST(SagaLateSuccessTest, ALateSuccessFromAStageTheCompensationHasLeftHoldsTheOutcomeBack) {
  Scenario s;
  s.GivenStageRunning(1).WhenFails("hotel", "no_rooms").WhenCompensated("car");
  s.ThenSends({"compensate flight t1:flight:compensation #1"});
  s.WhenSucceeds("hotel").ThenSends({"compensate hotel t1:hotel:compensation #1"});
  s.WhenCompensated("flight").ThenSends({}).ThenSaga(SagaState::kCompensating, "no_rooms");
  s.WhenCompensated("hotel").ThenSends({"outcome t1:outcome #1"}).ThenSaga(SagaState::kCancelled, "no_rooms");
}

TEST(SagaLateSuccessTest, AStepWithNothingToUndoIsOnlyRecorded) {
  Scenario s(/*car_compensates=*/false);
  s.GivenStageRunning(1).WhenFails("car", "no_cars").ThenSends({"compensate hotel t1:hotel:compensation #1"});
  s.WhenSucceeds("car").ThenNothing().ThenStep("car", StepStatus::kFailed).ThenLastReply("car", "late: success");
}

TEST(SagaLateSuccessTest, InAFailedSagaTheLateCompensationIsSentAndTheSagaWaitsForTheOperator) {
  Scenario s;
  s.GivenStageRunning(1).WhenFails("car", "no_cars").WhenEveryCompensationTimesOut("hotel");
  s.ThenSaga(SagaState::kFailed, "no_cars").ThenNoDeadlines();
  s.WhenSucceeds("car")
      .ThenSends({"compensate car t1:car:compensation #1"})
      .ThenSaga(SagaState::kFailed, "no_cars")
      .ThenDeadlineIn("car", Millis(2'000));
  s.WhenEveryCompensationTimesOut("car")
      .ThenReports({"progress car_compensation_failed"})  // FAILED already: said once
      .ThenStep("car", StepStatus::kCompensationFailed)
      .ThenSaga(SagaState::kFailed, "no_cars")
      .ThenNoDeadlines();
  s.WhenRedriven().ThenSends({"compensate hotel t1:hotel:compensation #1", "compensate car t1:car:compensation #1"});
  s.WhenCompensated("hotel").WhenCompensated("car").ThenSends({"compensate flight t1:flight:compensation #1"});
  s.WhenCompensated("flight").ThenSaga(SagaState::kCancelled, "no_cars");
}

TEST(SagaLateSuccessTest, ATimedOutStepAlreadyBeingCompensatedGetsNoSecondCompensation) {
  Scenario s;
  s.GivenStarted().WhenEveryAttemptTimesOut("flight").ThenAttempts("flight", 3, 1);
  s.WhenSucceeds("flight").ThenNothing().ThenAttempts("flight", 3, 1).ThenLastReply("flight", "late: success");
}

TEST(SagaLateSuccessTest, AFailureAfterAFailureIsARepeatAndDoesNothing) {
  Scenario s;
  s.GivenStarted().WhenFails("flight", "sold_out").WhenFails("flight", "sold_out");
  s.ThenNothing().ThenStep("flight", StepStatus::kFailed).ThenLastReply("flight", "late: failure: sold_out");
}

// ----------------------------------------------------------------------------------------------------
// A start whose input the definition rejects

TEST(SagaRejectTest, ARejectedStartEndsCancelledWithTheDefinitionsReasonSendingOnlyTheOutcome) {
  Scenario s;
  s.GivenCreated()
      .WhenRejected()
      .ThenSends({"outcome t1:outcome #1"})
      .ThenReports({"progress start_rejected unbookable"})
      .ThenSaga(SagaState::kCancelled, "unbookable")
      .ThenDeadlineIn(std::string(kOutcomeStep), Millis(1'000));
  for (const char* step : {"flight", "hotel", "car", "insurance"}) {
    s.ThenStep(step, StepStatus::kPending).ThenAttempts(step, 0);
  }
  s.WhenDeadlinePasses(std::string(kOutcomeStep)).ThenSends({"outcome t1:outcome #2"});
  s.WhenAcknowledged().ThenNoDeadlines();
  s.WhenStartArrivesAgain().ThenSends({"outcome t1:outcome #3"}).ThenSaga(SagaState::kCancelled, "unbookable");
  s.WhenSucceeds("flight").ThenNothing().ThenStep("flight", StepStatus::kPending);  // never sent: not ours
}

TEST(SagaRejectTest, ASagaThatHasBegunIsNotRejected) {
  Scenario s;
  s.GivenStarted().WhenRejected().ThenNothing().ThenSaga(SagaState::kRunning);
}

// ----------------------------------------------------------------------------------------------------
// Compensation retries, FAILED and the operator's re-drive

TEST(SagaCompensationRetryTest, ARefusedCompensationIsSentAgainAtItsDeadlineWithTheSameKey) {
  Scenario s;
  s.GivenStageRunning(1).WhenFails("car", "no_cars").ThenSends({"compensate hotel t1:hotel:compensation #1"});
  s.WhenCompensationFails("hotel")
      .ThenNothing()
      .ThenStep("hotel", StepStatus::kCompensating)
      .ThenLastReply("hotel", "compensation failure: refused");
  s.WhenDeadlinePasses("hotel")
      .ThenSends({"compensate hotel t1:hotel:compensation #2"})
      .ThenAttempts("hotel", 1, 2)
      .ThenDeadlineIn("hotel", Wait(Millis(1'000), 2));
}

TEST(SagaCompensationRetryTest, ACompensationNeverConfirmedFailsTheSagaAndClearsEveryDeadline) {
  Scenario s;
  s.GivenStageRunning(1).WhenFails("car", "no_cars");
  s.WhenDeadlinePasses("hotel").WhenDeadlinePasses("hotel").ThenAttempts("hotel", 1, 3);
  s.WhenDeadlinePasses("hotel")
      .ThenSends({})
      .ThenReports({"progress hotel_compensation_failed", "progress failed"})
      .ThenSaga(SagaState::kFailed, "no_cars")
      .ThenStep("hotel", StepStatus::kCompensationFailed)
      .ThenStep("flight", StepStatus::kSucceeded)
      .ThenNoDeadlines();
  s.WhenTimePasses(Millis(3'600'000)).ThenNothing().ThenSaga(SagaState::kFailed, "no_cars");
}

TEST(SagaCompensationRetryTest, FailingOneCompensationClearsTheDeadlineOfItsParallelSibling) {
  Scenario s;
  s.GivenStageRunning(2).WhenEveryAttemptTimesOut("insurance").WhenCompensated("insurance");
  s.ThenSends({"compensate hotel t1:hotel:compensation #1", "compensate car t1:car:compensation #1"});
  s.WhenEveryCompensationTimesOut("hotel")  // hotel's deadlines come before car's
      .ThenSaga(SagaState::kFailed, "timeout")
      .ThenStep("hotel", StepStatus::kCompensationFailed)
      .ThenStep("car", StepStatus::kCompensating)
      .ThenNoDeadlines();
}

TEST(SagaRedriveTest, RedriveOfAFailedSagaResumesCompensationAndCanReachCancelled) {
  Scenario s;
  s.GivenStageRunning(1).WhenFails("car", "no_cars").WhenEveryCompensationTimesOut("hotel");
  s.ThenSaga(SagaState::kFailed, "no_cars");
  s.clock().Advance(Millis(3'600'000));
  s.WhenRedriven()
      .ThenReports({"progress compensating"})
      .ThenSends({"compensate hotel t1:hotel:compensation #1"})
      .ThenSaga(SagaState::kCompensating, "no_cars")
      .ThenStep("hotel", StepStatus::kCompensating)
      .ThenAttempts("hotel", 1, 1)
      .ThenDeadlineIn("hotel", Millis(1'000));
  s.WhenCompensated("hotel").ThenSends({"compensate flight t1:flight:compensation #1"});
  s.WhenCompensated("flight").ThenSends({"outcome t1:outcome #1"}).ThenSaga(SagaState::kCancelled, "no_cars");
}

TEST(SagaRedriveTest, RedriveOfAFailedSagaResendsEveryUnconfirmedCompensationOfTheStage) {
  Scenario s;
  s.GivenStageRunning(2).WhenEveryAttemptTimesOut("insurance").WhenCompensated("insurance");
  s.WhenEveryCompensationTimesOut("hotel").ThenSaga(SagaState::kFailed, "timeout");
  s.WhenRedriven().ThenSends({"compensate hotel t1:hotel:compensation #1", "compensate car t1:car:compensation #1"});
  s.WhenCompensated("car").ThenSends({}).WhenCompensated("hotel").ThenSends(
      {"compensate flight t1:flight:compensation #1"});
}

TEST(SagaRedriveTest, ACompensationConfirmedWhileFailedIsKeptAndNotResentByTheRedrive) {
  Scenario s;
  s.GivenStageRunning(2).WhenEveryAttemptTimesOut("insurance").WhenCompensated("insurance");
  s.WhenEveryCompensationTimesOut("hotel").WhenCompensated("car");
  s.ThenStep("car", StepStatus::kCompensated).ThenSaga(SagaState::kFailed, "timeout").ThenNoDeadlines();
  s.WhenRedriven().ThenSends({"compensate hotel t1:hotel:compensation #1"});
  s.WhenCompensated("hotel").ThenSends({"compensate flight t1:flight:compensation #1"});
}

TEST(SagaRedriveTest, RedriveOfARunningSagaSendsTheWaitingCommandNowWithTheSameKey) {
  Scenario s;
  s.GivenStageRunning(1).WhenSucceeds("hotel");
  s.clock().Advance(Millis(500));
  s.WhenRedriven()
      .ThenSends({"command car t1:car #1"})
      .ThenDeadlineIn("car", Millis(2'000))
      .ThenSaga(SagaState::kRunning);
}

TEST(SagaRedriveTest, RedriveOfACompensatingSagaResendsTheWaitingCompensation) {
  Scenario s;
  s.GivenStageRunning(1).WhenFails("car", "no_cars");
  s.WhenRedriven().ThenSends({"compensate hotel t1:hotel:compensation #1"}).ThenDeadlineIn("hotel", Millis(1'000));
}

TEST(SagaRedriveTest, RedriveOfAFinishedSagaResendsOnlyAnUnacknowledgedOutcome) {
  Scenario s;
  s.GivenCompleted()
      .WhenRedriven()
      .ThenSends({"outcome t1:outcome #2"})
      .ThenDeadlineIn(std::string(kOutcomeStep), Millis(1'000));
  s.WhenAcknowledged().WhenRedriven().ThenSends({}).ThenSaga(SagaState::kCompleted).ThenNoDeadlines();
}

// ----------------------------------------------------------------------------------------------------
// The start message again

TEST(SagaRepeatedStartTest, ARunningOrCompensatingSagaDoesNothing) {
  Scenario s;
  s.GivenStarted().WhenStartArrivesAgain().ThenNothing();
  Scenario compensating;
  compensating.GivenStageRunning(1).WhenFails("car", "no_cars").WhenStartArrivesAgain().ThenNothing();
}

TEST(SagaRepeatedStartTest, AFinishedSagaPublishesItsOutcomeAgain) {
  Scenario s;
  s.GivenCompleted()
      .WhenStartArrivesAgain()
      .ThenSends({"outcome t1:outcome #2"})
      .ThenAttempts(std::string(kOutcomeStep), 2);
  s.WhenAcknowledged().WhenStartArrivesAgain().ThenSends({"outcome t1:outcome #3"}).ThenSaga(SagaState::kCompleted);
  Scenario cancelled;
  cancelled.GivenStarted().WhenFails("flight", "sold_out").WhenStartArrivesAgain().ThenSends({"outcome t1:outcome #2"});
}

TEST(SagaRepeatedStartTest, AFailedSagaReportsThatItFailed) {
  Scenario s;
  s.GivenStarted().WhenEveryAttemptTimesOut("flight").WhenEveryCompensationTimesOut("flight");
  s.ThenSaga(SagaState::kFailed, "timeout");
  s.WhenStartArrivesAgain().ThenSends({}).ThenReports({"progress failed"});
}

// ----------------------------------------------------------------------------------------------------
// The outcome

TEST(SagaOutcomeTest, TheOutcomeIsSentAgainOnItsDeadlineWithGrowingWaitsUntilAcknowledgedThenStops) {
  Scenario s;
  s.GivenCompleted();
  const std::string outcome(kOutcomeStep);
  s.WhenTimePasses(Millis(999)).ThenNothing();
  s.WhenDeadlinePasses(outcome)
      .ThenSends({"outcome t1:outcome #2"})
      .ThenDeadlineIn(outcome, WaitAfterSend(Millis(1'000), kOutcomeRetry, 2, kRandomUnit));
  s.WhenDeadlinePasses(outcome).ThenSends({"outcome t1:outcome #3"});
  for (int attempt = 4; attempt < 10; ++attempt) s.WhenDeadlinePasses(outcome);
  s.ThenSends({"outcome t1:outcome #9"}).ThenDeadlineIn(outcome, Millis(3'600));  // capped at 4 s, less jitter
  s.WhenAcknowledged().ThenNothing().ThenNoDeadlines();
  s.WhenTimePasses(Millis(3'600'000)).ThenNothing();
}

TEST(SagaOutcomeTest, ACancelledSagaPublishesItsOutcomeTooUntilAcknowledged) {
  Scenario s;
  s.GivenStarted().WhenFails("flight", "sold_out").WhenDeadlinePasses(std::string(kOutcomeStep));
  s.ThenSends({"outcome t1:outcome #2"}).WhenAcknowledged().ThenNoDeadlines();
}

}  // namespace
}  // namespace sagaflow::engine
