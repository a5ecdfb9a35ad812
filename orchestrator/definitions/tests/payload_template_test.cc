// PayloadTemplate: paths copy the input as written, $each maps arrays, variables fill in or leave their field out,
// literals stay, and a template that refers to what the input does not declare is refused where it says so.
#include "orchestrator/definitions/payload_template.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sagaflow::definitions {
namespace {

using ::testing::HasSubstr;

JsonValue Json(const std::string& text) {
  return JsonValue::Parse(text).value();
}

const FieldRule& Schema() {
  static const FieldRule rule = [] {
    Problems problems;
    auto schema = InputSchema::Compile(Json(R"({
      "amount": {"type": "money"},
      "who": {"type": "object", "fields": {"name": {"type": "string"}}},
      "lines": {"type": "array", "items": {"type": "object", "fields": {"sku": {"type": "string"},
                                                                          "n": {"type": "integer"}}}}})"),
                                       "$.input", problems);
    EXPECT_TRUE(problems.empty()) << problems.Describe("schema");
    return schema->root();
  }();
  return rule;
}

std::string Render(const std::string& template_text, const std::string& input, const TemplateVariables& variables) {
  Problems problems;
  auto compiled =
      PayloadTemplate::Compile(Json(template_text), "$.payload", Schema(), {"reason"}, {"messageId"}, problems);
  EXPECT_TRUE(compiled.has_value()) << problems.Describe("template");
  if (!compiled) return "<not compiled>";
  JsonWriter out;
  out.BeginObject();
  compiled->AppendFields(out, Json(input), variables);
  out.EndObject();
  return out.Take();
}

std::string Problem(const std::string& template_text) {
  Problems problems;
  auto compiled =
      PayloadTemplate::Compile(Json(template_text), "$.payload", Schema(), {"reason"}, {"messageId"}, problems);
  EXPECT_FALSE(compiled.has_value()) << template_text;
  return problems.Describe("f.json");
}

const std::string kInput =
    R"({"amount": 5.00, "who": {"name": "Zo\u00eb"}, "lines": [{"sku": "a", "n": 2, "x": 1}, {"sku": "b", "n": 1e2}]})";

TEST(PayloadTemplate, PathsCopyTheInputAsWrittenAndReachIntoObjects) {
  EXPECT_EQ(Render(R"({"a": "$.amount", "n": "$.who.name", "w": "$.who", "l": "$.lines"})", kInput, {}),
            "{\"a\":5.00,\"n\":\"Zo\xc3\xab\",\"w\":{\"name\":\"Zo\xc3\xab\"},"
            R"("l":[{"sku":"a","n":2,"x":1},{"sku":"b","n":1e2}]})");
}

TEST(PayloadTemplate, EachMapsAnArrayElementByElement) {
  EXPECT_EQ(Render(R"({"items": {"$each": "$.lines", "as": {"id": "$.sku", "q": "$.n", "k": "c"}}})", kInput, {}),
            R"({"items":[{"id":"a","q":2,"k":"c"},{"id":"b","q":1e2,"k":"c"}]})");
}

TEST(PayloadTemplate, VariablesFillInOrLeaveTheirFieldOut) {
  EXPECT_EQ(Render(R"({"why": "$reason", "at": "$now"})", kInput, {{"now", "T"}, {"reason", "timeout"}}),
            R"({"why":"timeout","at":"T"})");
  EXPECT_EQ(Render(R"({"why": "$reason", "at": "$now"})", kInput, {{"now", "T"}}), R"({"at":"T"})");
}

TEST(PayloadTemplate, LiteralsStayAsWritten) {
  EXPECT_EQ(
      Render(R"({"n": 1.10, "s": "text", "d": {"$literal": "$.amount"}, "l": [1, "$.amount"], "z": null})", kInput, {}),
      R"({"n":1.10,"s":"text","d":"$.amount","l":[1,5.00],"z":null})");
}

TEST(PayloadTemplate, WhatTheInputDoesNotDeclareIsRefusedWhereItIsWritten) {
  EXPECT_THAT(Problem(R"({"a": "$.amonut"})"),
              HasSubstr("f.json: $.payload.a: refers to $.amonut, which the input does not declare"));
  EXPECT_THAT(Problem(R"({"a": "$.who.age"})"), HasSubstr("$.payload.a: refers to $.who.age"));
  EXPECT_THAT(Problem(R"({"l": {"$each": "$.lines", "as": {"q": "$.qty"}}})"), HasSubstr("$.payload.l.as.q"));
  EXPECT_THAT(Problem(R"({"l": {"$each": "$.amount", "as": {}}})"), HasSubstr("is not declared an array"));
  EXPECT_THAT(Problem(R"({"l": {"$each": "$.lines"}})"), HasSubstr("must be {\"$each\""));
}

TEST(PayloadTemplate, UnofferedVariablesAndEngineFieldsAreRefused) {
  EXPECT_THAT(Problem(R"({"e": "$event"})"),
              HasSubstr("uses $event, which is not offered here (offered: $now, $reason"));
  EXPECT_THAT(Problem(R"({"messageId": "x"})"), HasSubstr("$.payload.messageId: is written by the engine"));
  EXPECT_THAT(Problem(R"(["$.amount"])"), HasSubstr("$.payload: must be an object"));
}

}  // namespace
}  // namespace sagaflow::definitions
