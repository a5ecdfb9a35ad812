// notification-service: tells customers what happened to their orders, once per (order, kind).
#include "runtime/run_service.h"
#include "services/notification/notifier.h"

namespace sagaflow {
namespace {

struct NotificationService final : runtime::Service {
  explicit NotificationService(runtime::Runtime& rt)
      : sink(rt.logger()), notifier(rt.outbox(), rt.clock(), rt.random(), sink, rt.logger()), consumer(rt.consumer()) {}
  Status Start() override { return notifier.Register(consumer); }

  notification::LogSink sink;
  notification::Notifier notifier;
  messaging::Consumer& consumer;
};

}  // namespace
}  // namespace sagaflow

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec& spec = ServiceNamed("notification-service");
  runtime::CommonConfig config;
  FlagSet flags(spec.name, "Sends one notification per order event and acknowledges outcomes.");
  runtime::AddCommonFlags(flags, config, spec);
  return runtime::RunService({.spec = spec,
                              .make = [](runtime::Runtime& rt) -> Result<std::unique_ptr<runtime::Service>> {
                                return runtime::MakeService<NotificationService>(rt);
                              }},
                             flags, config, argc, argv);
}
