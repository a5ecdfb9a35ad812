#include "messaging/broker_accounts.h"

#include <gtest/gtest.h>

#include "manifest/topics.h"

namespace sagaflow::messaging {
namespace {

TEST(BrokerAccountsTest, EachServicePublishesWhatItOwnsAndDeadLettersOnlyWhatItConsumes) {
  const auto accounts = SagaflowAccounts();
  const BrokerAccount* payment = FindAccount(accounts, "payment-service");
  ASSERT_NE(payment, nullptr);
  EXPECT_TRUE(payment->MayPublish(topics::kPaymentProcessed));
  EXPECT_TRUE(payment->MayPublish("deadletter/payments/process"));
  EXPECT_FALSE(payment->MayPublish(topics::kOrderCreated));
  EXPECT_FALSE(payment->MayPublish("deadletter/orders/created"));
  EXPECT_TRUE(payment->MayConsume(topics::kPaymentProcess));
  EXPECT_FALSE(payment->MayConsume(topics::kPaymentProcessed));
}

TEST(BrokerAccountsTest, EveryTopicHasExactlyOneServiceThatPublishesIt) {
  const auto accounts = SagaflowAccounts();
  for (const auto& account : accounts) {
    for (const auto& topic : account.publishes) {
      int owners = 0;
      for (const auto& other : accounts) owners += other.MayPublish(topic) ? 1 : 0;
      EXPECT_EQ(owners, 1) << topic;
    }
  }
}

TEST(BrokerAccountsTest, OnlyServicesKeepASessionOnTheBroker) {
  const auto accounts = SagaflowAccounts();
  constexpr int kMqtt311 = 4;
  constexpr int kMqtt5 = 5;
  EXPECT_EQ(RefuseSession(accounts, "payment-service", /*clean_session=*/false, kMqtt311), std::nullopt);
  EXPECT_EQ(RefuseSession(accounts, "payment-service", /*clean_session=*/false, kMqtt5), std::nullopt);
  EXPECT_EQ(RefuseSession(accounts, kObserverAccount, /*clean_session=*/true, kMqtt311), std::nullopt);
  EXPECT_EQ(RefuseSession(accounts, kBenchAccount, /*clean_session=*/true, kMqtt311), std::nullopt);

  const auto persistent = RefuseSession(accounts, kObserverAccount, /*clean_session=*/false, kMqtt311);
  ASSERT_TRUE(persistent.has_value());
  EXPECT_NE(persistent->find("observer"), std::string::npos) << *persistent;
  EXPECT_TRUE(RefuseSession(accounts, kBenchAccount, /*clean_session=*/false, kMqtt311).has_value());
  // A v5 client's clean start says nothing of the session expiry it asked for.
  EXPECT_TRUE(RefuseSession(accounts, kObserverAccount, /*clean_session=*/true, kMqtt5).has_value());
  // Unknown accounts are the password file's business.
  EXPECT_EQ(RefuseSession(accounts, "probe", /*clean_session=*/false, kMqtt311), std::nullopt);
}

TEST(BrokerAccountsTest, TheObserverReadsEverythingAndPublishesNothing) {
  const auto accounts = SagaflowAccounts();
  const BrokerAccount* observer = FindAccount(accounts, kObserverAccount);
  ASSERT_NE(observer, nullptr);
  EXPECT_TRUE(observer->MayConsume("payments/process"));
  EXPECT_FALSE(observer->MayPublish("payments/process"));
  EXPECT_TRUE(observer->publishes.empty());
  EXPECT_EQ(FindAccount(accounts, "nobody"), nullptr);
}

TEST(BrokerAccountsTest, TheAclGrantsExactlyTheDescribedRights) {
  const std::string acl = RenderMosquittoAcl(SagaflowAccounts());
  const size_t order = acl.find("user order-service\n");
  const size_t next = acl.find("user ", order + 1);
  ASSERT_NE(order, std::string::npos);
  const std::string section = acl.substr(order, next - order);
  EXPECT_EQ(section,
            "user order-service\n"
            "topic write orders/created\n"
            "topic read orders/completed\n"
            "topic write deadletter/orders/completed\n"
            "topic read orders/cancelled\n"
            "topic write deadletter/orders/cancelled\n"
            "topic read orders/progress\n"
            "topic write deadletter/orders/progress\n\n");
  EXPECT_NE(acl.find("user observer\ntopic read #\n"), std::string::npos);
  EXPECT_EQ(acl.find("readwrite"), std::string::npos);
}

}  // namespace
}  // namespace sagaflow::messaging
