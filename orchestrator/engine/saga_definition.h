// SagaDefinition: a saga as data plus pure functions, with nothing about any particular business.
//
// A saga is an ordered list of stages; the steps of one stage run in parallel, and a stage starts when
// every step of the previous one succeeded. Each step names its command and reply topics, its
// compensation and compensation-reply topics (empty: nothing to undo), a reply timeout and retry
// policies. The builders turn the saga's input (JSON text) into message payloads; they must be pure.
// After the saga ends, its outcome is published and re-sent until acknowledged on `outcome.ack_topic`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/backoff.h"
#include "common/clock.h"
#include "common/status.h"

namespace sagaflow::engine {

struct RetryPolicy {
  int max_attempts = 3;  // sends in total, the first one included
  // Wait for a reply after send n is backoff(initial = the step's timeout, n); cap bounds it.
  double multiplier = 2.0;
  Millis cap{60'000};
  double jitter = 0.2;
};

// What the saga knows when it builds a message.
struct SagaContext {
  const std::string& saga_id;
  const std::string& correlation_id;  // the value of the definition's correlation field (orderId for orders)
  const std::string& data;            // the start message, as received (JSON text)
  const std::string& at;              // now, ISO 8601
};

struct OutgoingPayload {
  std::string topic;
  std::string payload;
};

struct ReplyVerdict {
  bool success = false;
  std::string reason;  // why it failed; empty on success
};

// key: the idempotency key, the same for every retry of the action; message_id: unique per message.
using PayloadBuilder =
    std::function<std::string(const SagaContext&, const std::string& key, const std::string& message_id)>;

struct StepDefinition {
  std::string name;
  std::string command_topic;
  std::string reply_topic;
  std::string compensation_topic;  // empty: the step changes nothing that must be undone
  std::string compensation_reply_topic;
  Millis timeout{10'000};
  RetryPolicy retry;
  RetryPolicy compensation_retry{10, 2.0, Millis(60'000), 0.2};
  PayloadBuilder build_command;
  PayloadBuilder build_compensation;
  std::function<ReplyVerdict(simdjson::dom::object reply)> read_reply;
  // Optional: whether a reply is about what this saga asked for (e.g. the amount it asked to charge). A
  // reply that is not cannot be the answer to our command: it is ignored, counted and logged.
  std::function<Status(const SagaContext&, simdjson::dom::object reply)> verify_reply;
};

struct Stage {
  std::vector<StepDefinition> steps;
};

// What happened in a saga, for the definition to publish to observers (e.g. an order's history) or not.
struct ProgressEvent {
  std::string event;   // one of ProgressEventNames: "saga_started", "payment_succeeded", "compensating", ...
  std::string reason;  // a failure's reason, where there is one

  bool operator==(const ProgressEvent&) const = default;  // without it Action's defaulted == is deleted
};

struct OutcomeDefinition {
  std::string ack_topic;
  std::vector<std::string> topics;  // what `build` may publish on
  Millis timeout{10'000};
  RetryPolicy retry{1'000'000, 2.0, Millis(60'000), 0.2};  // driven until acknowledged
  // completed == false: cancelled (reason set) or failed (reason "failed").
  std::function<std::vector<OutgoingPayload>(const SagaContext&, bool completed, const std::string& reason,
                                             const std::string& key, const std::string& message_id,
                                             const std::string& at)>
      build;
};

struct SagaDefinition {
  std::string name;
  int version = 1;
  std::string start_topic;
  // The field of every message that names the saga instance (the order saga: orderId).
  std::string correlation_field = "orderId";
  std::vector<Stage> stages;
  OutcomeDefinition outcome;
  // Rejects an input (the start message's text) the saga cannot run (InvalidArgument, saying why).
  std::function<Status(std::string_view input)> validate_start;
  // What happens to a start that validate_start rejects. Empty: it is dead-lettered, and each repeat of it
  // again. Otherwise its saga is recorded CANCELLED with this reason and the outcome is published, so
  // whoever waits for it learns why, and a repeat re-publishes that outcome like any finished saga's.
  std::string rejected_start_reason;
  // Optional: a message telling observers about progress.
  std::function<std::optional<OutgoingPayload>(const SagaContext&, const ProgressEvent&, const std::string& message_id,
                                               const std::string& at)>
      build_progress;
  std::string progress_topic;  // what build_progress publishes on, if anything

  // The step with this name, or nullptr.
  const StepDefinition* FindStep(const std::string& step_name) const;
  // Which step a reply topic belongs to; `compensation` tells whether it is the compensation's reply.
  const StepDefinition* FindStepByReplyTopic(const std::string& topic, bool* compensation) const;
  // Every topic the saga consumes: start, replies, compensation replies, outcome ack.
  std::vector<std::string> ConsumedTopics() const;
  // Every topic the saga publishes on: commands, compensations, outcome.topics, progress_topic.
  std::vector<std::string> PublishedTopics() const;
  // InvalidArgument if names or topics collide (a step may not be named like the outcome step), a stage is
  // empty, or a step has a compensation without a compensation reply topic.
  Status Validate() const;
};

}  // namespace sagaflow::engine
