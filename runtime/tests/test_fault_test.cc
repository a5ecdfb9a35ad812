#include "runtime/test_fault.h"

#include <gtest/gtest.h>

namespace sagaflow::runtime {
namespace {

TEST(TestFaultTest, UnsetOrEmptyIsNoFault) {
  EXPECT_EQ(*ParseTestFault(nullptr), TestFault::kNone);
  EXPECT_EQ(*ParseTestFault(""), TestFault::kNone);
}

TEST(TestFaultTest, PublishBeforeFsyncIsRecognisedByItsName) {
  auto fault = ParseTestFault("publish-before-fsync");
  ASSERT_TRUE(fault.ok()) << fault.status().ToString();
  EXPECT_EQ(*fault, TestFault::kPublishBeforeFsync);
  EXPECT_EQ(ToString(*fault), "publish-before-fsync");
}

TEST(TestFaultTest, AnyOtherValueIsRefusedNamingTheVariable) {
  for (const char* typo : {"publish-before-sync", "1", "PUBLISH-BEFORE-FSYNC", " publish-before-fsync", "none"}) {
    auto fault = ParseTestFault(typo);
    ASSERT_FALSE(fault.ok()) << typo;
    EXPECT_TRUE(fault.status().IsInvalidArgument()) << typo;
    EXPECT_NE(fault.status().message().find("SAGAFLOW_TEST_FAULT"), std::string::npos) << fault.status().message();
    EXPECT_NE(fault.status().message().find(typo), std::string::npos) << fault.status().message();
  }
}

}  // namespace
}  // namespace sagaflow::runtime
