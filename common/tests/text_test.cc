#include "common/text.h"

#include <gtest/gtest.h>

namespace sagaflow {
namespace {

using namespace std::string_literals;

TEST(TextTest, PrintableTextHasNoControlCharactersInAnyScript) {
  EXPECT_FALSE(HasControlCharacters("C123"));
  EXPECT_FALSE(HasControlCharacters("Zoë Ångström 東京 🚀"));
  EXPECT_FALSE(HasControlCharacters(""));
}

TEST(TextTest, C0C1DelAndInvalidUtf8CountAsControl) {
  EXPECT_TRUE(HasControlCharacters("C1\n2026-01-01 [critical] fake line"));
  EXPECT_TRUE(HasControlCharacters("\x1b[31mred"));
  EXPECT_TRUE(HasControlCharacters("a\0b"s));
  EXPECT_TRUE(HasControlCharacters("del\x7f"));
  EXPECT_TRUE(HasControlCharacters("csi\xc2\x9b"));  // U+009B, the 8-bit CSI
  EXPECT_TRUE(HasControlCharacters("\xff"));
  EXPECT_TRUE(HasControlCharacters("\xc0\xaf"));  // overlong '/'
}

TEST(TextTest, EscapingLeavesOneLineThatCannotStartAnEscape) {
  EXPECT_EQ(EscapeForTerminal("ok 東京"), "ok 東京");
  EXPECT_EQ(EscapeForTerminal("a\nb"), "a\\x0ab");
  EXPECT_EQ(EscapeForTerminal("\x1b[2J"), "\\x1b[2J");
  EXPECT_EQ(EscapeForTerminal("nul\0!"s), "nul\\x00!");
  EXPECT_EQ(EscapeForTerminal("\xc2\x9b"), "\\xc2\\x9b");
  EXPECT_EQ(EscapeForTerminal("bad\xff"), "bad\\xff");
  // A literal backslash is doubled, so "\\x1b" in the input cannot pass for an escaped ESC.
  EXPECT_EQ(EscapeForTerminal("\\x1b"), "\\\\x1b");
  EXPECT_FALSE(HasControlCharacters(EscapeForTerminal("\x01\x02\n\r\t\x7f\xc2\x80")));
}

}  // namespace
}  // namespace sagaflow
