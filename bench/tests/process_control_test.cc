// IsAlive and ReadProcessStats against real processes: a killed process counts as gone only once its
// last thread has exited, since until then it still holds its descriptors (a listening port among them).
#include "bench/process_control.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "bench/stats.h"
#include "common/testing/eventually.h"

namespace sagaflow::bench {
namespace {

bool IsZombie(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  const size_t end_of_name = text.rfind(')');
  return end_of_name != std::string::npos && end_of_name + 2 < text.size() && text[end_of_name + 2] == 'Z';
}

void* SleepForever(void*) {
  while (true) pause();
  return nullptr;
}

TEST(IsAlive, AZombieMainThreadWhoseOtherThreadsStillRunIsAlive) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pthread_t thread;
    if (pthread_create(&thread, nullptr, SleepForever, nullptr) != 0) _exit(1);
    syscall(SYS_exit, 0);  // ends the main thread only; the process lives on in `thread`
  }
  ASSERT_TRUE(testing::Eventually([&] { return IsZombie(child); }));
  EXPECT_TRUE(IsAlive(child));

  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_FALSE(IsAlive(child));
}

TEST(IsAlive, AZombieWithNoThreadsLeftIsGone) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  ASSERT_TRUE(testing::Eventually([&] { return IsZombie(child); }));  // not reaped yet
  EXPECT_FALSE(IsAlive(child));
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
}

TEST(IsAlive, NoSuchProcessIsGone) {
  EXPECT_FALSE(IsAlive(0));
  EXPECT_FALSE(IsAlive(-1));
}

TEST(ReadProcessStats, CountsThisProcesssIoSystemCallsAndContextSwitches) {
  const ProcessStats before = ReadProcessStats(getpid());
  ASSERT_TRUE(before.ok);
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  char byte = 'x';
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(write(pipe_ends[1], &byte, 1), 1);
    ASSERT_EQ(read(pipe_ends[0], &byte, 1), 1);
    usleep(1000);  // gives up the CPU: a voluntary context switch each time
  }
  close(pipe_ends[0]);
  close(pipe_ends[1]);
  const ProcessStats after = ReadProcessStats(getpid());
  ASSERT_TRUE(after.ok);
  EXPECT_GE(after.io_syscalls - before.io_syscalls, 20);
  EXPECT_GE(after.context_switches - before.context_switches, 10);
}

}  // namespace
}  // namespace sagaflow::bench
