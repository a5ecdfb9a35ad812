#include "services/order/order_api.h"

#include <charconv>

#include <simdjson.h>

#include "common/json_writer.h"
#include "common/text.h"
#include "common/time_format.h"
#include "manifest/topics.h"
#include "services/order/order_store.h"

namespace sagaflow::order {

namespace {

constexpr std::string_view kOrdersPath = "/api/orders";
constexpr int kDefaultListLimit = 50;
constexpr int kMaxListLimit = 1000;

bool IsJsonContentType(const std::string& value) {
  std::string type = value.substr(0, value.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == "application/json" ||
         (type.rfind("application/", 0) == 0 && type.size() > 5 && type.substr(type.size() - 5) == "+json");
}

// 1 to 128 printable characters: UTF-8 without control characters.
bool IsValidIdempotencyKey(const std::string& key) {
  return !key.empty() && !HasControlCharacters(key) && Utf8Length(key) <= 128;
}

std::string AcceptedJson(const Order& order, const char* message) {
  JsonWriter json;
  json.BeginObject()
      .Key("orderId")
      .String(order.order_id)
      .Key("status")
      .String(order.status)
      .Key("totalAmount")
      .Raw(FormatMoney(order.total_cents))
      .Key("message")
      .String(message)
      .EndObject();
  return json.Take();
}

http::HttpResponse Accepted(const Order& order, int status, const char* message) {
  auto response = http::JsonOk(status, AcceptedJson(order, message));
  response.headers.emplace_back("Location", std::string(kOrdersPath) + "/" + order.order_id);
  return response;
}

// The request's framing, before its body is read: Content-Type, size and Idempotency-Key.
std::optional<http::HttpResponse> CheckPostFraming(const http::HttpRequest& request) {
  const auto content_type = request.Header("content-type");
  if (!content_type || !IsJsonContentType(*content_type)) {
    return http::JsonError(415, "Content-Type must be application/json, got '" + content_type.value_or("") + "'");
  }
  if (request.body.size() > kMaxBodyBytes) {
    return http::JsonError(413, "body is " + std::to_string(request.body.size()) + " bytes, more than the limit of " +
                                    std::to_string(kMaxBodyBytes));
  }
  const auto idempotency_key = request.Header("idempotency-key");
  if (idempotency_key && !IsValidIdempotencyKey(*idempotency_key)) {
    return http::JsonError(400, "Idempotency-Key must be 1 to 128 printable characters");
  }
  return std::nullopt;
}

Order NewOrder(const OrderRequest& request, TimePoint now, RandomSource& random) {
  const std::string at = FormatIso8601(now);
  Order order;
  order.order_id = NewTimeOrderedUuid(now, random);
  order.customer_id = request.customer_id;
  order.status = std::string(kPending);
  order.total_cents = request.TotalCents();
  order.created_at = at;
  order.updated_at = at;
  order.items = request.items;
  order.history.push_back({at, "created"});
  return order;
}

}  // namespace

OrderApi::OrderApi(OrderContext& context, std::function<http::HealthReport()> health)
    : context_(context), health_(std::move(health)) {
  context_.metrics.Describe("sagaflow_http_requests_total", "counter", "HTTP requests by route and status code");
  context_.metrics.Describe("sagaflow_orders_created_total", "counter", "Orders accepted by POST /api/orders");
}

http::HttpResponse OrderApi::Handle(const http::HttpRequest& request) {
  std::string path = request.path;
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  http::HttpResponse response;
  std::string route = path;
  if (path == kOrdersPath) {
    if (request.method == "POST") {
      response = PostOrder(request);
    } else if (request.method == "GET") {
      response = ListOrders(request);
    } else {
      response = http::JsonError(405, "method " + request.method + " not allowed on /api/orders");
    }
  } else if (path.rfind(std::string(kOrdersPath) + "/", 0) == 0 &&
             path.find('/', kOrdersPath.size() + 1) == std::string::npos) {
    route = "/api/orders/:id";
    if (request.method == "GET") {
      response = GetOrder(path.substr(kOrdersPath.size() + 1));
    } else {
      response = http::JsonError(405, "method " + request.method + " not allowed on /api/orders/<orderId>");
    }
  } else if (path == "/health" || path == "/metrics") {
    // The router matches exact paths, so "/health/" must reach it as "/health", as it does for routing here.
    http::HttpRequest admin_request = request;
    admin_request.path = path;
    response = http::MakeAdminRouter(health_, context_.metrics)(admin_request);
  } else {
    route = "other";
    response = http::JsonError(404, "no route for " + request.method + " " + request.path);
  }
  context_.metrics.Add("sagaflow_http_requests_total{route=\"" + route + "\",code=\"" +
                       std::to_string(response.status) + "\"}");
  return response;
}

http::HttpResponse OrderApi::PostOrder(const http::HttpRequest& request) {
  if (auto refused = CheckPostFraming(request)) return *refused;
  const auto idempotency_key = request.Header("idempotency-key");
  auto parsed = ParseOrderRequest(request.body);
  if (!parsed.ok()) return http::JsonError(400, parsed.status().message());

  const TimePoint now = context_.clock.Now();
  const Order order = NewOrder(*parsed, now, context_.random);
  auto stored = Store(order, parsed->Canonical(), idempotency_key, now);
  if (!stored.ok()) {
    context_.logger->error("storing order failed: {}", stored.status().ToString());
    return http::JsonError(503, "the order could not be stored; retry with the same Idempotency-Key");
  }
  if (stored->conflict) {
    return http::JsonError(409, "Idempotency-Key '" + *idempotency_key + "' was already used with a different body");
  }
  if (stored->replay_of) return Replay(*stored->replay_of);
  context_.metrics.Add("sagaflow_orders_created_total");
  context_.logger->info("order accepted orderId={} customerId={} items={} totalAmount={}", order.order_id,
                        order.customer_id, order.items.size(), FormatMoney(order.total_cents));
  return Accepted(order, 202, "Order accepted for processing");
}

OrderApi::Stored OrderApi::StoreInTransaction(storage::UnitOfWork& uow, const Order& order,
                                              const std::string& canonical,
                                              const std::optional<std::string>& idempotency_key, TimePoint now) {
  if (idempotency_key) {
    if (auto existing = store::FindIdempotencyKey(uow, *idempotency_key)) {
      if (existing->request == canonical) return Stored{existing->order_id, false};
      return Stored{std::nullopt, true};
    }
  }
  store::InsertOrder(uow, order, ToEpochMillis(now + context_.nudge_after));
  if (idempotency_key) store::InsertIdempotencyKey(uow, *idempotency_key, canonical, order.order_id, order.created_at);
  context_.outbox.Append(uow, topics::kOrderCreated,
                         OrderCreatedEvent(order, NewTimeOrderedUuid(now, context_.random)));
  return Stored{};
}

Result<OrderApi::Stored> OrderApi::Store(const Order& order, const std::string& canonical,
                                         const std::optional<std::string>& idempotency_key, TimePoint now) {
  Stored stored;
  Status status = context_.db.Write([&](storage::UnitOfWork& uow) {
    stored = StoreInTransaction(uow, order, canonical, idempotency_key, now);
    return Status::Ok();
  });
  // Durable before visible: no 2xx for an order a power loss could still take back.
  if (status.ok() && !stored.conflict) status = context_.db.AwaitDurable();
  if (!status.ok()) return status;
  return stored;
}

http::HttpResponse OrderApi::Replay(const std::string& order_id) {
  std::optional<Order> existing;
  Status read = context_.db.Read([&](storage::Sql& sql) {
    existing = store::LoadOrder(sql, order_id, false);
    return Status::Ok();
  });
  if (!read.ok() || !existing) return http::JsonError(503, "the order could not be read; retry");
  return Accepted(*existing, 200, "Order already accepted for this Idempotency-Key");
}

http::HttpResponse OrderApi::GetOrder(const std::string& order_id) {
  std::optional<Order> order;
  Status status = context_.db.Read([&](storage::Sql& sql) {
    order = store::LoadOrder(sql, order_id, true);
    return Status::Ok();
  });
  if (!status.ok()) return http::JsonError(503, "the order could not be read; retry");
  if (!order) return http::JsonError(404, "order '" + order_id + "' not found");
  return http::JsonOk(200, OrderJson(*order, true));
}

http::HttpResponse OrderApi::ListOrders(const http::HttpRequest& request) {
  std::string status_filter;
  if (auto it = request.query.find("status"); it != request.query.end() && !it->second.empty()) {
    status_filter = it->second;
    if (!IsKnownStatus(status_filter)) {
      return http::JsonError(400,
                             "status must be one of PENDING, PROCESSING, COMPENSATING, COMPLETED, CANCELLED, "
                             "FAILED; got '" +
                                 status_filter + "'");
    }
  }
  int limit = kDefaultListLimit;
  if (auto it = request.query.find("limit"); it != request.query.end()) {
    const std::string& text = it->second;
    long long parsed = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || parsed < 1) {
      return http::JsonError(400, "limit must be an integer from 1 to " + std::to_string(kMaxListLimit));
    }
    limit = static_cast<int>(std::min<long long>(parsed, kMaxListLimit));
  }
  std::vector<Order> orders;
  Status status = context_.db.Read([&](storage::Sql& sql) {
    orders = store::ListOrders(sql, status_filter, limit);
    return Status::Ok();
  });
  if (!status.ok()) return http::JsonError(503, "orders could not be read; retry");
  std::string body = "[";
  for (size_t i = 0; i < orders.size(); ++i) {
    if (i > 0) body += ",";
    body += OrderJson(orders[i], false);
  }
  body += "]";
  return http::JsonOk(200, std::move(body));
}

}  // namespace sagaflow::order
