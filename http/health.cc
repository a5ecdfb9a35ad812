#include "http/health.h"

#include "common/json_writer.h"

namespace sagaflow::http {

HttpResponse HealthResponse(const HealthReport& report) {
  const bool healthy = report.database_ok && report.broker_connected;
  JsonWriter json;
  json.BeginObject()
      .Key("status")
      .String(healthy ? "ok" : "unavailable")
      .Key("database")
      .String(report.database_ok ? "ok" : "unavailable")
      .Key("broker")
      .String(report.broker_connected ? "connected" : "disconnected")
      .EndObject();
  return JsonOk(healthy ? 200 : 503, json.Take());
}

HttpResponse MetricsResponse(Metrics& metrics) {
  return {200, "text/plain; version=0.0.4", metrics.Render(), {}};
}

Route MakeAdminRouter(std::function<HealthReport()> health, Metrics& metrics, std::map<std::string, Route> extra) {
  return [health = std::move(health), &metrics, extra = std::move(extra)](const HttpRequest& request) {
    if (request.path == "/health") {
      if (request.method != "GET") return JsonError(405, "method " + request.method + " not allowed on /health");
      return HealthResponse(health());
    }
    if (request.path == "/metrics") {
      if (request.method != "GET") return JsonError(405, "method " + request.method + " not allowed on /metrics");
      return MetricsResponse(metrics);
    }
    auto it = extra.find(request.method + " " + request.path);
    if (it != extra.end()) return it->second(request);
    return JsonError(404, "no route for " + request.method + " " + request.path);
  };
}

std::string AdminTokenPath(const std::string& home) {
  return home + "/secrets/admin-token";
}

}  // namespace sagaflow::http
