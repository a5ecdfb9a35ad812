// FieldReader: the first problem wins and names its field by its whole path; optional fields may be absent but not
// of the wrong type.
#include "wire/field_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/json.h"

namespace sagaflow::wire {
namespace {

struct Line {
  std::string product;
  int64_t quantity = 0;
};

// Reads {"name", "count", "items": [{"p", "q"}], "note"?} and returns what went wrong, or "" if nothing did.
std::string ProblemOf(const std::string& json) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, json);
  if (!root.ok()) return "test JSON: " + root.status().message();
  FieldReader read(root->get_object().value());
  read.String("name");
  read.Int("count");
  read.Objects<Line>("items", [](FieldReader& item) { return Line{item.String("p"), item.Int("q")}; });
  read.OptionalString("note");
  auto done = read.Finish(0);
  return done.ok() ? "" : done.status().message();
}

TEST(FieldReaderTest, AMessageWithEveryFieldRightHasNoProblem) {
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":1,"items":[{"p":"a","q":2}],"note":"x"})"), "");
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":1,"items":[]})"), "") << "the optional note may be absent";
}

TEST(FieldReaderTest, TheFirstProblemIsTheOneReported) {
  EXPECT_EQ(ProblemOf(R"({"count":"x"})"), "name is missing");
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":"x"})"), "count must be an integer");
  EXPECT_EQ(ProblemOf(R"({"name":7,"count":1,"items":[]})"), "name must be a string");
}

TEST(FieldReaderTest, AnElementsProblemNamesItsPlaceInTheArray) {
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":1})"), "items is missing");
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":1,"items":{}})"), "items must be an array");
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":1,"items":[{"p":"a","q":1},5]})"), "items[1] must be an object");
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":1,"items":[{"p":"a","q":1},{"p":"b"}]})"), "items[1].q is missing");
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":1,"items":[{"p":3,"q":1}],"note":5})"), "items[0].p must be a string");
}

TEST(FieldReaderTest, AnOptionalFieldOfTheWrongTypeIsAProblem) {
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":1,"items":[],"note":5})"), "note must be a string");
  EXPECT_EQ(ProblemOf(R"({"name":"n","count":1,"items":[],"note":null})"), "note must be a string");
}

TEST(FieldReaderTest, MoneyIsReadAsCentsAndRefusedWithMoreThanTwoDecimals) {
  const std::string json = R"({"a":29.99,"b":0,"c":29.999})";
  simdjson::dom::parser parser;
  FieldReader read(parser.parse(json).get_object().value());
  EXPECT_EQ(read.Money("a"), 2999);
  EXPECT_EQ(read.OptionalMoney("b"), 0);
  EXPECT_EQ(read.OptionalMoney("absent"), std::nullopt);
  read.Money("c");
  auto done = read.Finish(0);
  ASSERT_FALSE(done.ok());
  EXPECT_TRUE(done.status().IsInvalidArgument());
  EXPECT_EQ(done.status().message(), "c has more than 2 decimals");
}

}  // namespace
}  // namespace sagaflow::wire
