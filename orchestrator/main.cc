// orchestrator: runs the order saga over MQTT, with its state and timers in orchestrator.db.
#include <cstdio>

#include "orchestrator/engine/saga_manager.h"
#include "orchestrator/engine/timer_loop.h"
#include "orchestrator/order_saga/order_saga.h"
#include "services/runtime/runtime.h"

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec spec{"orchestrator", "orchestrator.db", "orchestrator", 1};
  runtime::CommonConfig config;
  int64_t step_timeout_ms = 10'000;
  int64_t step_attempts = 4;
  int64_t compensation_attempts = 20;
  FlagSet flags("orchestrator", "Runs each order's saga: payment and inventory, or their compensation.");
  runtime::AddCommonFlags(flags, config, spec);
  flags.AddInt("step-timeout-ms", "SAGAFLOW_STEP_TIMEOUT_MS", 10'000, 10, 3'600'000,
               "a step with no reply by then is sent again with the same idempotency key", &step_timeout_ms);
  flags.AddInt("step-attempts", "SAGAFLOW_STEP_ATTEMPTS", 4, 1, 1000,
               "sends of a step's command before it fails with reason timeout", &step_attempts);
  flags.AddInt("compensation-attempts", "SAGAFLOW_COMPENSATION_ATTEMPTS", 20, 1, 100000,
               "sends of a compensation before the saga goes to FAILED", &compensation_attempts);
  if (auto exit_code = runtime::ParseFlagsOrExit(flags, argc, argv)) return *exit_code;

  auto created = runtime::Runtime::Create(spec, config);
  if (!created.ok()) {
    std::fprintf(stderr, "orchestrator: %s\n", created.status().message().c_str());
    return 1;
  }
  runtime::Runtime& rt = **created;
  const engine::SagaDefinition saga = order_saga::MakeOrderSaga(
      {Millis(step_timeout_ms), static_cast<int>(step_attempts), static_cast<int>(compensation_attempts)});
  if (Status valid = saga.Validate(); !valid.ok()) {
    std::fprintf(stderr, "orchestrator: %s\n", valid.message().c_str());
    return 1;
  }
  engine::SagaManager manager(saga, rt.db(), rt.outbox(), rt.clock(), rt.random(), rt.logger(), rt.metrics());
  manager.Register(rt.consumer());
  engine::TimerLoop timers(manager, rt.clock(), rt.logger());

  // POST /admin/sagas/retry?id=<orderId or sagaId>: an operator re-drives a FAILED or stuck saga.
  auto retry = [&manager](const http::HttpRequest& request) {
    auto id = request.query.find("id");
    if (id == request.query.end() || id->second.empty()) return http::JsonError(400, "id is missing");
    auto result = manager.Redrive(id->second);
    if (!result.ok()) {
      return http::JsonError(result.status().IsNotFound() ? 404 : 503, result.status().message());
    }
    return http::JsonOk(200, "{\"result\":\"" + *result + "\"}");
  };
  if (Status serving = rt.StartAdminServer({{"POST /admin/sagas/retry", retry}}); !serving.ok()) {
    std::fprintf(stderr, "orchestrator: %s\n", serving.message().c_str());
    return 1;
  }
  if (Status messaging = rt.StartMessaging(); !messaging.ok()) {
    std::fprintf(stderr, "orchestrator: %s\n", messaging.message().c_str());
    return 1;
  }
  timers.Start();
  rt.WaitForShutdownSignal();
  timers.Stop();
  rt.Shutdown();
  return 0;
}
