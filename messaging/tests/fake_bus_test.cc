#include "messaging/testing/fake_bus.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sagaflow::messaging {
namespace {

std::vector<OutgoingMessage> Messages(int n, const std::string& topic = "t") {
  std::vector<OutgoingMessage> out;
  for (int i = 0; i < n; ++i) out.push_back({topic, std::to_string(i)});
  return out;
}

std::vector<std::string> Payloads(const std::vector<OutgoingMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& message : messages) out.push_back(message.payload);
  return out;
}

TEST(FakeBus, PublishesNothingWhileDisconnected) {
  FakeBus bus;
  EXPECT_FALSE(bus.IsConnected());
  EXPECT_EQ(bus.PublishBatch(Messages(3), Millis(10)), 0U);
  EXPECT_TRUE(bus.published().empty());
  ASSERT_TRUE(bus.Start().ok());
  EXPECT_TRUE(bus.IsConnected());
  EXPECT_EQ(bus.PublishBatch(Messages(3), Millis(10)), 3U);
  EXPECT_EQ(Payloads(bus.published()), (std::vector<std::string>{"0", "1", "2"}));
  bus.Stop();
  EXPECT_FALSE(bus.IsConnected());
}

TEST(FakeBus, FailPublishAfterAcknowledgesAPrefixOnce) {
  FakeBus bus;
  ASSERT_TRUE(bus.Start().ok());
  bus.FailPublishAfter(2);
  EXPECT_EQ(bus.PublishBatch(Messages(5), Millis(10)), 2U);
  EXPECT_EQ(bus.PublishBatch(Messages(5), Millis(10)), 5U);  // the fault was used up
  EXPECT_EQ(bus.published().size(), 7U);
  bus.FailPublishAfter(0);
  EXPECT_EQ(bus.PublishBatch(Messages(1), Millis(10)), 0U);
}

TEST(FakeBus, ConnectedCallbackRunsOnEachNewConnection) {
  FakeBus bus;
  int connects = 0;
  bus.SetConnectedCallback([&] { ++connects; });
  ASSERT_TRUE(bus.Start().ok());
  bus.SetConnected(true);  // already connected: not a new connection
  EXPECT_EQ(connects, 1);
  bus.SetConnected(false);
  bus.SetConnected(true);
  EXPECT_EQ(connects, 2);
}

TEST(FakeBus, DeliversPublishedAndInjectedMessagesOnSubscribedTopicsOnly) {
  FakeBus bus;
  std::vector<std::string> received;
  bus.SetHandler({"a"}, [&](const IncomingMessage& m) { received.push_back(m.topic + ":" + m.payload); });
  ASSERT_TRUE(bus.Start().ok());
  bus.PublishBatch(Messages(2, "a"), Millis(10));
  bus.PublishBatch(Messages(1, "b"), Millis(10));
  bus.Inject({"a", "injected", false});
  EXPECT_EQ(bus.Deliver(), 3U);
  EXPECT_EQ(received, (std::vector<std::string>{"a:0", "a:1", "a:injected"}));
  EXPECT_EQ(bus.Deliver(), 0U);  // the queue was drained
}

TEST(FakeBus, DuplicatesAreMarkedRedelivered) {
  FakeBus bus;
  int originals = 0;
  int redeliveries = 0;
  bus.SetHandler({"a"}, [&](const IncomingMessage& m) { ++(m.redelivered ? redeliveries : originals); });
  for (int i = 0; i < 10; ++i) bus.Inject({"a", std::to_string(i), false});
  EXPECT_EQ(bus.Deliver({.duplicate = 1.0}), 20U);
  EXPECT_EQ(originals, 10);
  EXPECT_EQ(redeliveries, 10);
}

TEST(FakeBus, DropLosesMessages) {
  FakeBus bus;
  int received = 0;
  bus.SetHandler({"a"}, [&](const IncomingMessage&) { ++received; });
  for (int i = 0; i < 10; ++i) bus.Inject({"a", std::to_string(i), false});
  EXPECT_EQ(bus.Deliver({.drop = 1.0}), 0U);
  EXPECT_EQ(received, 0);
}

TEST(FakeBus, ReorderIsDeterministicForASeed) {
  const auto run = [](uint64_t seed) {
    FakeBus bus(seed);
    std::vector<std::string> order;
    bus.SetHandler({"a"}, [&](const IncomingMessage& m) { order.push_back(m.payload); });
    for (int i = 0; i < 50; ++i) bus.Inject({"a", std::to_string(i), false});
    bus.Deliver({.reorder = true});
    return order;
  };
  const auto first = run(11);
  EXPECT_EQ(first, run(11));
  EXPECT_EQ(first.size(), 50U);
  std::vector<std::string> in_order;
  for (int i = 0; i < 50; ++i) in_order.push_back(std::to_string(i));
  EXPECT_NE(first, in_order);
  EXPECT_TRUE(std::is_permutation(first.begin(), first.end(), in_order.begin()));
}

}  // namespace
}  // namespace sagaflow::messaging
