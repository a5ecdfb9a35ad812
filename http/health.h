// The GET /health and GET /metrics responses every service serves, and the
// admin router for services whose only HTTP surface is their admin port.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/metrics.h"
#include "http/http_types.h"

namespace sagaflow::http {

struct HealthReport {
  bool database_ok = false;
  bool broker_connected = false;
};

// 200 when the database is open and the broker connected, else 503; the body says which is not.
HttpResponse HealthResponse(const HealthReport& report);
HttpResponse MetricsResponse(Metrics& metrics);

// Routes GET /health and GET /metrics, plus `extra` ("METHOD /path" -> handler); JSON 404/405 otherwise.
using Route = std::function<HttpResponse(const HttpRequest&)>;
Route MakeAdminRouter(std::function<HealthReport()> health, Metrics& metrics, std::map<std::string, Route> extra = {});

// Where the token that admin actions require lives: written by the services, read by sagactl.
std::string AdminTokenPath(const std::string& home);

// The orchestrator's admin endpoint for an operator's retry of a saga (http/client/saga_retry.h sends it).
inline constexpr std::string_view kSagaRetryPath = "/admin/sagas/retry";

}  // namespace sagaflow::http
