// order-service: the HTTP API for orders, their transactional outbox, and their status updates.
#include "http/server.h"
#include "runtime/run_service.h"
#include "services/order/nudger.h"
#include "services/order/order_api.h"
#include "services/order/status_updates.h"

namespace sagaflow {
namespace {

struct OrderService final : runtime::Service {
  OrderService(runtime::Runtime& rt, const http::HttpServerOptions& server_options, Millis nudge_after)
      : context{rt.db(), rt.outbox(), rt.clock(), rt.random(), rt.metrics(), rt.logger(), nudge_after},
        status_updates(context),
        api(context, [&rt] { return rt.Health(); }),
        nudger(context),
        server(
            server_options, [this](const http::HttpRequest& request) { return api.Handle(request); }, rt.logger()),
        consumer(rt.consumer()) {}
  // The order API serves /health and /metrics on the public port itself.
  std::optional<std::map<std::string, http::Route>> AdminRoutes() override { return std::nullopt; }
  Status Start() override {
    if (Status registered = status_updates.Register(consumer); !registered.ok()) return registered;
    if (Status serving = server.Start(); !serving.ok()) return serving;
    nudger.Start();
    return Status::Ok();
  }
  void Stop() override {
    nudger.Stop();
    server.Stop();
  }

  order::OrderContext context;
  order::StatusUpdates status_updates;
  order::OrderApi api;
  order::Nudger nudger;
  http::HttpServer server;
  messaging::Consumer& consumer;
};

}  // namespace
}  // namespace sagaflow

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec& spec = ServiceNamed("order-service");
  runtime::CommonConfig config;
  int64_t nudge_ms = 30'000;
  std::optional<http::HttpServerOptions> server_options;
  FlagSet flags(spec.name, "Accepts orders over HTTP and publishes orders/created through its outbox.");
  runtime::AddCommonFlags(flags, config, spec);
  flags.AddInt("nudge-ms", "SAGAFLOW_NUDGE_MS", 30'000, 10, 86'400'000,
               "re-publish orders/created for an order not terminal and not updated for this long", &nudge_ms);
  return runtime::RunService(
      {.spec = spec,
       // Who may call the API is settled before anything starts: a bad combination is a bad flag.
       .check_flags =
           [&] {
             auto options = runtime::PublicServerOptions(config.front_door, static_cast<int>(config.http_port));
             if (!options.ok()) return options.status();
             server_options = std::move(*options);
             return Status::Ok();
           },
       .make = [&](runtime::Runtime& rt) -> Result<std::unique_ptr<runtime::Service>> {
         return runtime::MakeService<OrderService>(rt, *server_options, Millis(nudge_ms));
       }},
      flags, config, argc, argv);
}
