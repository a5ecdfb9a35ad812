// orchestrator: runs the sagas defined in the folder of definitions over MQTT, with their state and timers in
// orchestrator.db.
#include "orchestrator/definitions/definition_folder.h"
#include "orchestrator/engine/saga_manager.h"
#include "orchestrator/engine/timer_loop.h"
#include "runtime/run_service.h"

namespace sagaflow {
namespace {

struct Orchestrator final : runtime::Service {
  Orchestrator(runtime::Runtime& rt, engine::SagaDefinition definition)
      : saga(std::move(definition)),
        manager(saga, rt.db(), rt.outbox(), rt.clock(), rt.random(), rt.logger(), rt.metrics()),
        timers(manager, rt.clock(), rt.logger()),
        process(rt) {}
  // POST /admin/sagas/retry?id=<orderId or sagaId>: an operator re-drives a FAILED or stuck saga.
  std::optional<std::map<std::string, http::Route>> AdminRoutes() override {
    auto retry = [this](const http::HttpRequest& request) {
      auto id = request.query.find("id");
      if (id == request.query.end() || id->second.empty()) return http::JsonError(400, "id is missing");
      auto result = manager.Redrive(id->second);
      if (!result.ok()) return http::JsonError(result.status().IsNotFound() ? 404 : 503, result.status().message());
      return http::JsonOk(200, R"({"result":")" + *result + R"("})");
    };
    return std::map<std::string, http::Route>{{"POST /admin/sagas/retry", retry}};
  }
  Status Start() override {
    if (Status registered = manager.Register(process.consumer()); !registered.ok()) return registered;
    if (Status compatible = manager.CheckActiveSagas(); !compatible.ok()) return compatible;
    if (Status publishable = process.CheckMayPublish(saga.PublishedTopics()); !publishable.ok()) return publishable;
    timers.Start();
    return Status::Ok();
  }
  void Stop() override { timers.Stop(); }

  const engine::SagaDefinition saga;
  engine::SagaManager manager;
  engine::TimerLoop timers;
  runtime::Runtime& process;  // for what it checks at start
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
  std::string sagas_dir;
  FlagSet flags(spec.name,
                "Runs the sagas defined in the folder of definitions (the order saga: config/sagas/order.json).");
  runtime::AddCommonFlags(flags, config, spec);
  flags.AddInt("step-timeout-ms", "SAGAFLOW_STEP_TIMEOUT_MS", 10'000, 10, 3'600'000,
               "a step with no reply by then is sent again with the same idempotency key", &step_timeout_ms);
  flags.AddInt("step-attempts", "SAGAFLOW_STEP_ATTEMPTS", 4, 1, 1000,
               "sends of a step's command before it fails with reason timeout", &step_attempts);
  flags.AddInt("compensation-attempts", "SAGAFLOW_COMPENSATION_ATTEMPTS", 20, 1, 100000,
               "sends of a compensation before the saga goes to FAILED", &compensation_attempts);
  flags.AddString("sagas-dir", "SAGAFLOW_SAGAS_DIR", "config/sagas",
                  "the folder of saga definitions (*.json); a definition may set its own timeouts and attempts, "
                  "the three flags above are what it leaves unsaid",
                  &sagas_dir);
  engine::SagaDefinition saga;
  return runtime::RunService(
      {.spec = spec,
       .check_flags = [&]() -> Status {
         auto loaded = definitions::ReadDefinitionFolder(
             sagas_dir,
             {Millis(step_timeout_ms), static_cast<int>(step_attempts), static_cast<int>(compensation_attempts)});
         if (!loaded.ok()) return Status::InvalidArgument(loaded.status().message());
         if (loaded->size() != 1) {
           return Status::InvalidArgument(sagas_dir + ": holds " + std::to_string(loaded->size()) +
                                          " definitions; this orchestrator runs one");
         }
         // The consumer reads every message's correlation id from orderId; until it reads the field a definition
         // names, another field would dead-letter every message of that saga.
         if (loaded->front().saga.correlation_field != "orderId") {
           return Status::InvalidArgument(loaded->front().file +
                                          ": $.start.correlation: this orchestrator reads orderId only");
         }
         saga = std::move(loaded->front().saga);
         return Status::Ok();
       },
       .make = [&](runtime::Runtime& rt) -> Result<std::unique_ptr<runtime::Service>> {
         return runtime::MakeService<Orchestrator>(rt, std::move(saga));
       }},
      flags, config, argc, argv);
}
