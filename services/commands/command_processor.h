// CommandProcessor: runs a service's commands once per idempotency key, possibly after a simulated
// processing delay, and answers every repeat of a key with the reply it stored the first time.
//
// In the message callback (inside the Consumer's transaction): a key with a stored reply gets that reply
// published again and nothing else; a key already waiting does nothing; a new key either runs at once
// (no delay) or is recorded in pending_commands with its due time. A worker thread runs recorded commands
// when due, each in its own transaction (execute, store the reply, append it to the outbox, forget the
// pending row) — so a delay never blocks other messages, never sits in the MQTT callback, and a kill
// during the delay loses nothing. The worker is a PeriodicTask ("commands") that sleeps until the next
// command is due (at most 100 ms) or a new one is recorded. Stored replies are kept a week: RepliesRetention()
// is the rule for the process's clean-up task. Tables: command_replies, pending_commands (see the migrations).
#pragma once

#include <functional>
#include <map>
#include <string>

#include <simdjson.h>

#include "common/clock.h"
#include "common/logging.h"
#include "common/periodic_task.h"
#include "messaging/consumer.h"
#include "storage/database.h"
#include "storage/outbox.h"
#include "storage/retention.h"

namespace sagaflow::commands {

struct CommandReply {
  std::string topic;
  std::string payload;
};

class CommandProcessor {
 public:
  // Carries out a command inside `uow` and returns the reply to publish. InvalidArgument: the command is
  // malformed (dead-lettered when it arrives; dropped with an error log if it was pending).
  using Executor = std::function<Result<CommandReply>(storage::UnitOfWork& uow, simdjson::dom::object command,
                                                      const std::string& order_id, const std::string& key)>;

  CommandProcessor(storage::Database& db, storage::Outbox& outbox, const Clock& clock, Logger logger);

  // The only idempotency key a command for `order_id` may carry (see messaging/idempotency_keys.h).
  using KeyRule = std::function<std::string(std::string_view order_id)>;

  // Handles `topic` with `executor`, after `delay` (0: at once, in the callback's transaction). With
  // `key_rule`, a command under any other key is dead-lettered before it is looked at.
  Status Handle(messaging::Consumer& consumer, const std::string& topic, Millis delay, Executor executor,
                KeyRule key_rule = {});

  // Runs every pending command that is due; returns how many ran.
  Result<size_t> RunDue();
  // Deletes stored replies older than `cutoff` (at most `limit`); returns how many went. A key repeated
  // after that runs its executor again, which the executors tolerate: they decide from their own rows
  // (one payment or reservation per order), not from the reply.
  Result<int64_t> PruneReplies(TimePoint cutoff, int limit);
  storage::RetentionRule RepliesRetention();
  void Start() { worker_.Start(); }
  void Stop() { worker_.Stop(); }

 private:
  struct Route {
    Millis delay;
    Executor executor;
    KeyRule key_rule;
  };
  Status OnCommand(storage::UnitOfWork& uow, const messaging::Envelope& message, const Route& route);
  void Complete(storage::UnitOfWork& uow, const std::string& key, const std::string& topic, const CommandReply& reply);
  // The worker's pass: runs what is due, then sleeps until the next due command (at most 100 ms).
  Result<NextPass> RunWorkerPass();

  storage::Database& db_;
  storage::Outbox& outbox_;
  const Clock& clock_;
  Logger logger_;
  std::map<std::string, Route> routes_;
  PeriodicTask worker_;
};

}  // namespace sagaflow::commands
