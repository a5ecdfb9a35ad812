// Unit tests of the plain HTTP values: header lookup and the JSON bodies of JsonError and JsonOk.
#include "http/http_types.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <string_view>

namespace sagaflow::http {
namespace {

// The "error" member of a JsonError body, failing the test if the body is not such JSON.
std::string ErrorOf(const HttpResponse& response) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  std::string_view message;
  if (parser.parse(response.body).get_object().get(object) || object["error"].get_string().get(message)) {
    ADD_FAILURE() << "not {\"error\": string}: " << response.body;
    return "";
  }
  EXPECT_EQ(object.size(), 1u) << response.body;
  return std::string(message);
}

TEST(HttpRequestTest, HeaderFindsPresentHeadersByLowerCaseName) {
  HttpRequest request;
  request.headers = {{"content-type", "application/json"}, {"idempotency-key", ""}};
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("idempotency-key"), "") << "present but empty is not absent";
  EXPECT_EQ(request.Header("location"), std::nullopt);
}

TEST(JsonErrorTest, CarriesTheStatusAndAJsonBodyWithTheMessage) {
  const auto response = JsonError(404, "order 'x' not found");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_TRUE(response.headers.empty());
  EXPECT_EQ(response.body, R"({"error":"order 'x' not found"})");
}

TEST(JsonErrorTest, EscapesQuotesBackslashesAndControlCharacters) {
  const std::string message = "bad \"customerId\" \\ path\nline\ttab\x01\x1f end";
  const auto response = JsonError(400, message);
  EXPECT_EQ(response.body, R"({"error":"bad \"customerId\" \\ path\nline\ttab\u0001\u001f end"})");
  EXPECT_EQ(ErrorOf(response), message);
}

TEST(JsonErrorTest, KeepsUnicodeAndReplacesInvalidUtf8SoTheBodyIsAlwaysValidJson) {
  EXPECT_EQ(ErrorOf(JsonError(400, "caf\xC3\xA9 \xE2\x82\xAC")), "caf\xC3\xA9 \xE2\x82\xAC");
  // An echoed header value may hold any bytes; the body must still parse.
  EXPECT_EQ(ErrorOf(JsonError(400,
                              "key 'a\xFF"
                              "b' is bad")),
            "key 'a\xEF\xBF\xBD"
            "b' is bad");
}

TEST(JsonOkTest, CarriesTheStatusAndTheBodyUnchanged) {
  const auto response = JsonOk(202, R"({"orderId":"x"})");
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"orderId":"x"})");
  EXPECT_TRUE(response.headers.empty());
}

}  // namespace
}  // namespace sagaflow::http
