// HttpRequest / HttpResponse: the plain values our request handlers take and return.
//
// Handlers are functions HttpRequest -> HttpResponse with no HTTP library's types in them, so they are
// unit tested without a socket; http/server.h serves them. Header names are lower-case.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sagaflow::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::optional<std::string> Header(const std::string& lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// {"error": "<message>"} with the given status.
HttpResponse JsonError(int status, const std::string& message);
HttpResponse JsonOk(int status, std::string body);

}  // namespace sagaflow::http
