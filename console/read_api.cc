#include "console/read_api.h"

#include "common/json_writer.h"
#include "common/money.h"
#include "common/time_format.h"
#include "manifest/service_manifest.h"
#include "readmodel/read_model.h"
#include "readmodel/waiting.h"

namespace sagaflow::console {

namespace {

using http::HttpRequest;
using http::HttpResponse;

// NotFound is the client's mistake about an id; a missing database file means the system is not set up yet.
HttpResponse ErrorOf(const Status& status) {
  if (status.IsNotFound()) return http::JsonError(404, status.message());
  if (status.IsInvalidArgument()) return http::JsonError(400, status.message());
  return http::JsonError(503, status.message());
}

std::optional<std::string> Param(const HttpRequest& request, const std::string& name) {
  auto found = request.query.find(name);
  if (found == request.query.end() || found->second.empty()) return std::nullopt;
  return found->second;
}

// A browser's datetime-local ("2024-01-15T10:30"), taken as UTC, or a full ISO 8601 time.
Result<std::optional<TimePoint>> TimeParam(const HttpRequest& request, const std::string& name) {
  auto text = Param(request, name);
  if (!text) return std::optional<TimePoint>();
  std::string iso = *text;
  if (iso.size() == 16) iso += ":00";
  if (iso.size() == 19) iso += ".000Z";
  auto parsed = ParseIso8601(iso);
  if (!parsed.ok()) return Status::InvalidArgument(name + " must be a time like 2024-01-15T10:30, not '" + *text + "'");
  return std::optional<TimePoint>(*parsed);
}

Result<int> LimitParam(const HttpRequest& request) {
  auto text = Param(request, "limit");
  if (!text) return readmodel::kDefaultPageSize;
  char* end = nullptr;
  const long value = std::strtol(text->c_str(), &end, 10);
  if (end == text->c_str() || *end != '\0' || value < 1 || value > readmodel::kMaxPageSize) {
    return Status::InvalidArgument("limit must be an integer from 1 to " + std::to_string(readmodel::kMaxPageSize));
  }
  return static_cast<int>(value);
}

Result<readmodel::SagaFilter> FilterOf(const HttpRequest& request) {
  readmodel::SagaFilter filter;
  filter.definition = Param(request, "definition");
  filter.state = Param(request, "state");
  filter.correlation_id = Param(request, "correlation");
  filter.stuck_only = Param(request, "stuck").has_value();
  auto from = TimeParam(request, "from");
  if (!from.ok()) return from.status();
  auto to = TimeParam(request, "to");
  if (!to.ok()) return to.status();
  filter.created_from = *from;
  filter.created_to = *to;
  return filter;
}

void WriteOptionalTime(JsonWriter& json, const std::optional<TimePoint>& time) {
  if (time) {
    json.String(FormatIso8601(*time));
  } else {
    json.Null();
  }
}

void WriteSagaRow(JsonWriter& json, const readmodel::SagaRow& row) {
  json.BeginObject()
      .Key("sagaId")
      .String(row.saga_id)
      .Key("correlationId")
      .String(row.correlation_id)
      .Key("definition")
      .String(row.definition)
      .Key("definitionVersion")
      .Int(row.definition_version)
      .Key("state")
      .String(row.state)
      .Key("failureReason")
      .String(row.failure_reason)
      .Key("createdAt")
      .String(row.created_at)
      .Key("updatedAt")
      .String(row.updated_at)
      .Key("nextTimer");
  WriteOptionalTime(json, row.next_timer);
  json.EndObject();
}

void WriteSteps(JsonWriter& json, const std::vector<readmodel::StepRecord>& steps) {
  json.Key("steps").BeginArray();
  for (const auto& step : steps) {
    json.BeginObject().Key("step").String(step.step).Key("stage").Int(step.stage).Key("status").String(step.status);
    json.Key("attempts").Int(step.attempts).Key("compensationAttempts").Int(step.compensation_attempts);
    json.Key("deadline");
    WriteOptionalTime(json, step.deadline);
    json.Key("failureReason").String(step.failure_reason).Key("lastReply").String(step.last_reply).EndObject();
  }
  json.EndArray();
}

void WriteTimeline(JsonWriter& json, const std::vector<engine::SagaEvent>& timeline) {
  json.Key("timeline").BeginArray();
  for (const auto& entry : timeline) {
    json.BeginObject().Key("seq").Int(entry.seq).Key("at").String(entry.at).Key("kind").String(
        engine::ToString(entry.kind));
    json.Key("step").String(entry.step).Key("attempt");
    if (entry.attempt) {
      json.Int(*entry.attempt);
    } else {
      json.Null();
    }
    json.Key("topic").String(entry.topic).Key("payload").String(entry.payload).Key("detail").String(entry.detail);
    json.EndObject();
  }
  json.EndArray();
}

void WriteServices(JsonWriter& json, const readmodel::OrderAcrossServices& services) {
  if (const auto& payment = services.payment) {
    json.Key("payment").BeginObject().Key("payment").String(payment->payment_id).Key("status").String(payment->status);
    json.Key("amount")
        .String(FormatMoney(payment->amount_cents))
        .Key("updated")
        .String(payment->updated_at)
        .EndObject();
  }
  if (const auto& reservation = services.reservation) {
    std::string items;
    for (const auto& item : reservation->items) {
      items += (items.empty() ? "" : " ") + item.product_id + "x" + std::to_string(item.quantity);
    }
    json.Key("reservation").BeginObject().Key("reservation").String(reservation->reservation_id);
    json.Key("status").String(reservation->status).Key("reason").String(reservation->reason);
    json.Key("items").String(items).EndObject();
  }
  json.Key("notifications").BeginArray();
  for (const auto& notification : services.notifications) {
    json.BeginObject().Key("at").String(notification.created_at).Key("kind").String(notification.kind);
    json.Key("message").String(notification.message).EndObject();
  }
  json.EndArray();
}

// For a saga of the order definition: the order and what the other services hold about it.
void WriteOrder(JsonWriter& json, const readmodel::SagaDetail& detail) {
  json.Key("order");
  if (!detail.order) {
    json.Null();
    return;
  }
  const readmodel::OrderRecord& order = *detail.order;
  json.BeginObject().Key("orderId").String(order.order_id).Key("customerId").String(order.customer_id);
  json.Key("status").String(order.status).Key("reason").String(order.reason);
  json.Key("totalAmount").String(FormatMoney(order.total_cents)).Key("createdAt").String(order.created_at);
  json.Key("history").BeginArray();
  for (const auto& entry : order.history) {
    json.BeginObject().Key("at").String(entry.at).Key("event").String(entry.event).EndObject();
  }
  json.EndArray();
  if (detail.services) WriteServices(json, *detail.services);
  json.EndObject();
}

}  // namespace

HttpResponse ReadApi::Sagas(const HttpRequest& request) const {
  auto filter = FilterOf(request);
  if (!filter.ok()) return ErrorOf(filter.status());
  auto limit = LimitParam(request);
  if (!limit.ok()) return ErrorOf(limit.status());
  const readmodel::ReadModel model(home_);
  auto page = model.ListSagas(*filter, {Param(request, "cursor").value_or(""), *limit}, clock_.Now());
  if (!page.ok()) return ErrorOf(page.status());
  JsonWriter json;
  json.BeginObject().Key("sagas").BeginArray();
  for (const auto& row : page->rows) WriteSagaRow(json, row);
  json.EndArray().Key("next").String(page->next_cursor).EndObject();
  return http::JsonOk(200, json.Take());
}

HttpResponse ReadApi::Saga(const HttpRequest& request) const {
  auto id = Param(request, "id");
  if (!id) return http::JsonError(400, "id is missing");
  const readmodel::ReadModel model(home_);
  auto detail = model.LoadSaga(*id);
  if (!detail.ok()) return ErrorOf(detail.status());
  auto timeline = model.Timeline(*id);
  if (!timeline.ok()) return ErrorOf(timeline.status());
  const readmodel::SagaView& view = detail->saga;
  JsonWriter json;
  json.BeginObject().Key("saga");
  WriteSagaRow(json, view.saga);
  json.Key("data").String(view.data);
  WriteSteps(json, view.steps);
  json.Key("waiting").BeginArray();
  for (const auto& wait : view.waiting) json.String(readmodel::Explain(wait, view.saga.correlation_id));
  json.EndArray();
  WriteTimeline(json, *timeline);
  WriteOrder(json, *detail);
  json.EndObject();
  return http::JsonOk(200, json.Take());
}

HttpResponse ReadApi::DeadLetters(const HttpRequest& request) const {
  const readmodel::ReadModel model(home_);
  const auto only = Param(request, "service");
  JsonWriter json;
  json.BeginObject().Key("services").BeginArray();
  for (const ServiceManifest& service : SagaflowServices()) {
    if (only && *only != service.name) continue;
    auto page = model.DeadLetters(service.name, {Param(request, "cursor").value_or(""), readmodel::kMaxPageSize});
    if (!page.ok()) return ErrorOf(page.status());
    json.BeginObject().Key("name").String(service.name).Key("deadLetters").BeginArray();
    for (const auto& letter : page->rows) {
      json.BeginObject()
          .Key("id")
          .Int(letter.id)
          .Key("at")
          .String(letter.received_at)
          .Key("topic")
          .String(letter.topic);
      json.Key("error").String(letter.error).Key("payload").String(letter.payload).EndObject();
    }
    json.EndArray().Key("more").Bool(!page->next_cursor.empty()).Key("next").String(page->next_cursor).EndObject();
  }
  json.EndArray().EndObject();
  return http::JsonOk(200, json.Take());
}

Result<OverviewCounts> ReadApi::Counts() const {
  const readmodel::ReadModel model(home_);
  auto overview = model.OverviewAt(clock_.Now());
  if (!overview.ok()) return overview.status();
  OverviewCounts counts{overview->running, overview->compensating, overview->stuck, overview->failed, {}};
  for (const auto& service : overview->services) {
    ServiceCounts& entry = counts.services[service.service];
    entry.outbox_backlog = service.unpublished;
    if (service.oldest_unpublished_age) entry.oldest_unpublished_ms = service.oldest_unpublished_age->count();
    entry.dead_letters = service.dead_letters;
  }
  return counts;
}

}  // namespace sagaflow::console
