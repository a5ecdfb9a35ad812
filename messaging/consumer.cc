#include "messaging/consumer.h"

#include <thread>

#include "common/json.h"
#include "common/text.h"
#include "common/time_format.h"
#include "manifest/topics.h"
#include "storage/dead_letters.h"
#include "storage/inbox.h"
#include "wire/dead_letter_message.h"

namespace sagaflow::messaging {

namespace {

constexpr int kStorageAttempts = 3;

}  // namespace

Consumer::Consumer(storage::Database& db, storage::Outbox& outbox, const Clock& clock, RandomSource& random,
                   Logger logger, Metrics& metrics, FatalHandler on_fatal)
    : db_(db),
      outbox_(outbox),
      clock_(clock),
      random_(random),
      logger_(std::move(logger)),
      metrics_(metrics),
      on_fatal_(std::move(on_fatal)) {
  metrics_.Describe("sagaflow_messages_handled_total", "counter", "Messages handled, by topic");
  metrics_.Describe("sagaflow_messages_duplicate_total", "counter", "Redelivered messages skipped by the inbox");
  metrics_.Describe("sagaflow_dead_letters_total", "counter", "Messages dead-lettered, by topic");
}

Status Consumer::On(std::string topic, TopicHandler handler, Dedupe dedupe, std::string correlation_field) {
  if (handlers_.contains(topic)) return Status::Conflict(topic + " has a handler already");
  handlers_.emplace(std::move(topic), Route{std::move(handler), dedupe, std::move(correlation_field)});
  return Status::Ok();
}

std::vector<std::string> Consumer::Topics() const {
  std::vector<std::string> topics;
  for (const auto& [topic, route] : handlers_) topics.push_back(topic);
  return topics;
}

void Consumer::Handle(const IncomingMessage& message) {
  auto found = handlers_.find(message.topic);
  if (found == handlers_.end()) {
    logger_->warn("message on unexpected topic {} ignored", message.topic);
    return;
  }
  const Route& route = found->second;
  if (const std::optional<Envelope> envelope = Admit(message, route)) Store(message, route, *envelope);
}

std::optional<Envelope> Consumer::Admit(const IncomingMessage& message, const Route& route) {
  if (message.payload.size() > kMaxMessageBytes) {
    DeadLetter(message, route, "", "",
               "payload of " + std::to_string(message.payload.size()) + " bytes is over the limit of " +
                   std::to_string(kMaxMessageBytes));
    return std::nullopt;
  }
  auto root = ParseJson(parser_, message.payload);
  if (!root.ok()) {
    DeadLetter(message, route, "", "", root.status().message());
    return std::nullopt;
  }
  simdjson::dom::object body;
  if (root->get_object().get(body)) {
    DeadLetter(message, route, "", "", "payload must be a JSON object");
    return std::nullopt;
  }
  // Ids are logged and copied into other messages: one with a control character could forge a log line.
  auto message_id = GetString(body, "messageId");
  if (!message_id.ok() || message_id->empty() || HasControlCharacters(*message_id)) {
    DeadLetter(message, route, "", "", "messageId must be a non-empty string without control characters");
    return std::nullopt;
  }
  auto correlation_id = GetString(body, route.correlation_field);
  if (!correlation_id.ok() || correlation_id->empty() || HasControlCharacters(*correlation_id)) {
    DeadLetter(message, route, *message_id, "",
               route.correlation_field + " must be a non-empty string without control characters");
    return std::nullopt;
  }
  return Envelope{message.topic, *message_id, *correlation_id, body, message.redelivered, message.payload};
}

void Consumer::Store(const IncomingMessage& message, const Route& route, const Envelope& envelope) {
  for (int attempt = 1;; ++attempt) {
    bool duplicate = false;
    Status rejected;
    Status status = db_.Write([&](storage::UnitOfWork& uow) {
      if (route.dedupe == Dedupe::kByMessageId &&
          storage::ClaimInbox(uow, envelope.message_id, clock_.Now()) == storage::ClaimResult::kDuplicate) {
        duplicate = true;
        return Status::Ok();
      }
      Status handled = route.handler(uow, envelope);
      if (handled.IsInvalidArgument()) rejected = handled;
      return handled;
    });
    if (!rejected.ok()) {
      return DeadLetter(message, route, envelope.message_id, envelope.correlation_id, rejected.message());
    }
    if (status.ok()) {
      if (duplicate) {
        metrics_.Add("sagaflow_messages_duplicate_total");
        logger_->debug("duplicate {} messageId={} {}={} skipped", message.topic, envelope.message_id,
                       route.correlation_field, envelope.correlation_id);
      } else {
        metrics_.Add("sagaflow_messages_handled_total{topic=\"" + PromLabel(message.topic) + "\"}");
      }
      return;
    }
    logger_->error("handling {} {}={} failed (attempt {}): {}", message.topic, route.correlation_field,
                   envelope.correlation_id, attempt, status.ToString());
    if (attempt >= kStorageAttempts) {
      // Returning would acknowledge a message whose effects are not stored.
      return on_fatal_("cannot store the effects of " + message.topic + " " + route.correlation_field + "=" +
                       std::string(envelope.correlation_id) + ": " + status.ToString());
    }
    std::this_thread::sleep_for(Millis(50 * attempt));  // a transient lock or I/O error; not a sync point
  }
}

void Consumer::DeadLetter(const IncomingMessage& message, const Route& route, std::string_view message_id,
                          std::string_view correlation_id, const std::string& error) {
  const std::string at = FormatIso8601(clock_.Now());
  const std::string copy = storage::DeadLetterCopy(message.payload);
  const std::string published = wire::Encode(wire::DeadLetter{.message_id = NewTimeOrderedUuid(clock_.Now(), random_),
                                                              .correlation_field = route.correlation_field,
                                                              .correlation_id = std::string(correlation_id),
                                                              .topic = message.topic,
                                                              .payload = copy,
                                                              .error = error,
                                                              .at = at});
  bool duplicate = false;
  Status status = db_.Write([&](storage::UnitOfWork& uow) {
    // The handler's rollback undid its claim; without this a redelivery would be dead-lettered again.
    if (!message_id.empty() && storage::ClaimInbox(uow, message_id, clock_.Now()) == storage::ClaimResult::kDuplicate) {
      duplicate = true;
      return Status::Ok();
    }
    storage::RecordDeadLetter(uow, message.topic, copy, error, at);
    outbox_.Append(uow, topics::DeadLetter(message.topic), published);
    return Status::Ok();
  });
  if (!status.ok()) return on_fatal_("cannot dead-letter a message on " + message.topic + ": " + status.ToString());
  if (duplicate) {
    metrics_.Add("sagaflow_messages_duplicate_total");
    logger_->debug("duplicate {} messageId={} skipped (dead-lettered before)", message.topic, message_id);
    return;
  }
  metrics_.Add("sagaflow_dead_letters_total{topic=\"" + PromLabel(message.topic) + "\"}");
  logger_->warn("dead-lettered a message on {} {}={}: {}", message.topic, route.correlation_field,
                correlation_id.empty() ? "-" : correlation_id, error);
}

}  // namespace sagaflow::messaging
