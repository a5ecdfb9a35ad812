// The broker as a hostile process on the host meets it: without an account nothing connects, and with
// an account a client can publish only what that account owns, cannot take over another account's
// session, and cannot push an oversized message into anyone's database. Against the real Mosquitto
// with the generated ACL and the five real binaries; each test also shows the system still serving.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/mqtt_probe.h"
#include "tests/support/system.h"

namespace sagaflow::testing {
namespace {

using std::chrono::seconds;

bool Saw(const MqttProbe& probe, const std::string& topic, const std::string& needle) {
  const auto messages = probe.messages();
  return std::any_of(messages.begin(), messages.end(), [&](const ReceivedMessage& m) {
    return m.topic == topic && m.payload.find(needle) != std::string::npos;
  });
}

std::string ForgedOrderCreated(const std::string& order_id) {
  return R"({"messageId": "forged-)" + order_id + R"(", "orderId": ")" + order_id +
         R"(", "customerId": "C-victim", "items": [{"productId": "P001", "quantity": 1, "price": 10.00}],)"
         R"( "totalAmount": 10.00, "createdAt": "2026-01-01T00:00:00.000Z"})";
}

class BrokerSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    system_.broker().AddTestAccount("big-publisher");
    // An account that may keep a session (as the services do), unlike the observer.
    system_.broker().AddTestAccount("session-thief", "topic read payments/process\n");
    system_.Start();
    observer_.Connect();
  }
  std::string Db(const std::string& file) { return system_.data_dir() + "/" + file; }
  // An order through the front door completes: the system goes on serving everyone else.
  void ExpectAnOrderStillCompletes(const std::string& key) {
    auto id = system_.PostOrder(client_, OrderBody("C-honest", "P001", 1, "5.00"), key);
    ASSERT_TRUE(id.has_value());
    ASSERT_TRUE(system_.WaitAllTerminal({*id}, seconds(30))) << system_.Logs();
    EXPECT_EQ(system_.StatusOf(client_, *id), "COMPLETED");
    // The observer saw it go by: what it did not see below was not delivered, not merely late.
    EXPECT_TRUE(observer_.WaitFor([&](auto&) { return Saw(observer_, "orders/created", *id); }, seconds(10)));
  }

  System system_;
  HttpClient client_{system_.http_port()};
  MqttProbe observer_{system_.broker().uri(), system_.broker().Login("observer"), {"#"}};
};

TEST_F(BrokerSecurityTest, ClientsWithoutAValidAccountAreRefused) {
  MqttProbe anonymous(system_.broker().uri(), {"", ""}, {"#"});
  EXPECT_THROW(anonymous.Connect(seconds(5)), std::exception);
  auto stolen = system_.broker().Login("payment-service");
  stolen.password += "-guess";
  MqttProbe guesser(system_.broker().uri(), stolen, {"#"});
  EXPECT_THROW(guesser.Connect(seconds(5)), std::exception);
  ExpectAnOrderStillCompletes("after-refused-clients");
}

TEST_F(BrokerSecurityTest, AnAccountThatOnlyWatchesCannotLeaveASessionBehind) {
  // A persistent observer session subscribed to # would queue every message for a client that never returns.
  observer_.Disconnect();
  MqttProbe ghost(system_.broker().uri(), system_.broker().Login("observer"), {"#"}, /*clean_session=*/false);
  EXPECT_THROW(ghost.Connect(seconds(5)), std::exception);
  MqttProbe bench_ghost(system_.broker().uri(), system_.broker().Login("bench"), {}, /*clean_session=*/false);
  EXPECT_THROW(bench_ghost.Connect(seconds(5)), std::exception);
  EXPECT_NE(system_.broker().process().Log().find("watches only"), std::string::npos)
      << system_.broker().process().Log();
  // The same account with a clean session is welcome, and the services keep theirs.
  observer_.Connect(seconds(5));
  ExpectAnOrderStillCompletes("after-refused-ghost");
}

