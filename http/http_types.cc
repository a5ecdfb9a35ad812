#include "http/http_types.h"

#include "common/json_writer.h"

namespace sagaflow::http {

std::optional<std::string> HttpRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

HttpResponse JsonError(int status, const std::string& message) {
  JsonWriter json;
  json.BeginObject().Key("error").String(message).EndObject();
  return {status, "application/json", json.Take(), {}};
}

HttpResponse JsonOk(int status, std::string body) {
  return {status, "application/json", std::move(body), {}};
}

}  // namespace sagaflow::http
