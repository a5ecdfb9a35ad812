#include <gtest/gtest.h>

#include "http/client/http_client.h"

namespace sagaflow::http {
namespace {

TEST(ResponseHeadTest, ReadsTheStatusAndLowerCasesHeaderNames) {
  const ResponseHead head =
      ParseResponseHead("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nContent-Length:  17");
  EXPECT_EQ(head.status, 413);
  EXPECT_EQ(head.headers.at("content-type"), "application/json");
  EXPECT_EQ(head.headers.at("content-length"), "17");
}

TEST(ResponseHeadTest, AHeadWithoutAStatusLineHasStatusZero) {
  EXPECT_EQ(ParseResponseHead("garbage").status, 0);
  EXPECT_TRUE(ParseResponseHead("garbage").headers.empty());
}

}  // namespace
}  // namespace sagaflow::http