TEST_F(BrokerSecurityTest, TheObserverReadsEverythingButNothingItPublishesIsDelivered) {
  // One session per account: the subscribing observer steps aside while its account publishes.
  observer_.Disconnect();
  MqttProbe forger(system_.broker().uri(), system_.broker().Login("observer"), {});
  forger.Connect();
  forger.Publish("orders/created", ForgedOrderCreated("forged-by-observer"));
  forger.Publish("payments/refund",
                 R"({"messageId": "f2", "orderId": "x", "idempotencyKey": "x:refund", "amount": 1})");
  forger.Disconnect();
  observer_.Connect();
  // The orchestrator consumes in the broker's order, so the forgery would have arrived before this order.
  ExpectAnOrderStillCompletes("after-observer-forgery");
  EXPECT_EQ(Query(Db("orchestrator.db"), "SELECT COUNT(*) FROM sagas WHERE order_id = 'forged-by-observer'"), 0);
  EXPECT_EQ(Query(Db("notifications.db"), "SELECT COUNT(*) FROM notifications WHERE order_id = 'forged-by-observer'"),
            0);
}

TEST_F(BrokerSecurityTest, AServiceAccountCannotPublishATopicAnotherServiceOwns) {
  // The inventory service's credentials, used while it is down (its account has one session at a time).
  system_.Kill("inventory-service");
  MqttProbe intruder(system_.broker().uri(), system_.broker().Login("inventory-service"), {});
  intruder.Connect();
  intruder.Publish("orders/created", ForgedOrderCreated("forged-by-inventory"));
  intruder.Publish("payments/processed", R"({"messageId": "f3", "orderId": "forged-by-inventory", )"
                                         R"("idempotencyKey": "forged-by-inventory:payment", "success": true})");
  // What it may publish: a dead letter of a topic it consumes. It arrives after the forgeries would have.
  intruder.Publish("deadletter/inventory/reserve", R"({"fence": "inventory"})");
  ASSERT_TRUE(
      observer_.WaitFor([&](auto&) { return Saw(observer_, "deadletter/inventory/reserve", "fence"); }, seconds(10)));
  EXPECT_FALSE(Saw(observer_, "orders/created", "forged-by-inventory"));
  EXPECT_FALSE(Saw(observer_, "payments/processed", "forged-by-inventory"));
  intruder.Disconnect();
  system_.Restart("inventory-service");
  ExpectAnOrderStillCompletes("after-inventory-forgery");
  EXPECT_EQ(Query(Db("orchestrator.db"), "SELECT COUNT(*) FROM sagas WHERE order_id = 'forged-by-inventory'"), 0);
}

TEST_F(BrokerSecurityTest, NoAccountCanTakeOverAnotherAccountsSessionByItsClientId) {
  // An account connects with the client ids the services used and use, asking to resume their sessions.
  for (const std::string client_id : {"orchestrator", "sagaflow-orchestrator", "payment-service"}) {
    auto login = system_.broker().Login("session-thief");
    MqttProbe thief(system_.broker().uri(), login, {"payments/process"}, /*clean_session=*/false, client_id);
    thief.Connect();
    thief.Disconnect();
  }
  const std::string broker_log = system_.process("mosquitto").Log();
  EXPECT_EQ(broker_log.find("Client orchestrator already connected"), std::string::npos) << broker_log;
  EXPECT_EQ(broker_log.find("Client payment-service already connected"), std::string::npos) << broker_log;
  ExpectAnOrderStillCompletes("after-takeover-attempts");
  EXPECT_EQ(system_.process("orchestrator").Log().find("lost connection to broker"), std::string::npos);
  EXPECT_EQ(system_.process("payment-service").Log().find("lost connection to broker"), std::string::npos);
}

TEST_F(BrokerSecurityTest, AnOversizedMessageIsRefusedByTheBrokerAndStoredNowhere) {
  MqttProbe publisher(system_.broker().uri(), system_.broker().Login("big-publisher"), {});
  publisher.Connect();
  const std::string huge = R"({"messageId": "big", "orderId": "big", "pad": ")" + std::string(10 << 20, 'x') + "\"}";
  try {
    publisher.Publish("orders/created", huge);
  } catch (const std::exception&) {
    // Expected: the broker closes the connection instead of acknowledging.
  }
  ExpectAnOrderStillCompletes("after-oversized");
  EXPECT_FALSE(Saw(observer_, "orders/created", "\"big\""));
  for (const char* db : {"orders.db", "orchestrator.db", "notifications.db"}) {
    EXPECT_EQ(Query(Db(db), "SELECT COUNT(*) FROM dead_letters"), 0) << db;
  }
  EXPECT_NE(system_.process("mosquitto").Log().find("disconnected due to oversize packet"), std::string::npos);
}

}  // namespace
}  // namespace sagaflow::testing
