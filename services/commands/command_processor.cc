#include "services/commands/command_processor.h"

#include <algorithm>

#include "common/json.h"

namespace sagaflow::commands {

namespace {

// Long enough that an owner's re-send of a week-old command still finds its reply.
constexpr Millis kReplyRetention{std::chrono::hours(24 * 7)};
// The longest the worker sleeps without news (a new pending command wakes it at once).
constexpr Millis kMaxIdle{100};

}  // namespace

CommandProcessor::CommandProcessor(storage::Database& db, storage::Outbox& outbox, const Clock& clock, Logger logger)
    : db_(db),
      outbox_(outbox),
      clock_(clock),
      logger_(logger),
      worker_(
          {.name = "commands",
           .interval = kMaxIdle,
           .failure_backoff = {.initial = kMaxIdle, .multiplier = 2, .cap = Millis(5'000), .jitter = 0}},
          [this] { return RunWorkerPass(); }, std::move(logger), nullptr, nullptr) {}

storage::RetentionRule CommandProcessor::RepliesRetention() {
  return {.table = "command_replies", .keep_for = kReplyRetention, .prune = [this](TimePoint cutoff, int limit) {
            return PruneReplies(cutoff, limit);
          }};
}

Status CommandProcessor::Handle(messaging::Consumer& consumer, const std::string& topic, Millis delay,
                                Executor executor, KeyRule key_rule) {
  routes_[topic] = Route{delay, std::move(executor), std::move(key_rule)};
  // No inbox: a command runs once per idempotency key (its stored reply answers every repeat), so a
  // redelivered message only publishes that reply again, which the orchestrator records as late.
  return consumer.On(
      topic,
      [this, topic](storage::UnitOfWork& uow, const messaging::Envelope& message) {
        return OnCommand(uow, message, routes_.at(topic));
      },
      messaging::Consumer::Dedupe::kByHandler);
}

void CommandProcessor::Complete(storage::UnitOfWork& uow, const std::string& key, const std::string& topic,
                                const CommandReply& reply) {
  auto& insert = uow.Prepare(
      "INSERT INTO command_replies(idempotency_key, command_topic, reply_topic, reply_payload, created_at) "
      "VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, key);
  insert.bind(2, topic);
  insert.bind(3, reply.topic);
  insert.bind(4, reply.payload);
  insert.bind(5, ToEpochMillis(clock_.Now()));
  insert.exec();
  outbox_.Append(uow, reply.topic, reply.payload);
}

Status CommandProcessor::OnCommand(storage::UnitOfWork& uow, const messaging::Envelope& message, const Route& route) {
  auto key_field = GetString(message.body, "idempotencyKey");
  if (!key_field.ok() || key_field->empty())
    return Status::InvalidArgument("idempotencyKey must be a non-empty string");
  const std::string key(*key_field);
  const std::string order_id(message.correlation_id);
  const std::string topic(message.topic);
  if (route.key_rule) {
    const std::string expected = route.key_rule(order_id);
    if (key != expected) return Status::InvalidArgument("idempotencyKey must be " + expected + " for this order");
  }

  auto& stored = uow.Prepare("SELECT reply_topic, reply_payload FROM command_replies WHERE idempotency_key = ?");
  stored.bind(1, key);
  if (stored.executeStep()) {
    const CommandReply reply{stored.getColumn(0).getString(), stored.getColumn(1).getString()};
    stored.reset();
    outbox_.Append(uow, reply.topic, reply.payload);
    logger_->info("orderId={} {} key {} seen before: stored reply published again", order_id, topic, key);
    return Status::Ok();
  }
  stored.reset();

  auto& pending = uow.Prepare("SELECT 1 FROM pending_commands WHERE idempotency_key = ?");
  pending.bind(1, key);
  if (pending.executeStep()) {
    logger_->info("orderId={} {} key {} already waiting to run", order_id, topic, key);
    return Status::Ok();
  }
  pending.reset();

  if (route.delay.count() == 0) {
    auto reply = route.executor(uow, message.body, order_id, key);
    if (!reply.ok()) return reply.status();
    Complete(uow, key, topic, *reply);
    return Status::Ok();
  }
  auto& insert = uow.Prepare(
      "INSERT INTO pending_commands(idempotency_key, topic, order_id, payload, due_at) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, key);
  insert.bind(2, topic);
  insert.bind(3, order_id);
  insert.bind(4, std::string(simdjson::to_string(message.body)));
  insert.bind(5, ToEpochMillis(clock_.Now() + route.delay));
  insert.exec();
  uow.AfterCommit([this] { worker_.Wake(); });
  return Status::Ok();
}

Result<size_t> CommandProcessor::RunDue() {
  struct Due {
    std::string key, topic, order_id, payload;
  };
  size_t ran = 0;
  for (;;) {
    std::vector<Due> due;
    const int64_t now = ToEpochMillis(clock_.Now());
    Status status = db_.Read([&](storage::Sql& sql) {
      auto& select = sql.Prepare(
          "SELECT idempotency_key, topic, order_id, payload FROM pending_commands WHERE due_at <= ? "
          "ORDER BY due_at LIMIT 200");
      select.bind(1, now);
      while (select.executeStep()) {
        due.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                       select.getColumn(2).getString(), select.getColumn(3).getString()});
      }
      return Status::Ok();
    });
    if (!status.ok()) return status;
    if (due.empty()) return ran;
    simdjson::dom::parser parser;
    status = db_.Write([&](storage::UnitOfWork& uow) {
      for (const auto& command : due) {
        auto forget = [&] {
          auto& remove = uow.Prepare("DELETE FROM pending_commands WHERE idempotency_key = ?");
          remove.bind(1, command.key);
          remove.exec();
        };
        auto route = routes_.find(command.topic);
        auto root = ParseJson(parser, command.payload);
        simdjson::dom::object body;
        if (route == routes_.end() || !root.ok() || root->get_object().get(body)) {
          logger_->error("orderId={} pending {} cannot run; dropped", command.order_id, command.topic);
          forget();
          continue;
        }
        auto reply = route->second.executor(uow, body, command.order_id, command.key);
        if (!reply.ok()) {
          if (!reply.status().IsInvalidArgument()) return reply.status();
          logger_->error("orderId={} pending {} rejected: {}", command.order_id, command.topic,
                         reply.status().message());
          forget();
          continue;
        }
        Complete(uow, command.key, command.topic, *reply);
        forget();
      }
      return Status::Ok();
    });
    if (!status.ok()) return status;
    ran += due.size();
  }
}

Result<int64_t> CommandProcessor::PruneReplies(TimePoint cutoff, int limit) {
  int64_t deleted = 0;
  Status status = db_.Write([&](storage::UnitOfWork& uow) {
    auto& remove = uow.Prepare(
        "DELETE FROM command_replies WHERE idempotency_key IN "
        "(SELECT idempotency_key FROM command_replies WHERE created_at < ? LIMIT ?)");
    remove.bind(1, ToEpochMillis(cutoff));
    remove.bind(2, limit);
    deleted = remove.exec();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return deleted;
}

Result<NextPass> CommandProcessor::RunWorkerPass() {
  auto ran = RunDue();
  if (!ran.ok()) return ran.status();
  Millis sleep = kMaxIdle;
  Status read = db_.Read([&](storage::Sql& sql) {
    auto& next = sql.Prepare("SELECT MIN(due_at) FROM pending_commands");
    if (next.executeStep() && !next.getColumn(0).isNull()) {
      const int64_t wait = next.getColumn(0).getInt64() - ToEpochMillis(clock_.Now());
      sleep = std::clamp(Millis(wait), Millis(1), kMaxIdle);
    }
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return NextPass::After(sleep);
}

}  // namespace sagaflow::commands
