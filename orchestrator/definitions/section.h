// Section: one object of a definition file being read, at its JSON path. Each accessor records a problem (and
// returns nothing) when the key is missing where required, has the wrong type or an out-of-range value; keys the
// section does not know are problems too, so a misspelt setting is not silently ignored.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/json_value.h"
#include "orchestrator/definitions/problems.h"

namespace sagaflow::definitions {

class Section {
 public:
  // Records a problem if `node` is not an object, or has a key not in `keys`.
  Section(const JsonValue& node, std::string path, Problems& problems, std::initializer_list<std::string_view> keys);

  bool valid() const { return node_ != nullptr; }
  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const { return path_ + "." + std::string(key); }
  Problems& problems() const { return problems_; }

  const JsonValue* Find(std::string_view key) const;
  const JsonValue* Require(std::string_view key) const;
  // A non-empty string of at most 200 bytes.
  std::optional<std::string> RequireString(std::string_view key) const;
  std::optional<std::string> OptionalString(std::string_view key) const;
  std::optional<int64_t> OptionalInteger(std::string_view key, int64_t min, int64_t max) const;
  std::optional<int64_t> RequireInteger(std::string_view key, int64_t min, int64_t max) const;

 private:
  std::optional<std::string> String(std::string_view key, const JsonValue& value) const;
  std::optional<int64_t> Integer(std::string_view key, const JsonValue& value, int64_t min, int64_t max) const;

  const JsonValue* node_ = nullptr;
  std::string path_;
  Problems& problems_;
};

}  // namespace sagaflow::definitions
