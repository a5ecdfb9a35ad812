// RequestGate: the checks a request's head must pass before its body is read or the handler runs — the
// Host check and bearer authentication configured in HttpServerOptions.
//
// Refusal() returns the JSON answer to send instead (421 for a foreign Host, 400 for a missing or repeated
// one, 401 with WWW-Authenticate for a missing or wrong key), or nullopt to let the request through.
// Immutable after construction, so any thread may call it.
#pragma once

#include <optional>

#include "http/bearer_auth.h"
#include "http/host_check.h"
#include "http/http_types.h"

namespace sagaflow::http {

struct HttpServerOptions;

class RequestGate {
 public:
  explicit RequestGate(const HttpServerOptions& options);

  // host_count: how many Host fields the request had (HttpRequest keeps only one).
  std::optional<HttpResponse> Refusal(const HttpRequest& head, size_t host_count) const;

 private:
  std::optional<HostCheck> host_check_;  // nullopt: any Host
  BearerAuth auth_;
};

}  // namespace sagaflow::http
