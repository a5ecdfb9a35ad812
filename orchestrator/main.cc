// orchestrator: runs the sagas defined in the folder of definitions over MQTT, with their state and timers in
// orchestrator.db.
#include "http/health.h"
#include "orchestrator/definitions/definition_accounts.h"
#include "orchestrator/definitions/definition_folder.h"
#include "orchestrator/definitions/definition_versions.h"
#include "orchestrator/engine/saga_events.h"
#include "orchestrator/engine/saga_manager.h"
#include "orchestrator/engine/timer_loop.h"
#include "runtime/run_service.h"

namespace sagaflow {
namespace {

struct Orchestrator final : runtime::Service {
  Orchestrator(runtime::Runtime& rt, std::vector<definitions::LoadedDefinition> loaded,
               definitions::DefinitionSettings defaults, Millis keep_timelines)
      : folder(std::move(loaded)),
        settings(defaults),
        manager(registry, rt.db(), rt.outbox(), rt.clock(), rt.random(), rt.logger(), rt.metrics()),
        timers(manager, rt.clock(), rt.logger()),
        process(rt) {
    rt.retention().Add(engine::TimelineRetention(rt.db(), keep_timelines));
  }
  // POST /admin/sagas/retry?id=<correlation id or saga id>[&definition=<name>]: an operator re-drives a FAILED or
  // stuck saga.
  std::optional<std::map<std::string, http::Route>> AdminRoutes() override {
    auto retry = [this](const http::HttpRequest& request) {
      auto id = request.query.find("id");
      if (id == request.query.end() || id->second.empty()) return http::JsonError(400, "id is missing");
      auto definition = request.query.find("definition");
      auto result = manager.Redrive(id->second, definition == request.query.end() ? "" : definition->second);
      if (!result.ok()) {
        const Status& status = result.status();
        return http::JsonError(status.IsNotFound() ? 404 : status.IsInvalidArgument() ? 400 : 503, status.message());
      }
      return http::JsonOk(200, R"({"result":")" + *result + R"("})");
    };
    return std::map<std::string, http::Route>{{"POST " + std::string(http::kSagaRetryPath), retry}};
  }
  Status Start() override {
    Status registered = definitions::RecordAndRegister(process.db(), folder, settings, process.clock().Now(), registry,
                                                       process.logger());
    if (!registered.ok()) return registered;
    if (Status compatible = manager.CheckActiveSagas(); !compatible.ok()) return compatible;
    for (const engine::SagaRegistry::Entry* entry : registry.Entries()) {
      Status publishable = process.CheckMayPublish(entry->definition.PublishedTopics());
      if (!publishable.ok()) return publishable;
    }
    if (Status subscribed = manager.Register(process.consumer()); !subscribed.ok()) return subscribed;
    timers.Start();
    return Status::Ok();
  }
  void Stop() override { timers.Stop(); }

  const std::vector<definitions::LoadedDefinition> folder;
  const definitions::DefinitionSettings settings;
  engine::SagaRegistry registry;  // filled at Start, read-only once messages flow
  engine::SagaManager manager;
  engine::TimerLoop timers;
  runtime::Runtime& process;
};

// InvalidArgument, one line per problem, if the folder's definitions cannot run side by side (two claim a topic).
Status CheckSideBySide(const std::vector<definitions::LoadedDefinition>& folder) {
  engine::SagaRegistry probe;
  std::string problems;
  for (const auto& definition : folder) {
    if (Status added = probe.Add(definition.saga, true); !added.ok()) {
      problems += (problems.empty() ? "" : "\n") + definition.file + ": " + added.message();
    }
  }
  return problems.empty() ? Status::Ok() : Status::InvalidArgument(problems);
}

}  // namespace
}  // namespace sagaflow

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec& spec = ServiceNamed("orchestrator");
  runtime::CommonConfig config;
  int64_t step_timeout_ms = 10'000;
  int64_t step_attempts = 4;
  int64_t compensation_attempts = 20;
  int64_t saga_events_retention_ms = engine::kDefaultTimelineRetention.count();
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
  flags.AddInt("saga-events-retention-ms", "SAGAFLOW_SAGA_EVENTS_RETENTION_MS",
               engine::kDefaultTimelineRetention.count(), 60'000, 315'360'000'000,
               "a settled saga's timeline (saga_events) is deleted this long after its last event; the saga stays",
               &saga_events_retention_ms);
  definitions::DefinitionSettings settings;
  std::vector<definitions::LoadedDefinition> folder;
  return runtime::RunService(
      {.spec = spec,
       .check_flags = [&]() -> Status {
         settings = {Millis(step_timeout_ms), static_cast<int>(step_attempts), static_cast<int>(compensation_attempts)};
         auto loaded = definitions::ReadDefinitionFolder(sagas_dir, settings);
         if (!loaded.ok()) return Status::InvalidArgument(loaded.status().message());
         if (Status together = CheckSideBySide(*loaded); !together.ok()) return together;
         // The broker's ACL grants what the folder's definitions name (sagaflow-broker-acl --sagas-dir); the
         // start-up checks of what this process consumes and publishes hold it to the same.
         config.accounts = definitions::AccountsWithDefinitions(*loaded);
         folder = std::move(*loaded);
         return Status::Ok();
       },
       .make = [&](runtime::Runtime& rt) -> Result<std::unique_ptr<runtime::Service>> {
         return runtime::MakeService<Orchestrator>(rt, std::move(folder), settings, Millis(saga_events_retention_ms));
       }},
      flags, config, argc, argv);
}
