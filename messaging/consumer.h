// Consumer: turns each delivered message into one transaction of its handler's effects.
//
// For every message on the bus's delivery thread: parse the JSON, require messageId and the topic's
// correlation field (the id of what the message is about: orderId for our services), then
// in one UnitOfWork claim the message id in the inbox (a redelivery is skipped) and run the topic's
// handler, whose outbox appends commit with its state changes. A handler that is idempotent by its own
// state (Dedupe::kByHandler) runs without the inbox claim: the claim is two more B-tree pages written
// under every commit, and for such a handler it would only repeat a check the handler makes anyway.
// A message over kMaxMessageBytes, not valid JSON, lacking the envelope fields, or that its handler
// rejects with InvalidArgument is dead-lettered: recorded in dead_letters and published to
// deadletter/<topic> through the outbox (both with a copy bounded by storage::DeadLetterCopy), then
// acknowledged.
// If the database fails, the process cannot honour the message, so `on_fatal` is called (main exits
// without acknowledging; the broker delivers the message again after restart). Single-threaded use
// (the bus delivers one message at a time).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/clock.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/random.h"
#include "messaging/message_bus.h"
#include "storage/database.h"
#include "storage/outbox.h"

namespace sagaflow::messaging {

struct Envelope {
  std::string_view topic;
  std::string_view message_id;
  std::string_view correlation_id;  // the value of the route's correlation field
  simdjson::dom::object body;
  bool redelivered = false;
  std::string_view payload;  // the message as received, for a handler that keeps it (numbers exactly as written)
};

// Our largest message (an order of 100 items with 64-character ids) is about 20 KB.
inline constexpr size_t kMaxMessageBytes = 64 * 1024;

class Consumer {
 public:
  // Runs inside the message's transaction. InvalidArgument dead-letters the message (its effects are
  // rolled back); any other error is treated as a storage failure.
  using TopicHandler = std::function<Status(storage::UnitOfWork&, const Envelope&)>;
  using FatalHandler = std::function<void(const std::string& reason)>;
  // kByMessageId: a message id seen before is skipped. kByHandler: the handler leaves its state as it
  // was when it sees the same message again (e.g. it records a reply only for a step still awaiting it),
  // so a redelivery runs it again; what it publishes in answer must be harmless to repeat.
  enum class Dedupe { kByMessageId, kByHandler };

  Consumer(storage::Database& db, storage::Outbox& outbox, const Clock& clock, RandomSource& random, Logger logger,
           Metrics& metrics, FatalHandler on_fatal);

  // The handler's effects commit inside the callback, without waiting for an fsync: what leaves the
  // process because of them (the outbox's publishes) waits for the disk instead (Database::AwaitDurable).
  // `correlation_field` is the field every message on the topic must carry (a non-empty string without control
  // characters). AlreadyExists if the topic has a handler: two owners of one topic is a wiring mistake, and
  // replacing the first silently would lose its messages.
  Status On(std::string topic, TopicHandler handler, Dedupe dedupe = Dedupe::kByMessageId,
            std::string correlation_field = "orderId");
  std::vector<std::string> Topics() const;
  // Plug into MessageBus::SetHandler.
  void Handle(const IncomingMessage& message);

 private:
  struct Route {
    TopicHandler handler;
    Dedupe dedupe;
    std::string correlation_field;
  };
  // The message's envelope, or nullopt once it was dead-lettered as malformed (too large, not a JSON object, no
  // usable messageId or correlation id). The envelope points into parser_ and `message`.
  std::optional<Envelope> Admit(const IncomingMessage& message, const Route& route);
  // Runs the route's handler in one transaction with the inbox claim, retrying a transient storage error; a
  // message whose effects cannot be stored is fatal (acknowledging it would lose them).
  void Store(const IncomingMessage& message, const Route& route, const Envelope& envelope);
  // Claims `message_id` (if known) with the dead letter, so a redelivery is not dead-lettered twice.
  void DeadLetter(const IncomingMessage& message, const Route& route, std::string_view message_id,
                  std::string_view correlation_id, const std::string& error);

  storage::Database& db_;
  storage::Outbox& outbox_;
  const Clock& clock_;
  RandomSource& random_;
  Logger logger_;
  Metrics& metrics_;
  FatalHandler on_fatal_;
  std::map<std::string, Route, std::less<>> handlers_;
  simdjson::dom::parser parser_;
};

}  // namespace sagaflow::messaging
