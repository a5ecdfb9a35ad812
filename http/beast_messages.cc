#include "http/beast_messages.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "common/percent_encoding.h"

namespace sagaflow::http {

namespace beast_http = boost::beast::http;

namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower;
}

void ParseQuery(std::string_view query, std::map<std::string, std::string>& into) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const size_t equals = pair.find('=');
      into[PercentDecode(pair.substr(0, equals))] =
          equals == std::string_view::npos ? std::string() : PercentDecode(pair.substr(equals + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
}

}  // namespace

HttpRequest ToHttpRequest(BeastRequest& request, bool with_body) {
  HttpRequest converted;
  converted.method = std::string(request.method_string());
  const std::string_view target(request.target().data(), request.target().size());
  const size_t question = target.find('?');
  converted.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) ParseQuery(target.substr(question + 1), converted.query);
  for (const auto& field : request) {
    converted.headers[Lower({field.name_string().data(), field.name_string().size()})] = std::string(field.value());
  }
  if (with_body) converted.body = std::move(request.body());
  return converted;
}

BeastResponse ToBeastResponse(HttpResponse response, bool keep_alive) {
  if (response.status < 100 || response.status > 599) response = JsonError(500, "internal error");
  BeastResponse converted{static_cast<beast_http::status>(response.status), 11};
  converted.set(beast_http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) converted.insert(name, value);
  converted.body() = std::move(response.body);
  converted.keep_alive(keep_alive);
  converted.prepare_payload();
  return converted;
}

}  // namespace sagaflow::http
