// Unit tests of IdleConnections, with fake connections.
#include "http/idle_connections.h"

#include <gtest/gtest.h>

namespace sagaflow::http {
namespace {

struct FakeConnection : Evictable {
  void Evict() override { ++evictions; }
  int evictions = 0;
};

TEST(IdleConnectionsTest, TakesTheLongestIdleFirst) {
  IdleConnections idle;
  auto first = std::make_shared<FakeConnection>();
  auto second = std::make_shared<FakeConnection>();
  idle.Add(first);
  idle.Add(second);
  EXPECT_EQ(idle.TakeOldest(), first);
  EXPECT_EQ(idle.TakeOldest(), second);
  EXPECT_EQ(idle.TakeOldest(), nullptr);
}

TEST(IdleConnectionsTest, RemovedConnectionsAreNotTaken) {
  IdleConnections idle;
  auto busy = std::make_shared<FakeConnection>();
  auto waiting = std::make_shared<FakeConnection>();
  const auto token = idle.Add(busy);
  idle.Add(waiting);
  idle.Remove(token);
  EXPECT_EQ(idle.TakeOldest(), waiting);
  idle.Remove(token);  // twice, or after being taken: harmless
}

TEST(IdleConnectionsTest, SkipsConnectionsThatDied) {
  IdleConnections idle;
  auto dead = std::make_shared<FakeConnection>();
  auto alive = std::make_shared<FakeConnection>();
  idle.Add(dead);
  idle.Add(alive);
  dead.reset();
  EXPECT_EQ(idle.TakeOldest(), alive);
  EXPECT_EQ(idle.TakeOldest(), nullptr);
}

}  // namespace
}  // namespace sagaflow::http
