#include "orchestrator/engine/saga_manager.h"

#include <algorithm>

#include "common/json.h"
#include "common/time_format.h"
#include "orchestrator/engine/saga_store.h"

namespace sagaflow::engine {

namespace {

// How a log line names a saga: by its definition's correlation field ("orderId=<id>").
std::string Named(const SagaDefinition& definition, std::string_view correlation_id) {
  return definition.correlation_field + "=" + std::string(correlation_id);
}

// Whether the last copy of a finished saga's outcome is still in our outbox, not yet published. A repeated start
// then has nothing to add: that copy goes out, and another would only lengthen the backlog that made the sender
// repeat itself.
bool OutcomeStillQueued(storage::Sql& sql, const SagaInstance& saga) {
  if (!IsFinished(saga.state)) return false;
  const StepState* outcome = saga.Step(kOutcomeStep);
  if (outcome == nullptr || !outcome->outbox_id) return false;
  const auto times = storage::Outbox::Times(sql, *outcome->outbox_id);
  return times && !times->published_at;
}

// What a repeated start found and did, for the saga's timeline.
std::string RepeatedStartDetail(SagaState state, bool sent, bool outcome_queued) {
  const std::string found = "saga is " + std::string(ToString(state));
  if (outcome_queued) return found + ": its outcome is still in our outbox, nothing sent";
  if (!sent) return found + ": nothing sent";
  return found + (IsFinished(state) ? ": outcome sent again" : ": its failed progress event sent again");
}

}  // namespace

SagaManager::SagaManager(const SagaRegistry& registry, storage::Database& db, storage::Outbox& outbox,
                         const Clock& clock, RandomSource& random, Logger logger, Metrics& metrics)
    : registry_(registry),
      db_(db),
      outbox_(outbox),
      clock_(clock),
      random_(random),
      logger_(std::move(logger)),
      metrics_(metrics) {
  metrics_.Describe("sagaflow_sagas_started_total", "counter", "Sagas started");
  metrics_.Describe("sagaflow_sagas_finished_total", "counter", "Sagas that reached a final state, by state");
  metrics_.Describe("sagaflow_saga_commands_sent_total", "counter", "Commands, compensations and outcomes sent");
  metrics_.Describe("sagaflow_step_latency_ms", "summary", "Time from sending a step's command to its reply");
  metrics_.Describe("sagaflow_replies_ignored_total", "counter",
                    "Replies that are not about what the saga asked for (a participant's bug or a forgery)");
  metrics_.Describe("sagaflow_late_contradictions_total", "counter",
                    "Late replies that contradict a step's recorded outcome (a participant's bug or a forgery)");
  metrics_.Describe("sagaflow_late_compensations_total", "counter",
                    "Compensations sent for a step that reported success after it had been recorded failed");
  metrics_.Describe("sagaflow_sagas_rejected_total", "counter",
                    "Start messages whose input the saga rejected, recorded as cancelled sagas");
  metrics_.Describe("sagaflow_sagas", "gauge", "Unfinished sagas by state (finished: sagaflow_sagas_finished_total)");
  metrics_.Describe("sagaflow_saga_steps_awaiting", "gauge",
                    "Steps whose command, compensation or outcome was sent and awaits its reply, finished sagas' "
                    "included: 0 when the engine has nothing left to send again");
  metrics_.AddCollector([this](Metrics& m) {
    (void)db_.Read([&](storage::Sql& sql) {
      for (const char* state : {"RUNNING", "COMPENSATING", "FAILED"}) {
        m.Set(std::string("sagaflow_sagas{state=\"") + state + "\"}", 0);
      }
      // Finished sagas are not counted here: counting them would read every saga ever run on each scrape.
      auto& select = sql.Prepare(
          "SELECT state, COUNT(*) FROM sagas WHERE state IN ('RUNNING', 'COMPENSATING', 'FAILED') GROUP BY state");
      while (select.executeStep()) {
        m.Set("sagaflow_sagas{state=\"" + select.getColumn(0).getString() + "\"}",
              static_cast<double>(select.getColumn(1).getInt64()));
      }
      // A finished saga may still await something (a late success's compensation, the outcome's acknowledgement),
      // which the states above do not show. Counted through the partial index on deadline, never the history.
      auto& awaiting = sql.Prepare("SELECT COUNT(*) FROM saga_steps WHERE deadline IS NOT NULL");
      if (awaiting.executeStep()) {
        m.Set("sagaflow_saga_steps_awaiting", static_cast<double>(awaiting.getColumn(0).getInt64()));
      }
      return Status::Ok();
    });
  });
}

Status SagaManager::Register(messaging::Consumer& consumer) {
  // No inbox: the engine acts on a reply only while its step awaits it and starts a saga only once per
  // correlation id, so a redelivered message changes nothing but the step's last_reply note (or, for a
  // finished saga's start, re-publishes the outcome, as a repeated start must anyway). Replies to re-sent
  // commands carry new message ids, so the engine makes these checks in any case.
  constexpr auto kDedupe = messaging::Consumer::Dedupe::kByHandler;
  for (const auto& [topic, route] : registry_.Routes()) {
    auto handler = route.start ? messaging::Consumer::TopicHandler(
                                     [this, name = route.name](storage::UnitOfWork& uow, const messaging::Envelope& m) {
                                       return OnStart(uow, name, m);
                                     })
                               : messaging::Consumer::TopicHandler(
                                     [this, name = route.name](storage::UnitOfWork& uow, const messaging::Envelope& m) {
                                       return OnReply(uow, name, m);
                                     });
    if (Status registered = consumer.On(topic, std::move(handler), kDedupe, route.correlation_field);
        !registered.ok()) {
      return registered;
    }
  }
  return Status::Ok();
}

Status SagaManager::CheckActiveSagas() {
  std::map<std::pair<std::string, int>, int64_t> active;
  Status read = db_.Read([&](storage::Sql& sql) {
    active = store::ActiveSagasByVersion(sql);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  for (const auto& [version, count] : active) {
    const SagaRegistry::Entry* entry = registry_.Find(version.first, version.second);
    if (entry == nullptr) {
      return Status::FailedPrecondition(std::to_string(count) + " unfinished " + version.first + " saga(s) began on " +
                                        "version " + std::to_string(version.second) + " of its definition, which " +
                                        "is neither in the folder of definitions nor stored in the database: put " +
                                        "that version back in the folder until they finish");
    }
    if (Status same = CheckSteps(*entry); !same.ok()) return same;
  }
  return Status::Ok();
}

Status SagaManager::CheckSteps(const SagaRegistry::Entry& entry) {
  const SagaDefinition& definition = entry.definition;
  // The shape a fresh saga of the definition has: its steps in stage order, then the outcome.
  const SagaInstance fresh = entry.engine.Create("", "", "", TimePoint{});
  std::vector<std::string> expected;
  for (const auto& step : fresh.steps) expected.push_back(step.name + "@" + std::to_string(step.stage));
  std::sort(expected.begin(), expected.end());
  std::string mismatch;
  size_t mismatched = 0;
  Status read = db_.Read([&](storage::Sql& sql) {
    for (auto& [saga_id, steps] : store::ActiveSagaSteps(sql, definition.name, definition.version)) {
      std::sort(steps.begin(), steps.end());
      if (steps == expected) continue;
      if (mismatched++ == 0) {
        mismatch.append("saga ").append(saga_id).append(" has steps ");
        for (size_t i = 0; i < steps.size(); ++i) mismatch.append(i == 0 ? "" : ", ").append(steps[i]);
      }
    }
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (mismatched == 0) return Status::Ok();
  std::string now;
  for (const auto& step : expected) now.append(now.empty() ? "" : ", ").append(step);
  return Status::FailedPrecondition(
      std::to_string(mismatched) + " unfinished " + definition.name + " saga(s) began with other steps than version " +
      std::to_string(definition.version) + " of its definition now has (" + now + "; " + mismatch +
      "): let them finish under the definition they began with, " + "or give the changed saga another version");
}

const SagaRegistry::Entry* SagaManager::EntryOf(const SagaInstance& saga) const {
  const SagaRegistry::Entry* entry = registry_.Find(saga.definition, saga.definition_version);
  if (entry == nullptr) {
    logger_->error("saga {} began on {} version {}, which this orchestrator does not hold; left as it is", saga.saga_id,
                   saga.definition, saga.definition_version);
  }
  return entry;
}

Status SagaManager::OnStart(storage::UnitOfWork& uow, const std::string& name, const messaging::Envelope& message) {
  const SagaRegistry::Entry& current = *registry_.Current(name);
  const SagaDefinition& definition = current.definition;
  const TimePoint now = clock_.Now();
  const std::string correlation_id(message.correlation_id);
  if (auto existing = store::LoadByCorrelation(uow, name, correlation_id)) {
    const SagaRegistry::Entry* began_on = registry_.Find(name, existing->definition_version);
    // A finished saga of a version no longer held republishes its outcome as the current version words it.
    const SagaRegistry::Entry& entry = began_on != nullptr ? *began_on : current;
    const SagaInstance stored = *existing;
    const bool queued = OutcomeStillQueued(uow, *existing);
    auto actions = queued ? std::vector<Action>{} : entry.engine.OnRepeatedStart(*existing, now);
    logger_->info(
        "{} {} again: saga is {}{}", Named(definition, correlation_id), message.topic, ToString(existing->state),
        queued ? "; its outcome is still in our outbox" : (actions.empty() ? "" : "; publishing its outcome again"));
    Timeline timeline(existing->saga_id, now);
    timeline.Repeat(uow, EventKind::kStartRepeated, "", std::string(message.topic), message.payload,
                    RepeatedStartDetail(stored.state, !actions.empty(), queued));
    if (!actions.empty()) {
      Apply(uow, entry.definition, *existing, stored.state, actions, now, timeline);
      store::Save(uow, *existing, &stored);
    }
    timeline.Flush(uow);
    return Status::Ok();
  }
  Status valid = definition.validate_start ? definition.validate_start(message.payload) : Status::Ok();
  if (!valid.ok() && definition.rejected_start_reason.empty()) return Status::InvalidArgument(valid.message());
  // As received: a copied number keeps its text (re-serialising the parsed body would turn 5.00 into 5.0).
  std::string data(message.payload);
  SagaInstance saga = current.engine.Create(NewTimeOrderedUuid(now, random_), correlation_id, std::move(data), now);
  Timeline timeline(saga.saga_id, now);
  if (!valid.ok()) {
    // Dead-lettering it would leave whoever sent it waiting for an outcome, and asking again for ever.
    auto actions = current.engine.Reject(saga, now);
    timeline.Cause(EventKind::kStartRejected, "", std::string(message.topic), saga.data, valid.message());
    Apply(uow, definition, saga, SagaState::kRunning, actions, now, timeline);
    store::Save(uow, saga);
    timeline.Flush(uow);
    metrics_.Add("sagaflow_sagas_rejected_total");
    logger_->warn("{} {} rejected: {}; saga {} recorded CANCELLED with reason {}", Named(definition, correlation_id),
                  message.topic, valid.message(), saga.saga_id, saga.failure_reason);
    return Status::Ok();
  }
  auto actions = current.engine.Start(saga, now);
  timeline.Cause(EventKind::kSagaStarted, "", std::string(message.topic), saga.data,
                 name + " version " + std::to_string(definition.version));
  Apply(uow, definition, saga, SagaState::kRunning, actions, now, timeline);
  store::Save(uow, saga);
  timeline.Flush(uow);
  metrics_.Add("sagaflow_sagas_started_total");
  logger_->info("{} saga {} started ({} version {})", Named(definition, correlation_id), saga.saga_id, name,
                definition.version);
  return Status::Ok();
}

Result<Reply> SagaManager::ReadReply(const SagaDefinition& definition, const messaging::Envelope& message,
                                     const std::string& key, const StepDefinition** replying_step) {
  const std::string topic(message.topic);
  Reply reply;
  reply.idempotency_key = key;
  *replying_step = nullptr;
  if (topic == definition.outcome.ack_topic) {
    reply.step = std::string(kOutcomeStep);
    reply.success = true;
    return reply;
  }
  bool compensation = false;
  const StepDefinition* step = definition.FindStepByReplyTopic(topic, &compensation);
  if (step == nullptr) {
    return Status::InvalidArgument("no step of " + definition.name + " version " + std::to_string(definition.version) +
                                   " replies on " + topic);
  }
  reply.step = step->name;
  reply.compensation = compensation;
  *replying_step = step;
  if (compensation) {
    auto success = GetBool(message.body, "success");
    reply.success = !success.ok() || *success;
  } else {
    const ReplyVerdict verdict = step->read_reply(message.body);
    reply.success = verdict.success;
    reply.reason = verdict.reason;
  }
  return reply;
}

Status SagaManager::OnReply(storage::UnitOfWork& uow, const std::string& name, const messaging::Envelope& message) {
  const TimePoint now = clock_.Now();
  const std::string topic(message.topic);
  auto key = GetString(message.body, "idempotencyKey");
  if (!key.ok()) return Status::InvalidArgument(key.status().message());
  auto saga = store::LoadByCorrelation(uow, name, std::string(message.correlation_id));
  if (!saga) {
    logger_->warn("{} for an unknown {} saga ({}) ignored", topic, name, message.correlation_id);
    return Status::Ok();
  }
  const SagaRegistry::Entry* entry = EntryOf(*saga);
  if (entry == nullptr) return Status::Ok();
  const SagaDefinition& definition = entry->definition;
  const StepDefinition* replying_step = nullptr;
  auto read = ReadReply(definition, message, std::string(*key), &replying_step);
  if (!read.ok()) return read.status();
  const Reply& reply = *read;
  if (replying_step != nullptr && !reply.compensation && replying_step->verify_reply) {
    const std::string at = FormatIso8601(now);
    const SagaContext context{saga->saga_id, saga->correlation_id, saga->data, at};
    if (Status ours = replying_step->verify_reply(context, message.body); !ours.ok()) {
      metrics_.Add("sagaflow_replies_ignored_total");
      logger_->warn("{} reply on {} ignored: {}", Named(definition, saga->correlation_id), topic, ours.message());
      Timeline timeline(saga->saga_id, now);
      timeline.Repeat(uow, EventKind::kReplyIgnored, reply.step, topic, message.payload,
                      "not the reply to our command: " + ours.message());
      timeline.Flush(uow);
      return Status::Ok();
    }
  }
  const SagaInstance stored = *saga;
  const StepState* step_before = stored.Step(reply.step);
  // Not an optional: GCC 12 at -O3 reports a false maybe-uninitialized on it.
  const bool was_sent = step_before != nullptr && step_before->sent_at.has_value();
  const TimePoint sent_at = was_sent ? *step_before->sent_at : TimePoint{};
  const StepStatus status_before = step_before != nullptr ? step_before->status : StepStatus::kPending;
  auto actions = entry->engine.OnReply(*saga, reply, now, random_.NextUnit());
  RecordReply(definition, *saga, topic, reply, status_before, was_sent, sent_at, now);
  Timeline timeline(saga->saga_id, now);
  timeline.Replied(uow, stored, *saga, reply, topic, std::string(message.payload), !actions.empty());
  Apply(uow, definition, *saga, stored.state, actions, now, timeline);
  store::Save(uow, *saga, &stored);
  timeline.Flush(uow);
  return Status::Ok();
}

void SagaManager::RecordReply(const SagaDefinition& definition, const SagaInstance& saga, const std::string& topic,
                              const Reply& reply, StepStatus status_before, bool was_sent, TimePoint sent_at,
                              TimePoint now) {
  const StepState* step_after = saga.Step(reply.step);
  if (step_after != nullptr && step_after->last_reply.rfind("late", 0) == 0) {
    // A participant answers every repeat of a key with the reply it stored, so a late reply that says the
    // opposite of what the step recorded is not a repeat: someone acted twice, or the reply is forged.
    const bool contradicts = !reply.compensation && ((reply.success && status_before == StepStatus::kFailed) ||
                                                     (!reply.success && status_before == StepStatus::kSucceeded));
    if (contradicts) metrics_.Add("sagaflow_late_contradictions_total");
    if (contradicts && step_after->status == StepStatus::kCompensating) {
      metrics_.Add("sagaflow_late_compensations_total");
      logger_->warn(
          "{} late success on {} for step {}, which had failed ({}); saga is {}: sending its "
          "compensation (key {})",
          Named(definition, saga.correlation_id), topic, reply.step, step_after->failure_reason, ToString(saga.state),
          SagaEngine::CompensationKey(saga, reply.step));
    } else if (contradicts) {
      logger_->warn("{} late reply on {} contradicts step {} ({}): {}", Named(definition, saga.correlation_id), topic,
                    reply.step, ToString(step_after->status), step_after->last_reply);
    } else {
      logger_->info("{} late or duplicate reply on {} recorded: {}", Named(definition, saga.correlation_id), topic,
                    step_after->last_reply);
    }
  } else if (step_after != nullptr && step_after->last_reply.rfind("ignored", 0) == 0) {
    logger_->warn("{} reply on {} ignored: {}", Named(definition, saga.correlation_id), topic, step_after->last_reply);
  } else if (was_sent && !reply.compensation && reply.step != kOutcomeStep) {
    metrics_.Add("sagaflow_step_latency_ms_sum{step=\"" + reply.step + "\"}",
                 static_cast<double>((now - sent_at).count()));
    metrics_.Add("sagaflow_step_latency_ms_count{step=\"" + reply.step + "\"}");
  }
}

void SagaManager::Apply(storage::UnitOfWork& uow, const SagaDefinition& definition, SagaInstance& saga,
                        SagaState before, const std::vector<Action>& actions, TimePoint now, Timeline& timeline) {
  const std::string who = Named(definition, saga.correlation_id);
  const std::string at = FormatIso8601(now);
  const SagaContext context{saga.saga_id, saga.correlation_id, saga.data, at};
  for (const auto& action : actions) {
    switch (action.kind) {
      case ActionKind::kSendCommand:
      case ActionKind::kSendCompensation: {
        const StepDefinition& step = *definition.FindStep(action.step);
        const bool compensation = action.kind == ActionKind::kSendCompensation;
        const std::string& topic = compensation ? step.compensation_topic : step.command_topic;
        const auto& build = compensation ? step.build_compensation : step.build_command;
        std::string payload = build(context, action.idempotency_key, NewTimeOrderedUuid(now, random_));
        const int64_t row = outbox_.Append(uow, topic, payload);
        Track(saga, action.step, row, now);
        timeline.Sent(compensation ? EventKind::kCompensationSent : EventKind::kCommandSent, action.step,
                      action.attempt, topic, std::move(payload));
        metrics_.Add("sagaflow_saga_commands_sent_total");
        if (action.attempt > 1) {
          logger_->warn("{} {} sent again (attempt {}, key {})", who, topic, action.attempt, action.idempotency_key);
        } else {
          logger_->debug("{} {} sent (key {})", who, topic, action.idempotency_key);
        }
        break;
      }
      case ActionKind::kSendOutcome: {
        const bool completed = saga.state == SagaState::kCompleted;
        std::optional<int64_t> first_row;
        for (auto& message : definition.outcome.build(context, completed, saga.failure_reason, action.idempotency_key,
                                                      NewTimeOrderedUuid(now, random_), at)) {
          const int64_t row = outbox_.Append(uow, message.topic, message.payload);
          if (!first_row) first_row = row;
          timeline.Sent(EventKind::kOutcomeSent, action.step, action.attempt, message.topic, message.payload);
        }
        if (first_row) Track(saga, std::string(kOutcomeStep), *first_row, now);
        metrics_.Add("sagaflow_saga_commands_sent_total");
        if (action.attempt > 1) {
          logger_->info("{} outcome {} published again (attempt {})", who, ToString(saga.state), action.attempt);
        }
        break;
      }
      case ActionKind::kProgress: {
        if (!definition.build_progress) break;
        if (auto message = definition.build_progress(context, action.progress, NewTimeOrderedUuid(now, random_), at)) {
          outbox_.Append(uow, message->topic, message->payload);
        }
        break;
      }
    }
  }
  if (saga.state != before) StateChanged(who, saga, before, timeline);
}

void SagaManager::StateChanged(const std::string& who, const SagaInstance& saga, SagaState before, Timeline& timeline) {
  timeline.StateChanged(before, saga);
  if (saga.state == SagaState::kFailed) {
    logger_->error(
        "{} saga {} FAILED: a compensation was never confirmed; an operator must retry it "
        "(sagactl retry {})",
        who, saga.saga_id, saga.saga_id);
  } else {
    logger_->info("{} saga {} -> {}{}", who, ToString(before), ToString(saga.state),
                  saga.failure_reason.empty() ? "" : " reason=" + saga.failure_reason);
  }
  if (saga.state != SagaState::kRunning && saga.state != SagaState::kCompensating) {
    metrics_.Add("sagaflow_sagas_finished_total{state=\"" + std::string(ToString(saga.state)) + "\"}");
  }
}

void SagaManager::Track(SagaInstance& saga, const std::string& step_name, int64_t outbox_row, TimePoint now) {
  StepState* step = saga.Step(step_name);
  if (step == nullptr) return;
  if (!step->deadline) {
    step->outbox_id.reset();  // nothing awaited: no wait to move
    return;
  }
  step->outbox_id = outbox_row;
  step->wait = std::chrono::duration_cast<Millis>(*step->deadline - now);
}

bool SagaManager::DeferWhileQueued(storage::Sql& sql, SagaInstance& saga, TimePoint now) {
  bool due = false;
  for (StepState& step : saga.steps) {
    if (!step.deadline || *step.deadline > now) continue;
    if (step.outbox_id) {
      const auto times = storage::Outbox::Times(sql, *step.outbox_id);
      if (times && !times->published_at) {
        step.deadline = now + step.wait;  // still in our own outbox: the wait has not begun
        continue;
      }
      step.outbox_id.reset();  // published, or pruned long after: the wait counts from the publish
      if (times && *times->published_at + step.wait > now) {
        step.deadline = *times->published_at + step.wait;
        continue;
      }
    }
    due = true;
  }
  return due;
}

Result<size_t> SagaManager::FireDueTimers() {
  size_t handled = 0;
  for (;;) {
    const TimePoint now = clock_.Now();
    size_t batch = 0;
    size_t fired = 0;
    Status status = db_.Write([&](storage::UnitOfWork& uow) {
      batch = 0;
      fired = 0;
      for (const auto& saga_id : store::DueSagas(uow, now, 100)) {
        ++batch;
        auto saga = store::LoadById(uow, saga_id);
        if (!saga) continue;
        const SagaRegistry::Entry* entry = EntryOf(*saga);
        if (entry == nullptr) continue;
        const SagaInstance stored = *saga;
        if (!DeferWhileQueued(uow, *saga, now)) {
          store::Save(uow, *saga, &stored);  // every due deadline moved: nothing timed out yet
          continue;
        }
        const SagaInstance due = *saga;
        auto actions = entry->engine.OnTimers(*saga, now, random_.NextUnit());
        Timeline timeline(saga->saga_id, now);
        timeline.TimedOut(due, *saga, now);
        Apply(uow, entry->definition, *saga, stored.state, actions, now, timeline);
        store::Save(uow, *saga, &stored);
        timeline.Flush(uow);
        ++fired;
      }
      return Status::Ok();
    });
    if (!status.ok()) return status;
    handled += fired;
    if (batch < 100) return handled;
  }
}

Result<std::optional<TimePoint>> SagaManager::EarliestDeadline() {
  std::optional<TimePoint> earliest;
  Status status = db_.Read([&](storage::Sql& sql) {
    earliest = store::EarliestDeadline(sql);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return earliest;
}

Result<std::string> SagaManager::Redrive(const std::string& id, const std::string& definition) {
  std::string description;
  bool found = false;
  Status status = db_.Write([&](storage::UnitOfWork& uow) {
    auto saga = store::LoadById(uow, id);
    if (!saga && definition.empty()) {
      const auto names = store::DefinitionsWithCorrelation(uow, id);
      if (names.size() > 1) {
        std::string listed;
        for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
        return Status::InvalidArgument("'" + id + "' names sagas of " + listed + ": say which definition");
      }
      if (names.size() == 1) saga = store::LoadByCorrelation(uow, names.front(), id);
    } else if (!saga) {
      saga = store::LoadByCorrelation(uow, definition, id);
    }
    if (!saga || (!definition.empty() && saga->definition != definition)) return Status::Ok();
    const SagaRegistry::Entry* entry = EntryOf(*saga);
    if (entry == nullptr) return Status::Ok();
    found = true;
    const TimePoint now = clock_.Now();
    const SagaInstance stored = *saga;
    auto actions = entry->engine.Redrive(*saga, now);
    Timeline timeline(saga->saga_id, now);
    Apply(uow, entry->definition, *saga, stored.state, actions, now, timeline);
    store::Save(uow, *saga, &stored);
    description = "saga " + saga->saga_id + " was " + std::string(ToString(stored.state)) + ", is " +
                  std::string(ToString(saga->state)) + "; " + std::to_string(actions.size()) + " messages sent";
    timeline.Cause(EventKind::kRedrive, "", "", "", "operator retry: " + description);
    timeline.Flush(uow);
    logger_->warn("{} operator retry: {}", Named(entry->definition, saga->correlation_id), description);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (!found) return Status::NotFound("no saga for '" + id + "'");
  // The operator is told it happened only once a power loss cannot take it back.
  if (Status durable = db_.AwaitDurable(); !durable.ok()) return durable;
  return description;
}

}  // namespace sagaflow::engine
