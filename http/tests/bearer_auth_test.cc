// Unit tests of BearerAuth and ConstantTimeEquals, without a socket.
#include "http/bearer_auth.h"

#include <gtest/gtest.h>

namespace sagaflow::http {
namespace {

HttpRequest RequestTo(const std::string& path, const std::string& authorization = "") {
  HttpRequest request;
  request.method = "GET";
  request.path = path;
  if (!authorization.empty()) request.headers["authorization"] = authorization;
  return request;
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secreT", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secre", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secrets", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("", "secret"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals(std::string("secret\0", 7), "secret"));
}

TEST(BearerAuthTest, WithoutKeysEverythingIsAllowed) {
  const BearerAuth auth({}, {});
  EXPECT_FALSE(auth.enabled());
  EXPECT_TRUE(auth.Allows(RequestTo("/orders")));
}

TEST(BearerAuthTest, AcceptsAnyConfiguredKey) {
  const BearerAuth auth({"key-one", "key-two"}, {});
  EXPECT_TRUE(auth.Allows(RequestTo("/orders", "Bearer key-one")));
  EXPECT_TRUE(auth.Allows(RequestTo("/orders", "Bearer key-two")));
  EXPECT_TRUE(auth.Allows(RequestTo("/orders", "bearer key-two"))) << "the scheme is case-insensitive";
}

TEST(BearerAuthTest, RefusesMissingWrongOrOtherSchemes) {
  const BearerAuth auth({"key-one"}, {});
  for (const char* bad : {"", "Bearer", "Bearer ", "Bearer key-on", "Bearer key-one ", "Basic a2V5LW9uZQ==", "key-one",
                          "Bearer  key-one"}) {
    EXPECT_FALSE(auth.Allows(RequestTo("/orders", bad))) << "'" << bad << "'";
  }
}

TEST(BearerAuthTest, ExemptPathsNeedNoKeyButOnlyExactly) {
  const BearerAuth auth({"key-one"}, {"/health"});
  EXPECT_TRUE(auth.Allows(RequestTo("/health")));
  EXPECT_FALSE(auth.Allows(RequestTo("/health/../orders")));
  EXPECT_FALSE(auth.Allows(RequestTo("/healthz")));
}

}  // namespace
}  // namespace sagaflow::http
