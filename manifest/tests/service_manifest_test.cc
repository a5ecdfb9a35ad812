// The manifest is consistent: names, databases and ports are unique, the ports run from the order API's up
// without a gap, and every topic that a service consumes is published by exactly one service (its owner).
#include "manifest/service_manifest.h"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "manifest/topics.h"

namespace sagaflow {
namespace {

TEST(ServiceManifest, NamesDatabasesAndPortsAreUnique) {
  std::set<std::string> names, databases, migrations;
  std::set<int> offsets;
  for (const auto& service : SagaflowServices()) {
    EXPECT_TRUE(names.insert(service.name).second) << service.name;
    EXPECT_TRUE(databases.insert(service.db_file).second) << service.db_file;
    EXPECT_TRUE(migrations.insert(service.migrations).second) << service.migrations;
    EXPECT_TRUE(offsets.insert(service.port_offset).second) << service.name;
  }
  EXPECT_EQ(names.size(), 5U);
  EXPECT_EQ(*offsets.begin(), 0);
  EXPECT_EQ(*offsets.rbegin(), ServicePortCount() - 1) << "no gap between the ports";
  EXPECT_EQ(static_cast<int>(offsets.size()), ServicePortCount());
}

TEST(ServiceManifest, TheOrderApiIsOnTheBasePortAndStartsFirst) {
  EXPECT_EQ(SagaflowServices().front().name, "order-service");
  EXPECT_EQ(ServiceNamed("order-service").port_offset, 0);
}

TEST(ServiceManifest, EveryConsumedTopicHasExactlyOneOwner) {
  std::map<std::string, std::vector<std::string>> owners;
  for (const auto& service : SagaflowServices()) {
    for (const auto& topic : service.publishes) owners[topic].push_back(service.name);
  }
  for (const auto& service : SagaflowServices()) {
    for (const auto& topic : service.consumes) {
      ASSERT_EQ(owners[topic].size(), 1U) << service.name << " consumes " << topic;
      EXPECT_NE(owners[topic].front(), service.name) << service.name << " consumes its own " << topic;
    }
  }
}

TEST(ServiceManifest, TheOrderSagasTopicsAreWhereTheServicesExpectThem) {
  const auto consumes = [](std::string_view service, std::string_view topic) {
    const auto& topics = ServiceNamed(service).consumes;
    return std::find(topics.begin(), topics.end(), topic) != topics.end();
  };
  EXPECT_TRUE(consumes("orchestrator", topics::kOrderCreated));
  EXPECT_TRUE(consumes("payment-service", topics::kPaymentProcess));
  EXPECT_TRUE(consumes("inventory-service", topics::kInventoryReserve));
  EXPECT_TRUE(consumes("order-service", topics::kOrderCompleted));
  EXPECT_TRUE(consumes("notification-service", topics::kOrderCompleted));
}

TEST(ServiceManifest, AnUnknownNameIsNotFound) {
  EXPECT_EQ(FindService("billing-service"), nullptr);
  EXPECT_NE(FindService("orchestrator"), nullptr);
}

}  // namespace
}  // namespace sagaflow
