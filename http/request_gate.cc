#include "http/request_gate.h"

#include "http/server.h"

namespace sagaflow::http {

RequestGate::RequestGate(const HttpServerOptions& options) : auth_(options.bearer_keys, options.auth_exempt_paths) {
  if (options.check_host) host_check_.emplace(options.allowed_hosts, IsLoopbackAddress(options.bind_address));
}

std::optional<HttpResponse> RequestGate::Refusal(const HttpRequest& head, size_t host_count) const {
  if (host_check_) {
    if (host_count != 1) return JsonError(400, "a request needs exactly one Host header");
    if (!host_check_->Allows(head.Header("host").value_or(""))) {
      return JsonError(421, "this server does not serve that Host");
    }
  }
  if (!auth_.Allows(head)) {
    HttpResponse refusal = JsonError(401, "a valid 'Authorization: Bearer <key>' header is required");
    refusal.headers.emplace_back("WWW-Authenticate", "Bearer");
    return refusal;
  }
  return std::nullopt;
}

}  // namespace sagaflow::http
