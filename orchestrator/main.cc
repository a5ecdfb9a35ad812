// orchestrator: runs the order saga over MQTT, with its state and timers in orchestrator.db.
#include "orchestrator/engine/saga_manager.h"
#include "orchestrator/engine/timer_loop.h"
#include "orchestrator/order_saga/order_saga.h"
#include "runtime/run_service.h"

namespace sagaflow {
namespace {

struct Orchestrator final : runtime::Service {
  Orchestrator(runtime::Runtime& rt, engine::SagaDefinition definition)
      : saga(std::move(definition)),
        manager(saga, rt.db(), rt.outbox(), rt.clock(), rt.random(), rt.logger(), rt.metrics()),
        timers(manager, rt.clock(), rt.logger()) {
    manager.Register(rt.consumer());
  }
  // POST /admin/sagas/retry?id=<orderId or sagaId>: an operator re-drives a FAILED or stuck saga.
  std::optional<std::map<std::string, http::Route>> AdminRoutes() override {
    auto retry = [this](const http::HttpRequest& request) {
      auto id = request.query.find("id");
      if (id == request.query.end() || id->second.empty()) return http::JsonError(400, "id is missing");
      auto result = manager.Redrive(id->second);
      if (!result.ok()) return http::JsonError(result.status().IsNotFound() ? 404 : 503, result.status().message());
      return http::JsonOk(200, "{\"result\":\"" + *result + "\"}");
    };
    return std::map<std::string, http::Route>{{"POST /admin/sagas/retry", retry}};
  }
  Status Start() override {
    timers.Start();
    return Status::Ok();
  }
  void Stop() override { timers.Stop(); }

  const engine::SagaDefinition saga;
  engine::SagaManager manager;
  engine::TimerLoop timers;
};

}  // namespace
}  // namespace sagaflow

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec& spec = ServiceNamed("orchestrator");
  runtime::CommonConfig config;
  int64_t step_timeout_ms = 10'000;
  int64_t step_attempts = 4;
  int64_t compensation_attempts = 20;
  FlagSet flags(spec.name, "Runs each order's saga: payment and inventory, or their compensation.");
  runtime::AddCommonFlags(flags, config, spec);
  flags.AddInt("step-timeout-ms", "SAGAFLOW_STEP_TIMEOUT_MS", 10'000, 10, 3'600'000,
               "a step with no reply by then is sent again with the same idempotency key", &step_timeout_ms);
  flags.AddInt("step-attempts", "SAGAFLOW_STEP_ATTEMPTS", 4, 1, 1000,
               "sends of a step's command before it fails with reason timeout", &step_attempts);
  flags.AddInt("compensation-attempts", "SAGAFLOW_COMPENSATION_ATTEMPTS", 20, 1, 100000,
               "sends of a compensation before the saga goes to FAILED", &compensation_attempts);
  engine::SagaDefinition saga;
  return runtime::RunService(
      {.spec = spec,
       .check_flags =
           [&] {
             saga = order_saga::MakeOrderSaga(
                 {Millis(step_timeout_ms), static_cast<int>(step_attempts), static_cast<int>(compensation_attempts)});
             return saga.Validate();
           },
       .make = [&](runtime::Runtime& rt) -> Result<std::unique_ptr<runtime::Service>> {
         return runtime::MakeService<Orchestrator>(rt, std::move(saga));
       }},
      flags, config, argc, argv);
}
