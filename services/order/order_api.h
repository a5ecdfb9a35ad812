// OrderApi: the order service's public HTTP API as a function of the request.
//
// POST /api/orders validates the body, then in one transaction stores the order, its items, its
// history, its Idempotency-Key and its orders/created event in the outbox; the relay publishes it, so
// a POST succeeds while the broker is down. GET /api/orders/<id>, GET /api/orders?status=&limit=,
// GET /health and GET /metrics read. Every 4xx has a JSON body naming the problem. Thread-safe.
#pragma once

#include <functional>

#include "http/health.h"
#include "http/http_types.h"
#include "services/order/order_context.h"

namespace sagaflow::order {

class OrderApi {
 public:
  OrderApi(OrderContext& context, std::function<http::HealthReport()> health);

  http::HttpResponse Handle(const http::HttpRequest& request);

 private:
  http::HttpResponse PostOrder(const http::HttpRequest& request);
  http::HttpResponse GetOrder(const std::string& order_id);
  http::HttpResponse ListOrders(const http::HttpRequest& request);

  OrderContext& context_;
  std::function<http::HealthReport()> health_;
};

}  // namespace sagaflow::order
