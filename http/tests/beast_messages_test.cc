#include "http/beast_messages.h"

#include <gtest/gtest.h>

namespace sagaflow::http {
namespace {

TEST(BeastMessagesTest, QueryNamesAndValuesArePercentDecoded) {
  BeastRequest request{boost::beast::http::verb::get, "/api/sagas?correlation=o%2F%222%22+x&st%61te=FAILED&flag", 11};
  request.set("X-Mixed-Case", "v");
  const HttpRequest converted = ToHttpRequest(request, false);
  EXPECT_EQ(converted.path, "/api/sagas");
  EXPECT_EQ(converted.query.at("correlation"), R"(o/"2" x)");
  EXPECT_EQ(converted.query.at("state"), "FAILED");
  EXPECT_EQ(converted.query.at("flag"), "");
  EXPECT_EQ(converted.headers.at("x-mixed-case"), "v");
}

}  // namespace
}  // namespace sagaflow::http
