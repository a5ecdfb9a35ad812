// order-service: the HTTP API for orders, their transactional outbox, and their status updates.
#include <cstdio>

#include "http/server.h"
#include "services/order/nudger.h"
#include "services/order/order_api.h"
#include "services/order/status_updates.h"
#include "services/runtime/runtime.h"

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec spec{"order-service", "orders.db", "order", 0};
  runtime::CommonConfig config;
  int64_t nudge_ms = 30'000;
  FlagSet flags("order-service", "Accepts orders over HTTP and publishes orders/created through its outbox.");
  runtime::AddCommonFlags(flags, config, spec);
  flags.AddInt("nudge-ms", "SAGAFLOW_NUDGE_MS", 30'000, 10, 86'400'000,
               "re-publish orders/created for an order not terminal and not updated for this long", &nudge_ms);
  if (auto exit_code = runtime::ParseFlagsOrExit(flags, argc, argv)) return *exit_code;
  // Who may call the API is settled before anything starts: a bad combination is a bad flag.
  auto server_options = runtime::PublicServerOptions(config.front_door, static_cast<int>(config.http_port));
  if (!server_options.ok()) {
    std::fprintf(stderr, "order-service: %s\n", server_options.status().message().c_str());
    return 2;
  }

  auto created = runtime::Runtime::Create(spec, config);
  if (!created.ok()) {
    std::fprintf(stderr, "order-service: %s\n", created.status().message().c_str());
    return 1;
  }
  runtime::Runtime& rt = **created;
  order::OrderContext context{rt.db(),      rt.outbox(), rt.clock(),      rt.random(),
                              rt.metrics(), rt.logger(), Millis(nudge_ms)};
  order::StatusUpdates status_updates(context);
  status_updates.Register(rt.consumer());
  order::OrderApi api(context, [&rt] { return rt.Health(); });
  order::Nudger nudger(context);

  http::HttpServer server(
      *server_options, [&api](const http::HttpRequest& request) { return api.Handle(request); }, rt.logger());
  Status serving = server.Start();
  if (!serving.ok()) {
    std::fprintf(stderr, "order-service: %s\n", serving.message().c_str());
    return 1;
  }
  Status messaging = rt.StartMessaging();
  if (!messaging.ok()) {
    std::fprintf(stderr, "order-service: %s\n", messaging.message().c_str());
    return 1;
  }
  nudger.Start();
  rt.WaitForShutdownSignal();
  nudger.Stop();
  server.Stop();
  rt.StopMessaging();
  return 0;
}
