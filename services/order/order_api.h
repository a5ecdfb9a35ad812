// OrderApi: the order service's public HTTP API as a function of the request.
//
// POST /api/orders validates the body, then in one transaction stores the order, its items, its
// history, its Idempotency-Key and its orders/created event in the outbox; the relay publishes it, so
// a POST succeeds while the broker is down. GET /api/orders/<id>, GET /api/orders?status=&limit=,
// GET /health and GET /metrics read. Every 4xx has a JSON body naming the problem. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "http/health.h"
#include "http/http_types.h"
#include "services/order/order.h"
#include "services/order/order_context.h"
#include "storage/database.h"

namespace sagaflow::order {

class OrderApi {
 public:
  OrderApi(OrderContext& context, std::function<http::HealthReport()> health);

  http::HttpResponse Handle(const http::HttpRequest& request);

 private:
  // What storing a POST came to: a new order (neither set), a repeat of an earlier request with the same
  // Idempotency-Key and body (that order), or the key used with another body.
  struct Stored {
    std::optional<std::string> replay_of;
    bool conflict = false;
  };

  http::HttpResponse PostOrder(const http::HttpRequest& request);
  // Commits the order and its orders/created (or finds the key's earlier order) and waits until that is durable.
  Result<Stored> Store(const Order& order, const std::string& canonical,
                       const std::optional<std::string>& idempotency_key, TimePoint now);
  Stored StoreInTransaction(storage::UnitOfWork& uow, const Order& order, const std::string& canonical,
                            const std::optional<std::string>& idempotency_key, TimePoint now);
  http::HttpResponse Replay(const std::string& order_id);
  http::HttpResponse GetOrder(const std::string& order_id);
  http::HttpResponse ListOrders(const http::HttpRequest& request);

  OrderContext& context_;
  std::function<http::HealthReport()> health_;
};

}  // namespace sagaflow::order
