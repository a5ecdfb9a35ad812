// A made-up saga for the engine's tests: booking a trip. Three stages, the middle one parallel:
//   stage 0: flight;  stage 1: hotel + car (in parallel);  stage 2: insurance.
// It exists to prove that the engine knows nothing about orders: nothing here is an order, a payment
// or a reservation. The tests declare MakeTripSaga themselves (one function, so no header).
//
// Replies carry {"ok": bool, "why": "<reason>"}; every message is a small JSON object that names its
// key, so a test can see which key a builder was given.
#include <string>

#include "common/json.h"
#include "common/json_writer.h"
#include "orchestrator/engine/saga_definition.h"

namespace sagaflow::engine::trip {

namespace {

PayloadBuilder Builder(std::string what) {
  return [what = std::move(what)](const SagaContext& context, const std::string& key, const std::string& message_id) {
    JsonWriter json;
    json.BeginObject()
        .Key("messageId")
        .String(message_id)
        .Key("tripId")
        .String(context.correlation_id)
        .Key("idempotencyKey")
        .String(key)
        .Key("what")
        .String(what)
        .EndObject();
    return json.Take();
  };
}

ReplyVerdict ReadTripReply(simdjson::dom::object reply) {
  auto ok = GetBool(reply, "ok");
  if (ok.ok() && *ok) return {true, ""};
  return {false, std::string(GetStringOr(reply, "why", ""))};
}

StepDefinition Step(const std::string& name, Millis timeout, bool compensates) {
  StepDefinition step;
  step.name = name;
  step.command_topic = "trip/" + name + "/book";
  step.reply_topic = "trip/" + name + "/booked";
  if (compensates) {
    step.compensation_topic = "trip/" + name + "/cancel";
    step.compensation_reply_topic = "trip/" + name + "/cancelled";
    step.build_compensation = Builder("cancel " + name);
  }
  step.timeout = timeout;
  step.retry = RetryPolicy{3, 2.0, Millis(3'000), 0.2};
  step.compensation_retry = RetryPolicy{3, 2.0, Millis(3'000), 0.2};
  step.build_command = Builder("book " + name);
  step.read_reply = ReadTripReply;
  return step;
}

}  // namespace

SagaDefinition MakeTripSaga(bool car_compensates) {
  SagaDefinition saga;
  saga.name = "trip";
  saga.correlation_field = "tripId";
  saga.start_topic = "trip/requested";
  saga.stages.push_back({{Step("flight", Millis(1'000), true)}});
  saga.stages.push_back({{Step("hotel", Millis(1'000), true), Step("car", Millis(2'000), car_compensates)}});
  saga.stages.push_back({{Step("insurance", Millis(500), true)}});
  saga.outcome.ack_topic = "trip/traveller_told";
  saga.outcome.timeout = Millis(1'000);
  saga.outcome.retry = RetryPolicy{1'000'000, 2.0, Millis(4'000), 0.2};
  saga.outcome.build = [](const SagaContext& context, bool completed, const std::string& reason, const std::string& key,
                          const std::string& message_id, const std::string& at) {
    JsonWriter json;
    json.BeginObject()
        .Key("messageId")
        .String(message_id)
        .Key("tripId")
        .String(context.correlation_id)
        .Key("idempotencyKey")
        .String(key);
    if (!completed) json.Key("why").String(reason);
    json.Key("at").String(at).EndObject();
    return std::vector<OutgoingPayload>{{completed ? "trip/booked" : "trip/abandoned", json.Take()}};
  };
  saga.validate_start = [](std::string_view input) {
    simdjson::dom::parser parser;
    auto root = ParseJson(parser, input);
    if (!root.ok()) return root.status();
    simdjson::dom::object start;
    if (root->get_object().get(start)) return Status::InvalidArgument("the input must be an object");
    return GetString(start, "traveller").status();
  };
  saga.rejected_start_reason = "unbookable";
  return saga;
}

// The same saga under another name, on its own topics ("<name>/..." for "trip/..."), correlated by <name>Id: a
// second definition to run beside the first.
SagaDefinition Renamed(SagaDefinition saga, const std::string& name) {
  const auto rename = [&](std::string& topic) {
    if (topic.rfind("trip/", 0) == 0) topic = name + topic.substr(4);
  };
  saga.name = name;
  saga.correlation_field = name + "Id";
  rename(saga.start_topic);
  rename(saga.outcome.ack_topic);
  for (auto& stage : saga.stages) {
    for (auto& step : stage.steps) {
      for (std::string* topic :
           {&step.command_topic, &step.reply_topic, &step.compensation_topic, &step.compensation_reply_topic}) {
        rename(*topic);
      }
    }
  }
  return saga;
}

}  // namespace sagaflow::engine::trip
