// OrderServiceTest: ServiceTest for the order service's parts: orders.db migrated (or, if the test made it first,
// reopened as a restarted process would), and the OrderContext that the API, the status updates and the nudger
// share.
#pragma once

#include <memory>

#include "common/clock.h"
#include "common/logging.h"
#include "runtime/testing/service_test.h"
#include "services/order/order_context.h"

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

  std::unique_ptr<OrderContext> context_;

 private:
  void MakeContext(Millis nudge_after) {
    context_ = std::make_unique<OrderContext>(
        OrderContext{*db_, *outbox_, clock_, random_, metrics_, MakeNullLogger(), nudge_after});
  }
};

}  // namespace sagaflow::order
