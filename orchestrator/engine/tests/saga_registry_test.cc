#include "orchestrator/engine/saga_registry.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sagaflow::engine {
namespace trip {
SagaDefinition MakeTripSaga(bool car_compensates);  // trip_saga.cc
SagaDefinition Renamed(SagaDefinition saga, const std::string& name);
}  // namespace trip
namespace {

using trip::MakeTripSaga;
using trip::Renamed;

SagaDefinition Version(int version) {
  SagaDefinition saga = MakeTripSaga(true);
  saga.version = version;
  return saga;
}

std::vector<std::string> RoutedTopics(const SagaRegistry& registry) {
  std::vector<std::string> topics;
  for (const auto& [topic, route] : registry.Routes()) topics.push_back(topic + ">" + route.name);
  return topics;
}

TEST(SagaRegistryTest, RoutesEveryConsumedTopicToItsDefinition) {
  SagaRegistry registry;
  ASSERT_TRUE(registry.Add(MakeTripSaga(true), true).ok());
  ASSERT_TRUE(registry.Add(Renamed(MakeTripSaga(true), "parcel"), true).ok());
  const auto& routes = registry.Routes();
  ASSERT_TRUE(routes.contains("trip/requested"));
  EXPECT_TRUE(routes.at("trip/requested").start);
  EXPECT_EQ(routes.at("trip/requested").correlation_field, "tripId");
  ASSERT_TRUE(routes.contains("parcel/car/cancelled"));
  EXPECT_EQ(routes.at("parcel/car/cancelled").name, "parcel");
  EXPECT_FALSE(routes.at("parcel/car/cancelled").start);
  EXPECT_EQ(routes.at("parcel/car/cancelled").correlation_field, "parcelId");
  EXPECT_EQ(registry.Routes().size(), 2 * MakeTripSaga(true).ConsumedTopics().size());
  EXPECT_EQ(registry.Current("parcel")->definition.name, "parcel");
  EXPECT_EQ(registry.Find("trip", 1)->engine.definition().start_topic, "trip/requested");
  EXPECT_EQ(registry.Find("trip", 2), nullptr);
  EXPECT_EQ(registry.Current("nothing"), nullptr);
}

TEST(SagaRegistryTest, TwoDefinitionsConsumingOneTopicAreRefusedAndTheFirstIsKept) {
  SagaRegistry registry;
  ASSERT_TRUE(registry.Add(MakeTripSaga(true), true).ok());
  const auto before = RoutedTopics(registry);
  SagaDefinition thief = Renamed(MakeTripSaga(true), "thief");
  thief.stages[1].steps[0].reply_topic = "trip/hotel/booked";
  Status refused = registry.Add(thief, true);
  EXPECT_TRUE(refused.IsConflict()) << refused.ToString();
  EXPECT_NE(refused.message().find("trip/hotel/booked, which saga trip consumes"), std::string::npos)
      << refused.message();
  EXPECT_EQ(RoutedTopics(registry), before) << "nothing of the refused definition is routed";
  EXPECT_EQ(registry.Current("thief"), nullptr);
}

TEST(SagaRegistryTest, OlderVersionsShareTheirTopicsButOnlyTheCurrentOneStartsSagas) {
  SagaRegistry registry;
  SagaDefinition old = Version(1);
  old.start_topic = "trip/requested-v1";
  ASSERT_TRUE(registry.Add(old, false).ok());
  ASSERT_TRUE(registry.Add(Version(2), true).ok());
  EXPECT_EQ(registry.Current("trip")->definition.version, 2);
  EXPECT_EQ(registry.Find("trip", 1)->definition.version, 1);
  EXPECT_FALSE(registry.Routes().contains("trip/requested-v1"));
  EXPECT_TRUE(registry.Routes().at("trip/requested").start);
  EXPECT_EQ(registry.Entries().size(), 2U);
}

TEST(SagaRegistryTest, RefusesAVersionTwiceASecondCurrentVersionAndAnInvalidDefinition) {
  SagaRegistry registry;
  ASSERT_TRUE(registry.Add(Version(1), true).ok());
  EXPECT_TRUE(registry.Add(Version(1), false).IsInvalidArgument());
  EXPECT_TRUE(registry.Add(Version(2), true).IsInvalidArgument());
  SagaDefinition empty = Version(3);
  empty.stages.clear();
  EXPECT_TRUE(registry.Add(empty, false).IsInvalidArgument());
  SagaDefinition other_field = Version(4);
  other_field.correlation_field = "bookingId";
  EXPECT_TRUE(registry.Add(other_field, false).IsConflict()) << "a topic read with another correlation field";
  EXPECT_EQ(registry.Entries().size(), 1U);
}

}  // namespace
}  // namespace sagaflow::engine
