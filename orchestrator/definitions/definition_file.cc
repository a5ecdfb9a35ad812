#include "orchestrator/definitions/definition_file.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "common/json.h"
#include "common/json_writer.h"
#include "common/money.h"
#include "orchestrator/definitions/input_schema.h"
#include "orchestrator/definitions/payload_template.h"
#include "orchestrator/definitions/section.h"
#include "orchestrator/engine/saga_engine.h"

namespace sagaflow::definitions {
namespace {

using engine::SagaContext;

constexpr size_t kMaxTopicBytes = 200;

// What every message builder of one definition shares.
struct Shared {
  std::string correlation_field;
  std::shared_ptr<const InputSchema> input;
};

// A topic we may publish or subscribe to exactly: no wildcards, not a broker topic, not a dead-letter topic.
std::optional<std::string> Topic(const Section& section, std::string_view key) {
  auto topic = section.RequireString(key);
  if (!topic) return std::nullopt;
  const bool bad = topic->size() > kMaxTopicBytes || topic->find_first_of("+#") != std::string::npos ||
                   topic->front() == '$' || topic->rfind("deadletter/", 0) == 0 ||
                   topic->find('\0') != std::string::npos;
  if (bad) {
    section.problems().Add(section.PathOf(key), "'" + *topic +
                                                    "' is not a topic a saga can use (no + or #, not $..., "
                                                    "not deadletter/...)");
    return std::nullopt;
  }
  return topic;
}

// The saga's input as the builders read it; an input that no longer parses (it was checked when the saga
// started) gives an empty object, so a message still goes out with the engine's fields.
JsonValue InputOf(const SagaContext& context) {
  auto input = JsonValue::Parse(context.data);
  return input.ok() ? std::move(*input) : JsonValue::Object({});
}

std::string Message(const Shared& shared, const PayloadTemplate& payload, const SagaContext& context,
                    const std::string* key, const std::string& message_id, const TemplateVariables& variables) {
  JsonWriter json;
  json.BeginObject().Key("messageId").String(message_id).Key(shared.correlation_field).String(context.correlation_id);
  if (key != nullptr) json.Key("idempotencyKey").String(*key);
  payload.AppendFields(json, InputOf(context), variables);
  json.EndObject();
  return json.Take();
}

std::set<std::string> Reserved(const std::string& correlation_field) {
  return {"messageId", "idempotencyKey", correlation_field};
}

std::optional<PayloadTemplate> Payload(const Section& section, std::string_view key, const Shared& shared,
                                       const std::set<std::string>& variables) {
  const JsonValue* node = section.Require(key);
  if (node == nullptr || !shared.input) return std::nullopt;
  return PayloadTemplate::Compile(*node, section.PathOf(key), shared.input->root(), variables,
                                  Reserved(shared.correlation_field), section.problems());
}

engine::PayloadBuilder Builder(std::shared_ptr<const Shared> shared, PayloadTemplate payload) {
  return [shared = std::move(shared), payload = std::move(payload)](const SagaContext& context, const std::string& key,
                                                                    const std::string& message_id) {
    return Message(*shared, payload, context, &key, message_id, {{"now", context.at}});
  };
}

// A reply field that must carry the value of an input field (e.g. the amount charged must be the amount asked).
struct MustEqual {
  std::string field;
  InputPath input;
};

// Whether `actual` (from a reply) is `expected` (from the input): amounts to the cent, other values exactly.
bool SameValue(const JsonValue& expected, simdjson::dom::element actual) {
  if (expected.is_number()) {
    double number = 0;
    if (actual.get_double().get(number)) return false;
    auto expected_cents = ParseMoney(expected.text());
    auto actual_cents = CentsFromDouble(number);
    if (expected_cents.ok() && actual_cents.ok()) return *expected_cents == *actual_cents;
  }
  auto parsed = JsonValue::Parse(simdjson::minify(actual));
  return parsed.ok() && *parsed == expected;
}

Status CheckMustEqual(const std::vector<MustEqual>& rules, const std::string& success_field, const SagaContext& context,
                      simdjson::dom::object reply) {
  const JsonValue input = InputOf(context);
  for (const auto& rule : rules) {
    simdjson::dom::element actual;
    const JsonValue* expected = rule.input.Find(input);
    if (expected == nullptr) continue;  // an input checked at the start has it
    if (reply[rule.field].get(actual)) {
      // A success that does not say what it did proves nothing; a failure needs not say it.
      auto success = GetBool(reply, success_field);
      if (success.ok() && *success) return Status::InvalidArgument("a success without " + rule.field);
      continue;
    }
    if (!SameValue(*expected, actual)) {
      return Status::InvalidArgument(rule.field + " " + simdjson::minify(actual) + " is not the " + expected->ToJson() +
                                     " this saga asked for");
    }
  }
  return Status::Ok();
}

void ReadReply(const Section& reply, const std::shared_ptr<const Shared>& shared, engine::StepDefinition& step) {
  if (auto topic = Topic(reply, "topic")) step.reply_topic = *topic;
  const std::string success_field = reply.OptionalString("successField").value_or("success");
  const std::string reason_field = reply.OptionalString("reasonField").value_or("reason");
  const std::string default_reason = reply.RequireString("defaultReason").value_or("");
  step.read_reply = [success_field, reason_field, default_reason](simdjson::dom::object body) {
    auto success = GetBool(body, success_field);
    if (success.ok() && *success) return engine::ReplyVerdict{true, ""};
    return engine::ReplyVerdict{false, std::string(GetStringOr(body, reason_field, default_reason))};
  };
  const JsonValue* must_equal = reply.Find("mustEqual");
  if (must_equal == nullptr || !shared->input) return;
  if (!must_equal->is_object()) {
    reply.problems().Add(reply.PathOf("mustEqual"), R"(must be an object {"<reply field>": "$.<input field>"})");
    return;
  }
  std::vector<MustEqual> rules;
  for (const auto& [field, path] : must_equal->fields()) {
    const std::string where = reply.PathOf("mustEqual") + "." + field;
    if (!path.is_string()) {
      reply.problems().Add(where, "must be a path into the input such as $.x");
    } else if (auto input = InputPath::Compile(path.text(), shared->input->root(), where, reply.problems())) {
      rules.push_back({field, *input});
    }
  }
  // The paths point into the schema, which `shared` keeps alive.
  step.verify_reply = [rules, success_field, shared](const SagaContext& context, simdjson::dom::object body) {
    return CheckMustEqual(rules, success_field, context, body);
  };
}

// A name that is safe everywhere it goes: keys, topics' neighbours, metric labels, file names.
bool IsName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

engine::RetryPolicy Retry(int attempts, Millis timeout) {
  return {attempts, 2.0, timeout * 6, 0.2};
}

void ReadCompensation(const Section& compensation, const std::shared_ptr<const Shared>& shared,
                      const DefinitionSettings& settings, engine::StepDefinition& step) {
  if (auto topic = Topic(compensation, "topic")) step.compensation_topic = *topic;
  if (auto topic = Topic(compensation, "replyTopic")) step.compensation_reply_topic = *topic;
  const auto attempts = compensation.OptionalInteger("attempts", 1, 100'000);
  step.compensation_retry = Retry(static_cast<int>(attempts.value_or(settings.compensation_attempts)), step.timeout);
  if (auto payload = Payload(compensation, "payload", *shared, {})) {
    step.build_compensation = Builder(shared, std::move(*payload));
  }
}

std::optional<engine::StepDefinition> ReadStep(const Section& section, const std::shared_ptr<const Shared>& shared,
                                               const DefinitionSettings& settings) {
  if (!section.valid()) return std::nullopt;
  engine::StepDefinition step;
  step.name = section.RequireString("name").value_or("");
  if (!step.name.empty() && !IsName(step.name)) {
    section.problems().Add(section.PathOf("name"),
                           "must be lower-case letters, digits, - and _, starting with a "
                           "letter (at most 64)");
  }
  step.timeout = Millis(section.OptionalInteger("timeoutMs", 10, 3'600'000).value_or(settings.step_timeout.count()));
  const auto attempts = section.OptionalInteger("attempts", 1, 1'000);
  step.retry = Retry(static_cast<int>(attempts.value_or(settings.step_attempts)), step.timeout);
  step.compensation_retry = Retry(settings.compensation_attempts, step.timeout);
  if (const JsonValue* node = section.Require("command")) {
    const Section command(*node, section.PathOf("command"), section.problems(), {"topic", "payload"});
    if (auto topic = Topic(command, "topic")) step.command_topic = *topic;
    if (auto payload = Payload(command, "payload", *shared, {}))
      step.build_command = Builder(shared, std::move(*payload));
  }
  if (const JsonValue* node = section.Require("reply")) {
    ReadReply(Section(*node, section.PathOf("reply"), section.problems(),
                      {"topic", "successField", "reasonField", "defaultReason", "mustEqual"}),
              shared, step);
  }
  if (const JsonValue* node = section.Find("compensation")) {
    ReadCompensation(Section(*node, section.PathOf("compensation"), section.problems(),
                             {"topic", "payload", "replyTopic", "attempts"}),
                     shared, settings, step);
  }
  return step;
}

std::vector<engine::Stage> ReadStages(const Section& root, const std::shared_ptr<const Shared>& shared,
                                      const DefinitionSettings& settings) {
  std::vector<engine::Stage> stages;
  const JsonValue* list = root.Require("stages");
  if (list == nullptr) return stages;
  if (!list->is_array() || list->items().empty()) {
    root.problems().Add(root.PathOf("stages"), "must be a non-empty array of {\"steps\": [...]}");
    return stages;
  }
  for (size_t i = 0; i < list->items().size(); ++i) {
    const Section stage(list->items()[i], root.PathOf("stages") + "[" + std::to_string(i) + "]", root.problems(),
                        {"steps"});
    const JsonValue* steps = stage.Require("steps");
    if (steps == nullptr) continue;
    if (!steps->is_array() || steps->items().empty()) {
      root.problems().Add(stage.PathOf("steps"), "must be a non-empty array of steps");
      continue;
    }
    engine::Stage read;
    for (size_t j = 0; j < steps->items().size(); ++j) {
      const Section step(steps->items()[j], stage.PathOf("steps") + "[" + std::to_string(j) + "]", root.problems(),
                         {"name", "participant", "timeoutMs", "attempts", "command", "reply", "compensation"});
      if (auto built = ReadStep(step, shared, settings)) read.steps.push_back(std::move(*built));
    }
    stages.push_back(std::move(read));
  }
  return stages;
}

struct OutcomeMessage {
  std::string topic;
  PayloadTemplate payload;
};

std::optional<OutcomeMessage> ReadOutcomeMessage(const Section& outcome, std::string_view key, const Shared& shared,
                                                 const std::set<std::string>& variables) {
  const JsonValue* node = outcome.Require(key);
  if (node == nullptr) return std::nullopt;
  const Section message(*node, outcome.PathOf(key), outcome.problems(), {"topic", "payload"});
  auto topic = Topic(message, "topic");
  auto payload = Payload(message, "payload", shared, variables);
  if (!topic || !payload) return std::nullopt;
  return OutcomeMessage{*topic, std::move(*payload)};
}

void ReadOutcome(const Section& root, const std::shared_ptr<const Shared>& shared, const DefinitionSettings& settings,
                 engine::OutcomeDefinition& outcome) {
  const JsonValue* node = root.Require("outcome");
  if (node == nullptr) return;
  const Section section(*node, root.PathOf("outcome"), root.problems(),
                        {"ackTopic", "timeoutMs", "completed", "cancelled", "to", "ackFrom"});
  if (!section.valid()) return;
  if (auto topic = Topic(section, "ackTopic")) outcome.ack_topic = *topic;
  outcome.timeout = Millis(section.OptionalInteger("timeoutMs", 10, 3'600'000).value_or(settings.step_timeout.count()));
  outcome.retry = Retry(1'000'000, outcome.timeout);  // driven until acknowledged
  auto completed = ReadOutcomeMessage(section, "completed", *shared, {});
  auto cancelled = ReadOutcomeMessage(section, "cancelled", *shared, {"reason"});
  if (!completed || !cancelled) return;
  outcome.topics = {completed->topic, cancelled->topic};
  outcome.build = [shared, completed = std::move(*completed), cancelled = std::move(*cancelled)](
                      const SagaContext& context, bool is_completed, const std::string& reason, const std::string& key,
                      const std::string& message_id, const std::string& at) {
    const OutcomeMessage& message = is_completed ? completed : cancelled;
    TemplateVariables variables{{"now", at}};
    if (!is_completed) variables["reason"] = reason;
    return std::vector<engine::OutgoingPayload>{
        {message.topic, Message(*shared, message.payload, context, &key, message_id, variables)}};
  };
}

// What the definition publishes for one engine event: the event's name as observers see it, and the status it
// implies (none: the observer's status stays).
struct DeclaredEvent {
  std::string event;
  std::string status;
};

std::map<std::string, DeclaredEvent> ReadDeclaredEvents(const Section& progress,
                                                        const std::vector<std::string>& known) {
  std::map<std::string, DeclaredEvent> declared;
  const JsonValue* events = progress.Require("events");
  if (events == nullptr) return declared;
  if (!events->is_object()) {
    progress.problems().Add(progress.PathOf("events"), "must be an object {\"<engine event>\": {...}}");
    return declared;
  }
  for (const auto& [name, node] : events->fields()) {
    const Section event(node, progress.PathOf("events") + "." + name, progress.problems(), {"event", "status"});
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& candidate : known) list += (list.empty() ? "" : ", ") + candidate;
      progress.problems().Add(event.path(), "is not an event of this saga (its events: " + list + ")");
      continue;
    }
    declared[name] = {event.OptionalString("event").value_or(name), event.OptionalString("status").value_or("")};
  }
  return declared;
}

void ReadProgress(const Section& root, const std::shared_ptr<const Shared>& shared, engine::SagaDefinition& saga) {
  const JsonValue* node = root.Find("progress");
  if (node == nullptr) return;
  const Section section(*node, root.PathOf("progress"), root.problems(), {"topic", "payload", "events", "to"});
  if (!section.valid()) return;
  auto topic = Topic(section, "topic");
  auto payload = Payload(section, "payload", *shared, {"event", "status", "reason"});
  auto declared = ReadDeclaredEvents(section, engine::ProgressEventNames(saga));
  if (!topic || !payload) return;
  saga.progress_topic = *topic;
  saga.build_progress = [shared, topic = *topic, payload = std::move(*payload), declared = std::move(declared)](
                            const SagaContext& context, const engine::ProgressEvent& event,
                            const std::string& message_id,
                            const std::string& at) -> std::optional<engine::OutgoingPayload> {
    auto found = declared.find(event.event);
    if (found == declared.end()) return std::nullopt;  // not published: each message costs its observer a commit
    TemplateVariables variables{{"now", at}, {"event", found->second.event}};
    if (!found->second.status.empty()) variables["status"] = found->second.status;
    if (!event.reason.empty()) variables["reason"] = event.reason;
    return engine::OutgoingPayload{topic, Message(*shared, payload, context, nullptr, message_id, variables)};
  };
}

// Reads "start"; the schema and correlation field every builder needs go into `shared`.
void ReadStart(const Section& root, Shared& shared, engine::SagaDefinition& saga) {
  const JsonValue* node = root.Require("start");
  if (node == nullptr) return;
  const Section start(*node, root.PathOf("start"), root.problems(),
                      {"topic", "correlation", "input", "rejectedReason", "from"});
  if (!start.valid()) return;
  if (auto topic = Topic(start, "topic")) saga.start_topic = *topic;
  shared.correlation_field = start.RequireString("correlation").value_or("");
  saga.correlation_field = shared.correlation_field;
  saga.rejected_start_reason = start.OptionalString("rejectedReason").value_or("");
  if (const JsonValue* input = start.Require("input")) {
    if (auto schema = InputSchema::Compile(*input, start.PathOf("input"), root.problems())) {
      shared.input = std::make_shared<const InputSchema>(std::move(*schema));
    }
  }
}

}  // namespace

Result<LoadedDefinition> ParseDefinition(std::string_view text, const std::string& file,
                                         const DefinitionSettings& settings) {
  Problems problems;
  auto document = JsonValue::Parse(text);
  if (!document.ok()) {
    problems.Add("$", "is not valid JSON: " + document.status().message());
    return Status::InvalidArgument(problems.Describe(file));
  }
  const Section root(*document, "$", problems,
                     {"name", "version", "description", "start", "stages", "outcome", "progress"});
  LoadedDefinition loaded{{}, file, std::string(text), {}};
  engine::SagaDefinition& saga = loaded.saga;
  if (root.valid()) {
    saga.name = root.RequireString("name").value_or("");
    if (!saga.name.empty() && !IsName(saga.name)) {
      problems.Add("$.name", "must be lower-case letters, digits, - and _, starting with a letter (at most 64)");
    }
    if (const JsonValue* description = root.Find("description"); description != nullptr && !description->is_string()) {
      problems.Add("$.description", "must be a string");
    }
    saga.version = static_cast<int>(root.RequireInteger("version", 1, 1'000'000'000).value_or(0));
    auto shared = std::make_shared<Shared>();
    ReadStart(root, *shared, saga);
    if (shared->input) {
      saga.validate_start = [input = shared->input](std::string_view data) {
        auto parsed = JsonValue::Parse(data);
        if (!parsed.ok()) return Status::InvalidArgument("the input is not JSON: " + parsed.status().message());
        return input->Check(*parsed);
      };
    }
    saga.stages = ReadStages(root, shared, settings);
    ReadOutcome(root, shared, settings, saga.outcome);
    ReadProgress(root, shared, saga);
    loaded.participants = ReadParticipants(*document, problems);
  }
  // What the file's structure cannot show: topics and names that collide, a compensation without its reply.
  if (problems.empty()) {
    if (Status valid = saga.Validate(); !valid.ok()) problems.Add("$", valid.message());
  }
  if (!problems.empty()) return Status::InvalidArgument(problems.Describe(file));
  return loaded;
}

}  // namespace sagaflow::definitions
