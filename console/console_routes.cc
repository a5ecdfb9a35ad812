#include "console/console_routes.h"

#include <simdjson.h>

#include <cstdio>
#include <map>

#include "common/json.h"
#include "common/json_writer.h"
#include "console/embedded_assets.h"

namespace sagaflow::console {

namespace {

using http::HttpRequest;
using http::HttpResponse;
using Route = std::function<HttpResponse(const HttpRequest&)>;

// Chart.js sets sizes through element styles, hence 'unsafe-inline' for styles only; scripts run from our own
// files alone.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

HttpResponse WithSecurityHeaders(HttpResponse response) {
  response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse ServeAsset(const EmbeddedAsset& asset) {
  HttpResponse response;
  response.content_type = std::string(asset.content_type);
  response.body = std::string(asset.body);
  return response;
}

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

void WriteServices(JsonWriter& json, const std::vector<ServiceStatus>& statuses, const OverviewCounts& counts) {
  json.Key("services").BeginArray();
  for (const ServiceStatus& status : statuses) {
    const auto found = counts.services.find(status.name);
    const ServiceCounts stored = found == counts.services.end() ? ServiceCounts{} : found->second;
    json.BeginObject()
        .Key("name")
        .String(status.name)
        .Key("port")
        .Int(status.port)
        .Key("answering")
        .Bool(status.answering)
        .Key("brokerConnected")
        .Bool(status.broker_connected)
        .Key("outboxBacklog")
        .Int(stored.outbox_backlog)
        .Key("oldestUnpublishedMs");
    if (stored.oldest_unpublished_ms) {
      json.Int(*stored.oldest_unpublished_ms);
    } else {
      json.Null();
    }
    json.Key("deadLetters").Int(stored.dead_letters).Key("lastAnswer");
    if (status.last_answer) {
      json.Int(status.last_answer->time_since_epoch().count());
    } else {
      json.Null();
    }
    json.EndObject();
  }
  json.EndArray();
}

HttpResponse Overview(const ConsoleParts& parts) {
  auto counts = parts.reads.Counts();
  if (!counts.ok()) return http::JsonError(503, counts.status().message());
  JsonWriter json;
  json.BeginObject().Key("now").Int(parts.clock.Now().time_since_epoch().count());
  json.Key("rates").BeginArray();
  for (const RatePoint& point : parts.rates.Points()) {
    json.BeginObject().Key("at").Int(point.at.time_since_epoch().count());
    json.Key("started").Raw(Number(point.started)).Key("completed").Raw(Number(point.completed));
    json.Key("cancelled").Raw(Number(point.cancelled)).Key("failed").Raw(Number(point.failed)).EndObject();
  }
  json.EndArray();
  json.Key("sagas").BeginObject().Key("running").Int(counts->running).Key("compensating").Int(counts->compensating);
  json.Key("stuck").Int(counts->stuck).Key("failed").Int(counts->failed).EndObject();
  WriteServices(json, parts.scraper.Statuses(), *counts);
  json.EndObject();
  return http::JsonOk(200, json.Take());
}

void WriteResult(JsonWriter& json, const RedriveResult& result) {
  json.BeginObject().Key("sagaId").String(result.saga_id).Key("ok").Bool(result.ok());
  json.Key("status").Int(result.status).Key("answer").String(result.answer).EndObject();
}

HttpResponse RetryOne(const ConsoleParts& parts, const HttpRequest& request) {
  simdjson::dom::parser parser;
  auto body = ParseJson(parser, request.body);
  if (!body.ok() || !body->is_object()) return http::JsonError(400, "the body must be a JSON object");
  auto saga_id = GetString(body->get_object().value(), "sagaId");
  if (!saga_id.ok() || saga_id->empty()) return http::JsonError(400, "sagaId must be a non-empty string");
  const RedriveResult result = parts.redriver.Redrive(std::string(*saga_id));
  if (result.status == 0) return http::JsonError(502, result.answer);
  if (!result.ok()) return http::JsonError(result.status, result.answer);
  JsonWriter json;
  json.BeginObject().Key("sagaId").String(result.saga_id).Key("result").String(result.answer).EndObject();
  return http::JsonOk(200, json.Take());
}

HttpResponse RetryMany(const ConsoleParts& parts, const HttpRequest& request) {
  simdjson::dom::parser parser;
  auto body = ParseJson(parser, request.body);
  if (!body.ok() || !body->is_object()) return http::JsonError(400, "the body must be a JSON object");
  auto ids = GetArray(body->get_object().value(), "sagaIds");
  if (!ids.ok()) return http::JsonError(400, "sagaIds must be an array of saga ids");
  if (ids->size() == 0 || ids->size() > kMaxBulkRedrive) {
    return http::JsonError(400, "sagaIds must hold 1 to " + std::to_string(kMaxBulkRedrive) + " saga ids");
  }
  std::vector<std::string> saga_ids;
  for (simdjson::dom::element id : *ids) {
    std::string_view text;
    if (id.get_string().get(text) || text.empty()) return http::JsonError(400, "sagaIds must hold non-empty strings");
    saga_ids.emplace_back(text);
  }
  JsonWriter json;
  json.BeginObject().Key("results").BeginArray();
  for (const std::string& saga_id : saga_ids) WriteResult(json, parts.redriver.Redrive(saga_id));
  json.EndArray().EndObject();
  return http::JsonOk(200, json.Take());
}

std::map<std::string, Route> Routes(const ConsoleParts& parts) {
  return {
      {"GET /health", [](const HttpRequest&) { return http::JsonOk(200, R"({"status":"ok"})"); }},
      {"GET /api/overview", [&parts](const HttpRequest&) { return Overview(parts); }},
      {"GET /api/sagas", [&parts](const HttpRequest& r) { return parts.reads.Sagas(r); }},
      {"GET /api/saga", [&parts](const HttpRequest& r) { return parts.reads.Saga(r); }},
      {"GET /api/dead-letters", [&parts](const HttpRequest& r) { return parts.reads.DeadLetters(r); }},
      {"POST /api/sagas/retry", [&parts](const HttpRequest& r) { return RetryOne(parts, r); }},
      {"POST /api/sagas/retry-bulk", [&parts](const HttpRequest& r) { return RetryMany(parts, r); }},
  };
}

}  // namespace

http::HttpServer::Handler MakeConsoleHandler(const ConsoleParts& parts) {
  return [routes = Routes(parts)](const HttpRequest& request) {
    if (request.method == "GET") {
      if (const EmbeddedAsset* asset = FindAsset(request.path)) return WithSecurityHeaders(ServeAsset(*asset));
    }
    auto route = routes.find(request.method + " " + request.path);
    if (route == routes.end()) return WithSecurityHeaders(http::JsonError(404, "no such page: " + request.path));
    return WithSecurityHeaders(route->second(request));
  };
}

std::set<std::string> ReadOnlyPaths() {
  return {"/",          "/console.js", "/console.css",     "/chart.js", "/health", "/api/overview",
          "/api/sagas", "/api/saga",   "/api/dead-letters"};
}

}  // namespace sagaflow::console
