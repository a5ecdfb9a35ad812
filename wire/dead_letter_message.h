// deadletter/<topic>: what a consumer publishes about a message it could not use (messaging/consumer.h), next to
// its row in dead_letters: the message's topic, a bounded copy of its payload (storage::DeadLetterCopy), the error,
// and the message's correlation id under the topic's correlation field ("orderId" for our services; empty when the
// message had none usable). The time is written twice, as "at" (our other messages' word) and "when". Encode writes
// the bytes the consumer publishes; DecodeDeadLetter fails with InvalidArgument naming the first field that is
// missing or of the wrong type. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/status.h"

namespace sagaflow::wire {

struct DeadLetter {
  std::string message_id;
  std::string correlation_field = "orderId";
  std::string correlation_id;
  std::string topic;  // where the message came; this one goes to topics::DeadLetter(topic)
  std::string payload;
  std::string error;
  std::string at;
};

std::string Encode(const DeadLetter& message);
Result<DeadLetter> DecodeDeadLetter(simdjson::dom::object body, std::string_view correlation_field = "orderId");

}  // namespace sagaflow::wire
