// An operator's retry of a saga through the orchestrator's admin endpoint, the one path by which sagactl and the web
// console change a saga: POST kSagaRetryPath?id=<correlation id or saga id> with the admin token. The orchestrator
// answers 200 {"result": ...} or an error status with {"error": ...}; status 0 means it did not answer.
#pragma once

#include <string>
#include <string_view>

#include "http/client/http_client.h"
#include "http/health.h"

namespace sagaflow::http {

HttpResult RequestSagaRetry(HttpClient& orchestrator, std::string_view id, const std::string& admin_token);

}  // namespace sagaflow::http
