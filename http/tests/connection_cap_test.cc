// Unit tests of the connection cap derived from the descriptor limit.
#include "http/connection_cap.h"

#include <gtest/gtest.h>

namespace sagaflow::http {
namespace {

TEST(ConnectionCapTest, KeepsTheConfiguredCapWhenDescriptorsSuffice) {
  EXPECT_EQ(ConnectionCap(512, 1024), 512);
  EXPECT_EQ(ConnectionCap(512, 1'000'000), 512);
}

TEST(ConnectionCapTest, LeavesReservedDescriptorsForTheRestOfTheProcess) {
  EXPECT_EQ(ConnectionCap(512, 256), 256 - static_cast<int>(kReservedDescriptors));
  EXPECT_EQ(ConnectionCap(2000, 1024), 1024 - static_cast<int>(kReservedDescriptors));
}

TEST(ConnectionCapTest, TinyLimitsStillServeSomeone) {
  EXPECT_EQ(ConnectionCap(512, 100), 50);
  EXPECT_EQ(ConnectionCap(512, 1), 1);
  EXPECT_EQ(ConnectionCap(0, 1024), 1);
}

}  // namespace
}  // namespace sagaflow::http
