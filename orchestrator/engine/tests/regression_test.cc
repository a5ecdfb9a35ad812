// One regression test per bug fixed in the engine, named after the bug.
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "orchestrator/engine/saga_engine.h"

namespace sagaflow::engine {

// So that EXPECT_EQ on actions prints them readably.
void PrintTo(const Action& action, std::ostream* os) {
  *os << "{kind=" << static_cast<int>(action.kind) << " step=" << action.step << " key=" << action.idempotency_key
      << " attempt=" << action.attempt << " progress=" << action.progress.event << "/" << action.progress.reason << "}";
}

namespace trip {
SagaDefinition MakeTripSaga(bool car_compensates);  // trip_saga.cc
}  // namespace trip

namespace {

// Bug: Action declared `operator== = default`, but ProgressEvent had no operator==, so Action's was
// implicitly deleted and no caller could compare actions (saga_definition.h).
TEST(EngineRegressionTest, ActionEqualityWasDeletedBecauseProgressEventHadNone) {
  const Action progress{ActionKind::kProgress, "flight", "", 0, {"flight_failed", "sold_out"}};
  EXPECT_EQ(progress, (Action{ActionKind::kProgress, "flight", "", 0, {"flight_failed", "sold_out"}}));
  EXPECT_NE(progress, (Action{ActionKind::kProgress, "flight", "", 0, {"flight_failed", ""}}));
  EXPECT_NE((Action{ActionKind::kSendCommand, "flight", "t1:flight", 1, {}}),
            (Action{ActionKind::kSendCommand, "flight", "t1:flight", 2, {}}));

  const SagaDefinition definition = trip::MakeTripSaga(true);
  const SagaEngine engine(definition);
  const ManualClock clock;
  SagaInstance saga = engine.Create("saga-t1", "t1", "{}", clock.Now());
  EXPECT_EQ(engine.Start(saga, clock.Now()),
            (std::vector<Action>{{ActionKind::kProgress, "", "", 0, {"saga_started", ""}},
                                 {ActionKind::kSendCommand, "flight", "t1:flight", 1, {}}}));
}

// Bug: Validate accepted a step named "outcome", which collides with the engine's own outcome step:
// Create made two steps of that name, its replies were taken for the outcome's acknowledgement, and
// saga_steps (keyed by saga and step name) kept only one of them.
TEST(EngineRegressionTest, AStepNamedLikeTheOutcomeStepWasAccepted) {
  SagaDefinition definition = trip::MakeTripSaga(true);
  definition.stages[2].steps[0].name = std::string(kOutcomeStep);
  const Status valid = definition.Validate();
  EXPECT_TRUE(valid.IsInvalidArgument()) << valid.ToString();
}

// Bug: Validate accepted a step with a compensation but no compensation reply topic; nothing could ever
// confirm that compensation, so every saga compensating it ended FAILED.
TEST(EngineRegressionTest, ACompensationWithoutAReplyTopicWasAccepted) {
  SagaDefinition definition = trip::MakeTripSaga(true);
  definition.stages[0].steps[0].compensation_reply_topic.clear();
  const Status valid = definition.Validate();
  EXPECT_TRUE(valid.IsInvalidArgument()) << valid.ToString();
}

// Bug: a compensation confirmed only after its attempts ran out left the saga FAILED for ever, although
// the compensation had happened; now the late confirmation resumes it and it can end CANCELLED.
TEST(EngineRegressionTest, ALateCompensationConfirmationLeftTheSagaFailed) {
  const SagaDefinition definition = trip::MakeTripSaga(true);
  const SagaEngine engine(definition);
  ManualClock clock;
  SagaInstance saga = engine.Create("saga-t2", "t2", "{}", clock.Now());
  engine.Start(saga, clock.Now());
  engine.OnReply(saga, {"flight", false, "t2:flight", false, "sold_out"}, clock.Now(), 0.5);
  ASSERT_EQ(saga.state, SagaState::kCancelled) << "a failed first step leaves nothing to compensate";

  // Now a saga whose flight succeeded and whose hotel fails: the flight's cancellation never confirms.
  saga = engine.Create("saga-t3", "t3", "{}", clock.Now());
  engine.Start(saga, clock.Now());
  engine.OnReply(saga, {"flight", false, "t3:flight", true, ""}, clock.Now(), 0.5);
  engine.OnReply(saga, {"hotel", false, "t3:hotel", false, "no_rooms"}, clock.Now(), 0.5);
  for (int i = 0; i < 20 && saga.state != SagaState::kFailed; ++i) {
    clock.Advance(Millis(60'000));
    engine.OnTimers(saga, clock.Now(), 0.5);
    // The car (stage 1, parallel to the hotel) confirms its cancellation; the flight's never comes.
    engine.OnReply(saga, {"car", true, "t3:car:compensation", true, ""}, clock.Now(), 0.5);
  }
  ASSERT_EQ(saga.state, SagaState::kFailed);
  ASSERT_EQ(saga.Step("flight")->status, StepStatus::kCompensationFailed);

  const auto actions = engine.OnReply(saga, {"flight", true, "t3:flight:compensation", true, ""}, clock.Now(), 0.5);
  EXPECT_EQ(saga.Step("flight")->status, StepStatus::kCompensated);
  EXPECT_EQ(saga.state, SagaState::kCancelled);
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(actions.back().kind, ActionKind::kSendOutcome);
}

}  // namespace
}  // namespace sagaflow::engine
