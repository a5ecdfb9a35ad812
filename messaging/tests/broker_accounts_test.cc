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

BrokerAccount Account(std::string name, std::vector<std::string> publishes, std::vector<std::string> consumes) {
  BrokerAccount account;
  account.name = std::move(name);
  account.publishes = std::move(publishes);
  account.consumes = std::move(consumes);
  return account;
}

TEST(BrokerAccountsTest, MergingAddsMissingTopicsToAnAccountAndKeepsItsFlags) {
  BrokerAccount more_payment = Account("payment-service", {"payments/processed", "cards/charged"}, {"cards/charge"});
  more_payment.keeps_session = false;
  const auto merged = MergeAccounts(SagaflowAccounts(), {more_payment, Account("observer", {}, {"x/y"})});
  const BrokerAccount* payment = FindAccount(merged, "payment-service");
  ASSERT_NE(payment, nullptr);
  EXPECT_EQ(payment->publishes, (std::vector<std::string>{"payments/processed", "payments/refunded", "cards/charged"}));
  EXPECT_EQ(payment->consumes, (std::vector<std::string>{"payments/process", "payments/refund", "cards/charge"}));
  EXPECT_TRUE(payment->keeps_session) << "a service's flags stay";
  const BrokerAccount* observer = FindAccount(merged, kObserverAccount);
  ASSERT_NE(observer, nullptr);
  EXPECT_TRUE(observer->reads_everything);
  EXPECT_FALSE(observer->keeps_session);
  EXPECT_EQ(merged.size(), SagaflowAccounts().size());
}

TEST(BrokerAccountsTest, MergingAppendsANewAccountOnceWithEachTopicOnce) {
  const auto merged = MergeAccounts(SagaflowAccounts(), {Account("hotel-service", {"hotels/booked"}, {"hotels/book"}),
                                                         Account("hotel-service", {"hotels/booked", "hotels/cancelled"},
                                                                 {"hotels/cancel", "hotels/cancel"})});
  ASSERT_EQ(merged.size(), SagaflowAccounts().size() + 1);
  EXPECT_EQ(merged.back().name, "hotel-service");
  EXPECT_EQ(merged.back().publishes, (std::vector<std::string>{"hotels/booked", "hotels/cancelled"}));
  EXPECT_EQ(merged.back().consumes, (std::vector<std::string>{"hotels/book", "hotels/cancel"}));
  EXPECT_TRUE(merged.back().keeps_session);
  const std::string acl = RenderMosquittoAcl(merged);
  EXPECT_NE(acl.find("user hotel-service\n"
                     "topic write hotels/booked\n"
                     "topic write hotels/cancelled\n"
                     "topic read hotels/book\n"
                     "topic write deadletter/hotels/book\n"
                     "topic read hotels/cancel\n"
                     "topic write deadletter/hotels/cancel\n"),
            std::string::npos)
      << acl;
}

TEST(BrokerAccountsTest, MergingNothingNewRendersTheSameAcl) {
  const auto compiled = SagaflowAccounts();
  EXPECT_EQ(RenderMosquittoAcl(MergeAccounts(compiled, compiled)), RenderMosquittoAcl(compiled));
  EXPECT_EQ(RenderMosquittoAcl(MergeAccounts(compiled, {})), RenderMosquittoAcl(compiled));
}

}  // namespace
}  // namespace sagaflow::messaging
