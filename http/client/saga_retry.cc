#include "http/client/saga_retry.h"

#include "common/percent_encoding.h"

namespace sagaflow::http {

HttpResult RequestSagaRetry(HttpClient& orchestrator, std::string_view id, const std::string& admin_token) {
  return orchestrator.Request("POST", std::string(kSagaRetryPath) + "?id=" + PercentEncode(id), "",
                              {{"Authorization", "Bearer " + admin_token}});
}

}  // namespace sagaflow::http
