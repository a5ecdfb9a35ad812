// Notifier: the notification service's handlers. Each event that deserves a notification writes one
// row in notifications, keyed <orderId>:<kind> so no (order, kind) is ever notified twice, and hands
// the notification to the sink once that row is on disk. The saga's outcome (orders/completed, orders/cancelled)
// is acknowledged on notifications/sent every time it arrives, because the orchestrator re-sends it
// until it sees that acknowledgement.
#pragma once

#include <functional>
#include <string>

#include "common/clock.h"
#include "common/logging.h"
#include "common/random.h"
#include "messaging/consumer.h"
#include "storage/outbox.h"

namespace sagaflow::notification {

struct Notification {
  std::string order_id;
  std::string kind;
  std::string message;
};

// Where notifications go (email, SMS, ...). Called once the row is on disk, at most once per row, on
// the database's syncer thread (so it must not block for long).
class NotificationSink {
 public:
  virtual ~NotificationSink() = default;
  virtual void Send(const Notification& notification) = 0;
};

// The default sink: one log line per notification.
class LogSink final : public NotificationSink {
 public:
  explicit LogSink(Logger logger) : logger_(std::move(logger)) {}
  void Send(const Notification& notification) override;

 private:
  Logger logger_;
};

class Notifier {
 public:
  Notifier(storage::Outbox& outbox, const Clock& clock, RandomSource& random, NotificationSink& sink, Logger logger)
      : outbox_(outbox), clock_(clock), random_(random), sink_(sink), logger_(std::move(logger)) {}

  Status Register(messaging::Consumer& consumer);
  Status OnMessage(storage::UnitOfWork& uow, const messaging::Envelope& message);

 private:
  // orders/completed and orders/cancelled: notified once, acknowledged every time.
  Status OnOutcome(storage::UnitOfWork& uow, const messaging::Envelope& message);
  // Records the notification unless (order, kind) was notified before.
  void Notify(storage::UnitOfWork& uow, Notification notification);
  // notifications/sent under the outcome's `key`.
  void Acknowledge(storage::UnitOfWork& uow, const std::string& order_id, const std::string& key,
                   const std::string& kind);

  storage::Outbox& outbox_;
  const Clock& clock_;
  RandomSource& random_;
  NotificationSink& sink_;
  Logger logger_;
};

}  // namespace sagaflow::notification
