// Unit tests of HostCheck and HostName: the DNS-rebinding defence, without a socket.
#include "http/host_check.h"

#include <gtest/gtest.h>

namespace sagaflow::http {
namespace {

TEST(HostNameTest, DropsThePortAndLowerCases) {
  EXPECT_EQ(HostName("Example.COM:5000"), "example.com");
  EXPECT_EQ(HostName("localhost"), "localhost");
  EXPECT_EQ(HostName("[::1]:5000"), "[::1]");
  EXPECT_EQ(HostName("[::1]"), "[::1]");
}

TEST(HostNameTest, RefusesMalformedValues) {
  for (const char* bad : {"", ":5000", "a b", "host:port", "host:123456", "[::1", "[::1]x", "[zz]", "a/b", "a@b"}) {
    EXPECT_FALSE(HostName(bad)) << bad;
  }
}

TEST(HostCheckTest, AllowsConfiguredNamesOnAnyPort) {
  const HostCheck check({"orders.example"}, false);
  EXPECT_TRUE(check.Allows("orders.example"));
  EXPECT_TRUE(check.Allows("ORDERS.example:8443"));
  EXPECT_FALSE(check.Allows("evil.example"));
  EXPECT_FALSE(check.Allows("orders.example.evil.example"));
  EXPECT_FALSE(check.Allows("localhost")) << "loopback names only for loopback binds";
  EXPECT_FALSE(check.Allows(""));
}

TEST(HostCheckTest, LoopbackBindsAllowTheLoopbackNames) {
  const HostCheck check({}, true);
  for (const char* host : {"localhost", "localhost:5000", "127.0.0.1", "127.0.0.1:5000", "[::1]", "[::1]:5000"}) {
    EXPECT_TRUE(check.Allows(host)) << host;
  }
  EXPECT_FALSE(check.Allows("rebound.attacker.example:5000"));
}

TEST(IsLoopbackAddressTest, KnowsLoopbackFromOtherAddresses) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackAddress("::1"));
  EXPECT_TRUE(IsLoopbackAddress("localhost"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("::"));
}

}  // namespace
}  // namespace sagaflow::http
