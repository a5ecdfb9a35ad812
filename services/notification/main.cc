// notification-service: tells customers what happened to their orders, once per (order, kind).
#include <cstdio>

#include "services/notification/notifier.h"
#include "services/runtime/runtime.h"

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec spec{"notification-service", "notifications.db", "notification", 4};
  runtime::CommonConfig config;
  FlagSet flags("notification-service", "Sends one notification per order event and acknowledges outcomes.");
  runtime::AddCommonFlags(flags, config, spec);
  if (auto exit_code = runtime::ParseFlagsOrExit(flags, argc, argv)) return *exit_code;

  auto created = runtime::Runtime::Create(spec, config);
  if (!created.ok()) {
    std::fprintf(stderr, "notification-service: %s\n", created.status().message().c_str());
    return 1;
  }
  runtime::Runtime& rt = **created;
  notification::LogSink sink(rt.logger());
  notification::Notifier notifier(rt.outbox(), rt.clock(), rt.random(), sink, rt.logger());
  notifier.Register(rt.consumer());

  if (Status serving = rt.StartAdminServer(); !serving.ok()) {
    std::fprintf(stderr, "notification-service: %s\n", serving.message().c_str());
    return 1;
  }
  if (Status messaging = rt.StartMessaging(); !messaging.ok()) {
    std::fprintf(stderr, "notification-service: %s\n", messaging.message().c_str());
    return 1;
  }
  rt.WaitForShutdownSignal();
  rt.Shutdown();
  return 0;
}
