#include "orchestrator/definitions/payload_template.h"

#include <utility>

namespace sagaflow::definitions {

struct PayloadTemplate::Node {
  struct Field;
  enum class Kind { kLiteral, kPath, kVariable, kEach, kObject, kArray };
  Kind kind = Kind::kLiteral;
  JsonValue literal;              // kLiteral
  std::optional<InputPath> path;  // kPath, kEach (the array copied)
  std::string variable;           // kVariable
  std::vector<Field> fields;      // kObject
  std::vector<Node> items;        // kArray; kEach: items[0] builds each element
};

struct PayloadTemplate::Node::Field {
  std::string name;
  Node value;
};

namespace {

using Node = PayloadTemplate::Node;

struct Compiler {
  const std::set<std::string>& variables;
  Problems& problems;

  std::optional<Node> String(const JsonValue& value, const std::string& at, const FieldRule& scope) {
    const std::string& text = value.text();
    Node node;
    if (text.rfind("$.", 0) == 0) {
      node.kind = Node::Kind::kPath;
      node.path = InputPath::Compile(text, scope, at, problems);
      if (!node.path) return std::nullopt;
      return node;
    }
    if (!text.empty() && text[0] == '$') {
      const std::string name = text.substr(1);
      if (name != "now" && !variables.contains(name)) {
        std::string known = "$now";
        for (const auto& variable : variables) known += ", $" + variable;
        problems.Add(at, "uses " + text + ", which is not offered here (offered: " + known +
                             R"(; write {"$literal": ")" + text + R"("} for the text itself))");
        return std::nullopt;
      }
      node.kind = Node::Kind::kVariable;
      node.variable = name;
      return node;
    }
    node.literal = value;
    return node;
  }

  std::optional<Node> Each(const JsonValue& value, const std::string& at, const FieldRule& scope) {
    const JsonValue* source = value.Find("$each");
    const JsonValue* as = value.Find("as");
    if (value.fields().size() != 2 || as == nullptr || !source->is_string() || source->text().rfind("$.", 0) != 0) {
      problems.Add(at, R"(must be {"$each": "$.<array field>", "as": <template of one element>})");
      return std::nullopt;
    }
    Node node;
    node.kind = Node::Kind::kEach;
    node.path = InputPath::Compile(source->text(), scope, at + ".$each", problems);
    if (!node.path) return std::nullopt;
    if (node.path->rule().type() != FieldRule::Type::kArray) {
      problems.Add(at + ".$each", source->text() + " is not declared an array");
      return std::nullopt;
    }
    auto element = Any(*as, at + ".as", *node.path->rule().Element());
    if (!element) return std::nullopt;
    node.items.push_back(std::move(*element));
    return node;
  }

  std::optional<Node> Object(const JsonValue& value, const std::string& at, const FieldRule& scope) {
    if (value.Find("$each") != nullptr) return Each(value, at, scope);
    if (const JsonValue* literal = value.Find("$literal")) {
      if (value.fields().size() != 1) {
        problems.Add(at, "{\"$literal\": ...} takes no other keys");
        return std::nullopt;
      }
      Node node;
      node.literal = *literal;
      return node;
    }
    Node node;
    node.kind = Node::Kind::kObject;
    bool ok = true;
    for (const auto& [name, field] : value.fields()) {
      auto child = Any(field, ChildPath(at, name), scope);
      if (child) {
        node.fields.push_back({name, std::move(*child)});
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return node;
  }

  std::optional<Node> Any(const JsonValue& value, const std::string& at, const FieldRule& scope) {
    if (value.is_string()) return String(value, at, scope);
    if (value.is_object()) return Object(value, at, scope);
    if (value.is_array()) {
      Node node;
      node.kind = Node::Kind::kArray;
      bool ok = true;
      for (size_t i = 0; i < value.items().size(); ++i) {
        auto child = Any(value.items()[i], at + "[" + std::to_string(i) + "]", scope);
        if (child) {
          node.items.push_back(std::move(*child));
        } else {
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return node;
    }
    Node node;
    node.literal = value;
    return node;
  }
};

// Writes `node`'s value; false (writing nothing) when it has none: a variable without a value, or a path that the
// input lacks (which a checked input does not).
bool Render(const Node& node, JsonWriter& out, const JsonValue& scope, const TemplateVariables& variables) {
  switch (node.kind) {
    case Node::Kind::kLiteral:
      node.literal.WriteTo(out);
      return true;
    case Node::Kind::kPath: {
      const JsonValue* value = node.path->Find(scope);
      if (value == nullptr) return false;
      value->WriteTo(out);
      return true;
    }
    case Node::Kind::kVariable: {
      auto value = variables.find(node.variable);
      if (value == variables.end()) return false;
      out.String(value->second);
      return true;
    }
    case Node::Kind::kEach: {
      const JsonValue* array = node.path->Find(scope);
      out.BeginArray();
      if (array != nullptr) {
        for (const auto& element : array->items()) Render(node.items[0], out, element, variables);
      }
      out.EndArray();
      return true;
    }
    case Node::Kind::kObject:
      out.BeginObject();
      for (const auto& [name, child] : node.fields) {
        // The key is written only if its value is: a field without a value is left out.
        JsonWriter value;
        if (Render(child, value, scope, variables)) out.Key(name).Raw(value.str());
      }
      out.EndObject();
      return true;
    case Node::Kind::kArray:
      out.BeginArray();
      for (const auto& child : node.items) Render(child, out, scope, variables);
      out.EndArray();
      return true;
  }
  return false;
}

}  // namespace

std::optional<PayloadTemplate> PayloadTemplate::Compile(const JsonValue& node, const std::string& path,
                                                        const FieldRule& input, const std::set<std::string>& variables,
                                                        const std::set<std::string>& reserved, Problems& problems) {
  if (!node.is_object() || node.Find("$each") != nullptr || node.Find("$literal") != nullptr) {
    problems.Add(path, "must be an object: the message's fields");
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& [name, value] : node.fields()) {
    if (reserved.contains(name)) {
      problems.Add(ChildPath(path, name), "is written by the engine; a template may not set it");
      ok = false;
    }
  }
  Compiler compiler{variables, problems};
  auto root = compiler.Object(node, path, input);
  if (!ok || !root) return std::nullopt;
  PayloadTemplate compiled;
  compiled.root_ = std::make_shared<const Node>(std::move(*root));
  return compiled;
}

void PayloadTemplate::AppendFields(JsonWriter& out, const JsonValue& input, const TemplateVariables& variables) const {
  for (const auto& [name, child] : root_->fields) {
    JsonWriter value;
    if (Render(child, value, input, variables)) out.Key(name).Raw(value.str());
  }
}

}  // namespace sagaflow::definitions
