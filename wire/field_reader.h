// FieldReader: reads the fields of one JSON object for a message's decoder, keeping the first problem.
//
// A decoder is a list of reads and one Finish: after a problem every read returns an empty value, and Finish
// returns InvalidArgument naming the field ("amount is missing", "items[1].quantity must be an integer"), worded as
// common/json.h words it. An optional read takes an absent field as empty and still refuses one of the wrong type.
// A value used by one decoder on one thread; the parsed document must outlive it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/money.h"
#include "common/status.h"

namespace sagaflow::wire {

class FieldReader {
 public:
  // `path` names the object in errors ("items[0]"); empty for a message's top level.
  explicit FieldReader(simdjson::dom::object object, std::string path = "") : object_(object), path_(std::move(path)) {}

  std::string String(std::string_view field);
  std::string OptionalString(std::string_view field);  // "" when absent
  int64_t Int(std::string_view field);
  bool Bool(std::string_view field);
  // Money as our services write it (GetMoney in common/json.h): a number that is exactly some cents / 100.
  Cents Money(std::string_view field);
  std::optional<Cents> OptionalMoney(std::string_view field);
  // The array `field`, each element an object read by `read_one(FieldReader&)` with the path "<field>[i]".
  template <typename T, typename ReadOne>
  std::vector<T> Objects(std::string_view field, ReadOne read_one);

  // `value` if every read succeeded, else the first problem.
  template <typename T>
  Result<T> Finish(T value) const {
    if (!status_.ok()) return status_;
    return value;
  }

 private:
  bool Present(std::string_view field) const;
  // Keeps the first problem, naming the field by its path (common/json.h's messages start with the field).
  void Fail(const Status& status);
  std::string PathOf(std::string_view field) const;

  simdjson::dom::object object_;
  std::string path_;
  Status status_;
};

template <typename T, typename ReadOne>
std::vector<T> FieldReader::Objects(std::string_view field, ReadOne read_one) {
  std::vector<T> out;
  if (!status_.ok()) return out;
  simdjson::dom::array array;
  if (simdjson::dom::element value; object_[field].get(value)) {
    Fail(Status::InvalidArgument(std::string(field) + " is missing"));
  } else if (value.get_array().get(array)) {
    Fail(Status::InvalidArgument(std::string(field) + " must be an array"));
  }
  if (!status_.ok()) return out;
  for (simdjson::dom::element element : array) {
    FieldReader element_reader(simdjson::dom::object(), PathOf(field) + "[" + std::to_string(out.size()) + "]");
    if (element.get_object().get(element_reader.object_)) {
      status_ = Status::InvalidArgument(element_reader.path_ + " must be an object");
      return out;
    }
    out.push_back(read_one(element_reader));
    if (!element_reader.status_.ok()) {
      status_ = element_reader.status_;  // names the element's field by its whole path already
      return out;
    }
  }
  return out;
}

}  // namespace sagaflow::wire
