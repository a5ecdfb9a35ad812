#include "console/redrive.h"

#include <simdjson.h>

#include "common/json.h"
#include "http/client/saga_retry.h"

namespace sagaflow::console {

namespace {

// The orchestrator answers {"result": ...} or {"error": ...}; either is what the operator reads.
std::string AnswerText(const std::string& body) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, body);
  if (!root.ok() || !root->is_object()) return body;
  const simdjson::dom::object object = root->get_object().value();
  std::string_view text = GetStringOr(object, "result", "");
  if (text.empty()) text = GetStringOr(object, "error", body);
  return std::string(text);
}

}  // namespace

RedriveResult Redriver::Redrive(const std::string& saga_id) const {
  http::HttpClient client(port_, std::chrono::seconds(10));
  const auto response = http::RequestSagaRetry(client, saga_id, admin_token_);
  RedriveResult result{saga_id, response.status,
                       response.status == 0 ? "the orchestrator did not answer" : AnswerText(response.body)};
  if (result.ok()) {
    logger_->info("operator redrive of saga {} from the console: {}", saga_id, result.answer);
  } else {
    logger_->warn("operator redrive of saga {} from the console refused ({}): {}", saga_id, result.status,
                  result.answer);
  }
  return result;
}

}  // namespace sagaflow::console
