// OrderServiceTest: ServiceTest for the order service's parts: orders.db migrated (or, if the test made it first,
// reopened as a restarted process would), and the OrderContext that the API, the status updates and the nudger
// share; DeliverTo hands the orchestrator's messages to StatusUpdates as the Consumer does.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "common/clock.h"
#include "common/json.h"
#include "common/logging.h"
#include "manifest/topics.h"
#include "runtime/testing/service_test.h"
#include "services/order/order_context.h"
#include "services/order/status_updates.h"
#include "wire/order_messages.h"

namespace sagaflow::order {

class OrderServiceTest : public runtime::testing::ServiceTest {
 protected:
  OrderServiceTest() : ServiceTest(/*seed=*/42) {}

  void SetUpOrderService(Millis nudge_after) {
    ASSERT_NO_FATAL_FAILURE(SetUpService("order", "orders.db"));
    MakeContext(nudge_after);
  }
  // For orders.db made beforehand: a restarted process's connection.
  void OpenOrderService(Millis nudge_after) {
    ASSERT_NO_FATAL_FAILURE(OpenService("orders.db"));
    MakeContext(nudge_after);
  }

  // Runs `updates`' handler for `topic` on `payload` inside one transaction, as the Consumer does.
  Status DeliverTo(StatusUpdates& updates, std::string_view topic, const std::string& payload) {
    simdjson::dom::parser parser;
    simdjson::dom::object body;
    if (parser.parse(payload).get_object().get(body)) {
      ADD_FAILURE() << "not a JSON object: " << payload;
      return Status::InvalidArgument("test message is not JSON");
    }
    messaging::Envelope envelope;
    envelope.topic = topic;
    envelope.message_id = GetStringOr(body, "messageId", "");
    envelope.correlation_id = GetStringOr(body, "orderId", "");
    envelope.body = body;
    return db_->Write([&](storage::UnitOfWork& uow) {
      if (topic == topics::kOrderCompleted) return updates.OnCompleted(uow, envelope);
      if (topic == topics::kOrderCancelled) return updates.OnCancelled(uow, envelope);
      return updates.OnProgress(uow, envelope);
    });
  }
  // The same for a message the codec writes.
  template <typename Message>
  Status DeliverTo(StatusUpdates& updates, const Message& message) {
    return DeliverTo(updates, Message::kTopic, wire::Encode(message));
  }

  std::unique_ptr<OrderContext> context_;

 private:
  void MakeContext(Millis nudge_after) {
    context_ = std::make_unique<OrderContext>(
        OrderContext{*db_, *outbox_, clock_, random_, metrics_, MakeNullLogger(), nudge_after});
  }
};

}  // namespace sagaflow::order
