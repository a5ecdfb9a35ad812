#include "orchestrator/definitions/section.h"

#include <algorithm>

namespace sagaflow::definitions {
namespace {

constexpr size_t kMaxNameBytes = 200;

}  // namespace

Section::Section(const JsonValue& node, std::string path, Problems& problems,
                 std::initializer_list<std::string_view> keys)
    : path_(std::move(path)), problems_(problems) {
  if (!node.is_object()) {
    problems_.Add(path_, "must be an object");
    return;
  }
  node_ = &node;
  for (const auto& [key, value] : node.fields()) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string known;
      for (const auto& name : keys) known += (known.empty() ? "" : ", ") + std::string(name);
      problems_.Add(PathOf(key), "is not a setting here (known: " + known + ")");
    }
  }
}

const JsonValue* Section::Find(std::string_view key) const {
  return node_ == nullptr ? nullptr : node_->Find(key);
}

const JsonValue* Section::Require(std::string_view key) const {
  const JsonValue* value = Find(key);
  if (value == nullptr && node_ != nullptr) problems_.Add(PathOf(key), "is missing");
  return value;
}

std::optional<std::string> Section::String(std::string_view key, const JsonValue& value) const {
  if (!value.is_string() || value.text().empty()) {
    problems_.Add(PathOf(key), "must be a non-empty string");
    return std::nullopt;
  }
  if (value.text().size() > kMaxNameBytes) {
    problems_.Add(PathOf(key), "is longer than " + std::to_string(kMaxNameBytes) + " bytes");
    return std::nullopt;
  }
  return value.text();
}

std::optional<std::string> Section::RequireString(std::string_view key) const {
  const JsonValue* value = Require(key);
  return value == nullptr ? std::nullopt : String(key, *value);
}

std::optional<std::string> Section::OptionalString(std::string_view key) const {
  const JsonValue* value = Find(key);
  return value == nullptr ? std::nullopt : String(key, *value);
}

std::optional<int64_t> Section::Integer(std::string_view key, const JsonValue& value, int64_t min, int64_t max) const {
  const std::optional<int64_t> number = value.Integer();
  if (!number || *number < min || *number > max) {
    problems_.Add(PathOf(key), "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return number;
}

std::optional<int64_t> Section::OptionalInteger(std::string_view key, int64_t min, int64_t max) const {
  const JsonValue* value = Find(key);
  return value == nullptr ? std::nullopt : Integer(key, *value, min, max);
}

std::optional<int64_t> Section::RequireInteger(std::string_view key, int64_t min, int64_t max) const {
  const JsonValue* value = Require(key);
  return value == nullptr ? std::nullopt : Integer(key, *value, min, max);
}

}  // namespace sagaflow::definitions
