#include "common/percent_encoding.h"

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

TEST(PercentEncodingTest, EncodeLeavesOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("Az09-._~"), "Az09-._~");
  EXPECT_EQ(PercentEncode(R"(o/"2" &x=1+é)"), "o%2F%222%22%20%26x%3D1%2B%C3%A9");
  EXPECT_EQ(PercentEncode(std::string("a\0b", 3)), "a%00b");
}

TEST(PercentEncodingTest, DecodeUndoesEncodeForAnyBytes) {
  std::string every_byte;
  for (int c = 0; c < 256; ++c) every_byte += static_cast<char>(c);
  EXPECT_EQ(PercentDecode(PercentEncode(every_byte)), every_byte);
}

TEST(PercentEncodingTest, DecodeReadsPlusAsSpaceAndKeepsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("a+b%20c"), "a b c");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("%41%6a"), "Aj");
}

}  // namespace
}  // namespace sagaflow
