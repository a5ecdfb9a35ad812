#include "wire/field_reader.h"

#include "common/json.h"

namespace sagaflow::wire {

std::string FieldReader::PathOf(std::string_view field) const {
  return path_.empty() ? std::string(field) : path_ + "." + std::string(field);
}

void FieldReader::Fail(const Status& status) {
  if (!status_.ok()) return;
  status_ = path_.empty() ? status : Status::InvalidArgument(path_ + "." + status.message());
}

bool FieldReader::Present(std::string_view field) const {
  simdjson::dom::element value;
  return !object_[field].get(value);
}

std::string FieldReader::String(std::string_view field) {
  if (!status_.ok()) return {};
  auto value = GetString(object_, field);
  if (!value.ok()) {
    Fail(value.status());
    return {};
  }
  return std::string(*value);
}

std::string FieldReader::OptionalString(std::string_view field) {
  return Present(field) ? String(field) : std::string();
}

int64_t FieldReader::Int(std::string_view field) {
  if (!status_.ok()) return 0;
  auto value = GetInt(object_, field);
  if (!value.ok()) Fail(value.status());
  return value.ok() ? *value : 0;
}

bool FieldReader::Bool(std::string_view field) {
  if (!status_.ok()) return false;
  auto value = GetBool(object_, field);
  if (!value.ok()) Fail(value.status());
  return value.ok() && *value;
}

Cents FieldReader::Money(std::string_view field) {
  if (!status_.ok()) return 0;
  auto value = GetMoney(object_, field);
  if (!value.ok()) Fail(value.status());
  return value.ok() ? *value : 0;
}

std::optional<Cents> FieldReader::OptionalMoney(std::string_view field) {
  if (!Present(field)) return std::nullopt;
  const Cents cents = Money(field);
  return status_.ok() ? std::optional<Cents>(cents) : std::nullopt;
}

}  // namespace sagaflow::wire
