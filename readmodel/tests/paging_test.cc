// readmodel/paging.h: the cursor codec and the page size's bounds.
#include "readmodel/paging.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "readmodel/saga_records.h"

namespace sagaflow::readmodel {
namespace {

using ::testing::ElementsAre;

TEST(PagingTest, ACursorCarriesAnyBytesAndDecodesToTheSameParts) {
  const std::string hostile = std::string("a'\"\x1b\n.%&=\0z", 11);
  const std::string cursor = EncodeCursor({"2020-01-01T00:00:00.000Z", hostile});
  EXPECT_EQ(cursor.find_first_not_of("0123456789abcdef."), std::string::npos) << "safe in a URL's query: " << cursor;
  auto parts = DecodeCursor(cursor, 2);
  ASSERT_TRUE(parts.has_value());
  EXPECT_THAT(*parts, ElementsAre("2020-01-01T00:00:00.000Z", hostile));
  EXPECT_THAT(DecodeCursor(EncodeCursor({"", ""}), 2).value_or(std::vector<std::string>{"x"}), ElementsAre("", ""));
}

TEST(PagingTest, AnythingElseIsNotACursor) {
  EXPECT_FALSE(DecodeCursor("616", 1));       // odd length
  EXPECT_FALSE(DecodeCursor("6g", 1));        // not hex
  EXPECT_FALSE(DecodeCursor("6A", 1));        // not the lowercase it writes
  EXPECT_FALSE(DecodeCursor("61", 2));        // too few parts
  EXPECT_FALSE(DecodeCursor("61.62.63", 2));  // too many
  EXPECT_FALSE(DecodeCursor("61 .62", 2));    // stray characters
  EXPECT_TRUE(DecodeCursor("61.62", 2));
}

TEST(PagingTest, APageHoldsOneToTheMaximumRows) {
  EXPECT_TRUE(CheckPageSize(0).IsInvalidArgument());
  EXPECT_TRUE(CheckPageSize(kMaxPageSize + 1).IsInvalidArgument());
  EXPECT_TRUE(CheckPageSize(1).ok());
  EXPECT_TRUE(CheckPageSize(kMaxPageSize).ok());
}

}  // namespace
}  // namespace sagaflow::readmodel
