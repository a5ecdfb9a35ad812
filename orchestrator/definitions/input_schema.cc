#include "orchestrator/definitions/input_schema.h"

#include <algorithm>
#include <set>

#include "common/money.h"

namespace sagaflow::definitions {
namespace {

struct TypeInfo {
  std::string_view name;
  FieldRule::Type type;
  std::set<std::string_view> keys;  // besides "type"
};

const std::vector<TypeInfo>& Types() {
  static const std::vector<TypeInfo> types = {
      {"string", FieldRule::Type::kString, {"minLength", "maxLength"}},
      {"integer", FieldRule::Type::kInteger, {"min", "max"}},
      {"number", FieldRule::Type::kNumber, {}},
      {"money", FieldRule::Type::kMoney, {"max"}},
      {"boolean", FieldRule::Type::kBoolean, {}},
      {"object", FieldRule::Type::kObject, {"fields"}},
      {"array", FieldRule::Type::kArray, {"items", "minItems", "maxItems"}},
  };
  return types;
}

std::string Join(const std::string& where, std::string_view field) {
  return where.empty() ? std::string(field) : where + "." + std::string(field);
}

}  // namespace

std::optional<FieldRule> FieldRule::Compile(const JsonValue& node, const std::string& path, Problems& problems) {
  if (!node.is_object()) {
    problems.Add(path, R"(must be an object like {"type": "string"})");
    return std::nullopt;
  }
  const JsonValue* type_name = node.Find("type");
  const TypeInfo* info = nullptr;
  for (const auto& candidate : Types()) {
    if (type_name != nullptr && type_name->is_string() && type_name->text() == candidate.name) info = &candidate;
  }
  if (info == nullptr) {
    problems.Add(path + ".type", "must be one of string, integer, number, money, boolean, object, array");
    return std::nullopt;
  }
  FieldRule rule;
  rule.type_ = info->type;
  const size_t before = problems.size();
  for (const auto& [key, value] : node.fields()) {
    if (key == "type") continue;
    const std::string at = ChildPath(path, key);
    if (!info->keys.contains(key)) {
      problems.Add(at, "is not a setting of type " + std::string(info->name));
    } else if (key == "fields") {
      if (auto object = ObjectOf(value, at, problems)) rule.fields_ = std::move(object->fields_);
    } else if (key == "items") {
      if (auto element = Compile(value, at, problems)) rule.element_ = std::make_shared<const FieldRule>(*element);
    } else if (key == "max" && rule.type_ == Type::kMoney) {
      // A number, or a string holding one ("1000.00"), read exactly from its text either way.
      auto cents = value.is_number() || value.is_string() ? ParseMoney(value.text())
                                                          : Result<Cents>(Status::InvalidArgument(""));
      if (cents.ok()) {
        rule.max_ = *cents;
      } else {
        problems.Add(at, "must be an amount such as 100.00");
      }
    } else {
      auto number = value.Integer();
      if (!number) {
        problems.Add(at, "must be an integer");
      } else {
        (key == "max" || key == "maxLength" || key == "maxItems" ? rule.max_ : rule.min_) = *number;
      }
    }
  }
  if (rule.type_ == Type::kArray && rule.element_ == nullptr && problems.size() == before) {
    problems.Add(path + ".items", "is missing: an array declares the rule of its elements");
  }
  if (problems.size() != before) return std::nullopt;
  return rule;
}

std::optional<FieldRule> FieldRule::ObjectOf(const JsonValue& fields, const std::string& path, Problems& problems) {
  if (!fields.is_object()) {
    problems.Add(path, "must be an object of field rules");
    return std::nullopt;
  }
  FieldRule rule;
  rule.type_ = Type::kObject;
  const size_t before = problems.size();
  for (const auto& [name, field] : fields.fields()) {
    if (auto compiled = Compile(field, ChildPath(path, name), problems)) rule.fields_.emplace_back(name, *compiled);
  }
  if (problems.size() != before) return std::nullopt;
  return rule;
}

const FieldRule* FieldRule::Field(std::string_view name) const {
  for (const auto& [field, rule] : fields_) {
    if (field == name) return &rule;
  }
  return nullptr;
}

Status FieldRule::Check(const JsonValue& value, const std::string& where) const {
  const auto fail = [&](const std::string& what) {
    return Status::InvalidArgument((where.empty() ? "the input" : where) + " " + what);
  };
  switch (type_) {
    case Type::kString: {
      if (!value.is_string()) return fail("must be a string");
      const auto length = static_cast<int64_t>(value.text().size());
      if (min_ && length < *min_) return fail(*min_ == 1 ? "must not be empty" : "is too short");
      if (max_ && length > *max_) return fail("is longer than " + std::to_string(*max_) + " bytes");
      return Status::Ok();
    }
    case Type::kInteger: {
      auto number = value.Integer();
      if (!number) return fail("must be an integer");
      if (min_ && *number < *min_) return fail("must be at least " + std::to_string(*min_));
      if (max_ && *number > *max_) return fail("must be at most " + std::to_string(*max_));
      return Status::Ok();
    }
    case Type::kNumber:
      return value.is_number() ? Status::Ok() : fail("must be a number");
    case Type::kMoney: {
      if (!value.is_number()) return fail("must be a number");
      auto cents = ParseMoney(value.text());
      if (!cents.ok()) return fail(cents.status().message());
      if (max_ && *cents > *max_) return fail("must be at most " + FormatMoney(*max_));
      return Status::Ok();
    }
    case Type::kBoolean:
      return value.kind() == JsonValue::Kind::kBool ? Status::Ok() : fail("must be true or false");
    case Type::kObject: {
      if (!value.is_object()) return fail("must be an object");
      for (const auto& [name, rule] : fields_) {
        const JsonValue* field = value.Find(name);
        if (field == nullptr) return Status::InvalidArgument(Join(where, name) + " is missing");
        if (Status checked = rule.Check(*field, Join(where, name)); !checked.ok()) return checked;
      }
      return Status::Ok();
    }
    case Type::kArray: {
      if (!value.is_array()) return fail("must be an array");
      const auto size = static_cast<int64_t>(value.items().size());
      if (min_ && size < *min_) return fail(*min_ == 1 ? "must not be empty" : "has too few elements");
      if (max_ && size > *max_) return fail("has more than " + std::to_string(*max_) + " elements");
      for (size_t i = 0; i < value.items().size(); ++i) {
        const std::string at = where + "[" + std::to_string(i) + "]";
        if (Status checked = element_->Check(value.items()[i], at); !checked.ok()) return checked;
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

std::optional<InputPath> InputPath::Compile(const std::string& text, const FieldRule& scope, const std::string& where,
                                            Problems& problems) {
  InputPath path;
  path.text_ = text;
  path.rule_ = &scope;
  if (text.rfind("$.", 0) != 0) {
    problems.Add(where, "'" + text + "' is not a path into the input such as $.field");
    return std::nullopt;
  }
  size_t begin = 2;
  while (begin <= text.size()) {
    const size_t end = std::min(text.find('.', begin), text.size());
    const std::string segment = text.substr(begin, end - begin);
    const FieldRule* next = segment.empty() ? nullptr : path.rule_->Field(segment);
    if (next == nullptr) {
      problems.Add(where, "refers to " + text + ", which the input does not declare");
      return std::nullopt;
    }
    path.segments_.push_back(segment);
    path.rule_ = next;
    begin = end + 1;
  }
  return path;
}

const JsonValue* InputPath::Find(const JsonValue& value) const {
  const JsonValue* found = &value;
  for (const auto& segment : segments_) {
    found = found->Find(segment);
    if (found == nullptr) return nullptr;
  }
  return found;
}

std::optional<InputSchema> InputSchema::Compile(const JsonValue& node, const std::string& path, Problems& problems) {
  auto root = FieldRule::ObjectOf(node, path, problems);
  if (!root) return std::nullopt;
  InputSchema schema;
  schema.root_ = std::move(*root);
  return schema;
}

}  // namespace sagaflow::definitions
