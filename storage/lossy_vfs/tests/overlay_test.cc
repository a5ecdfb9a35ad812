#include "storage/lossy_vfs/overlay.h"

#include <string>

#include <gtest/gtest.h>

namespace sagaflow::storage::lossy_vfs {
namespace {

void Write(Overlay& overlay, int64_t offset, const std::string& text) {
  overlay.Write(offset, text.data(), static_cast<int64_t>(text.size()));
}

// The bytes [offset, offset + size) as a reader sees them over a real file of dots.
std::string Read(const Overlay& overlay, int64_t offset, int64_t size) {
  std::string buffer(static_cast<size_t>(size), '.');
  overlay.ReadOver(offset, buffer.data(), size);
  return buffer;
}

TEST(OverlayTest, ReadsShowWrittenBytesOverTheRealFile) {
  Overlay overlay;
  Write(overlay, 2, "ab");
  Write(overlay, 6, "cd");
  EXPECT_EQ(Read(overlay, 0, 10), "..ab..cd..");
  EXPECT_EQ(Read(overlay, 3, 4), "b..c");
  EXPECT_EQ(overlay.End(), 8);
  EXPECT_EQ(overlay.bytes(), 4);
}

TEST(OverlayTest, AppendsGrowOneExtent) {
  Overlay overlay;
  for (int i = 0; i < 100; ++i) Write(overlay, i * 3, "xyz");
  EXPECT_EQ(overlay.extents().size(), 1u);
  EXPECT_EQ(overlay.bytes(), 300);
  EXPECT_EQ(overlay.End(), 300);
}

TEST(OverlayTest, ALaterWriteWinsAndOverlapsCountOnce) {
  Overlay overlay;
  Write(overlay, 0, "aaaa");
  Write(overlay, 2, "bbbb");
  EXPECT_EQ(Read(overlay, 0, 7), "aabbbb.");
  EXPECT_EQ(overlay.bytes(), 6);
  Write(overlay, 1, "c");  // inside one extent
  EXPECT_EQ(Read(overlay, 0, 7), "acbbbb.");
  EXPECT_EQ(overlay.bytes(), 6);
}

TEST(OverlayTest, AWriteAcrossExtentsMergesThemUnderTheNewBytes) {
  Overlay overlay;
  Write(overlay, 0, "aa");
  Write(overlay, 4, "bb");
  Write(overlay, 8, "cc");
  Write(overlay, 12, "dd");
  Write(overlay, 1, "XXXXXXXX");  // covers the gap after "aa", all of "bb", half of "cc"
  EXPECT_EQ(Read(overlay, 0, 15), "aXXXXXXXXc..dd.");
  EXPECT_EQ(overlay.extents().size(), 2u);
  EXPECT_EQ(overlay.bytes(), 12);
}

TEST(OverlayTest, AWriteBeforeAnExtentAbsorbsIt) {
  Overlay overlay;
  Write(overlay, 4, "bbbb");
  Write(overlay, 2, "aaa");
  EXPECT_EQ(Read(overlay, 0, 9), "..aaabbb.");
  EXPECT_EQ(overlay.extents().size(), 1u);
  EXPECT_EQ(overlay.bytes(), 6);
}

TEST(OverlayTest, TruncateDropsAndTrims) {
  Overlay overlay;
  Write(overlay, 0, "aaaa");
  Write(overlay, 6, "bbbb");
  Write(overlay, 12, "cc");
  overlay.Truncate(8);
  EXPECT_EQ(Read(overlay, 0, 14), "aaaa..bb......");
  EXPECT_EQ(overlay.End(), 8);
  EXPECT_EQ(overlay.bytes(), 6);
  overlay.Truncate(0);
  EXPECT_TRUE(overlay.empty());
  EXPECT_EQ(overlay.bytes(), 0);
  EXPECT_EQ(overlay.End(), 0);
}

TEST(OverlayTest, ClearForgetsEverything) {
  Overlay overlay;
  Write(overlay, 10, "abc");
  overlay.Clear();
  EXPECT_TRUE(overlay.empty());
  EXPECT_EQ(overlay.bytes(), 0);
  EXPECT_EQ(Read(overlay, 10, 3), "...");
}

}  // namespace
}  // namespace sagaflow::storage::lossy_vfs
