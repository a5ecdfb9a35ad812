#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "storage/lossy_vfs/stats_reader.h"
#include "storage/lossy_vfs/stats_writer.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::storage::lossy_vfs {
namespace {

class StatsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }
  scratch::TempDir dir_{"sagaflow-lossy-stats-test"};
};

TEST_F(StatsTest, TheReaderSeesWhatTheWriterAdded) {
  const std::string path = StatsPath(dir_.path().string(), getpid());
  auto writer = StatsWriter::Open(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  (*writer)->Add(&Stats::unsynced_bytes, 4096);
  (*writer)->Add(&Stats::unsynced_writes, 2);
  (*writer)->Add(&Stats::unsynced_bytes, -96);
  (*writer)->Add(&Stats::syncs, 1);

  auto stats = ReadStats(path);  // while the writer lives: nothing is written at close
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->pid, getpid());
  EXPECT_EQ(stats->unsynced_bytes, 4000);
  EXPECT_EQ(stats->unsynced_writes, 2);
  EXPECT_EQ(stats->syncs, 1);
  EXPECT_EQ(stats->synced_bytes, 0);
  EXPECT_EQ((*writer)->Now().unsynced_bytes, 4000);
}

TEST_F(StatsTest, WithoutAPathTheCountersStayInMemory) {
  auto writer = StatsWriter::Open("");
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  (*writer)->Add(&Stats::synced_bytes, 7);
  EXPECT_EQ((*writer)->Now().synced_bytes, 7);
  EXPECT_EQ((*writer)->Now().pid, getpid());
}

TEST_F(StatsTest, AMissingFileIsNotFoundAndAForeignOneIsCorruption) {
  EXPECT_TRUE(ReadStats((dir_ / "absent.lossy").string()).status().IsNotFound());
  const std::string foreign = (dir_ / "foreign.lossy").string();
  std::ofstream(foreign) << "definitely not a stats record, though long enough to be one...........";
  EXPECT_TRUE(ReadStats(foreign).status().IsCorruption());
}

TEST_F(StatsTest, AWriterInAMissingDirectoryIsAnIoError) {
  EXPECT_TRUE(StatsWriter::Open((dir_ / "no-such-dir" / "x.lossy").string()).status().IsIoError());
}

}  // namespace
}  // namespace sagaflow::storage::lossy_vfs
