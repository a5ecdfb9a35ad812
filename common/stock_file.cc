#include "common/stock_file.h"

#include "common/json.h"

namespace sagaflow {

Result<std::map<std::string, int64_t>> ParseStockFile(const std::string& json_text) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, json_text);
  if (!root.ok()) return root.status();
  simdjson::dom::object object;
  if (root->get_object().get(object)) return Status::InvalidArgument("stock file must be a JSON object");
  std::map<std::string, int64_t> stock;
  for (auto [key, value] : object) {
    int64_t quantity = 0;
    if (value.get_int64().get(quantity) || quantity < 0) {
      return Status::InvalidArgument("stock of " + std::string(key) + " must be a non-negative integer");
    }
    stock[std::string(key)] = quantity;
  }
  return stock;
}

}  // namespace sagaflow
