#include "common/status.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

TEST(Status, DefaultIsOk) {
  const Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.ToString(), "OK");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Status, EachConstructorMatchesOnlyItsPredicate) {
  const Status s = Status::NotFound("order o-1");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_FALSE(s.IsInvalidArgument());
  EXPECT_FALSE(s.IsIoError());
  EXPECT_EQ(s.message(), "order o-1");
  EXPECT_TRUE(Status::InvalidArgument("").IsInvalidArgument());
  EXPECT_TRUE(Status::Conflict("").IsConflict());
  EXPECT_TRUE(Status::Unavailable("").IsUnavailable());
  EXPECT_TRUE(Status::IoError("").IsIoError());
  EXPECT_TRUE(Status::Corruption("").IsCorruption());
  EXPECT_TRUE(Status::FailedPrecondition("").IsFailedPrecondition());
  EXPECT_FALSE(Status::FailedPrecondition("").IsCorruption());
}

TEST(Status, ToStringNamesTheCode) {
  EXPECT_EQ(Status::IoError("disk full").ToString(), "IO error: disk full");
  EXPECT_EQ(Status::InvalidArgument("bad").ToString(), "Invalid argument: bad");
  EXPECT_EQ(Status::FailedPrecondition("newer").ToString(), "Failed precondition: newer");
}

TEST(Result, HoldsAValueOrAStatus) {
  Result<std::string> value = std::string("x");
  ASSERT_TRUE(value.ok());
  EXPECT_TRUE(value.status().ok());
  EXPECT_EQ(*value, "x");
  EXPECT_EQ(value->size(), 1U);

  Result<std::string> error = Status::NotFound("gone");
  ASSERT_FALSE(error.ok());
  EXPECT_TRUE(error.status().IsNotFound());
  EXPECT_EQ(error.status().message(), "gone");
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(7);
  std::unique_ptr<int> owned = std::move(result).value();
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 7);
}

}  // namespace
}  // namespace sagaflow
