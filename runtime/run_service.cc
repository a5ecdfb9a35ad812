#include "runtime/run_service.h"

#include <cstdio>

namespace sagaflow::runtime {

namespace {

int Fail(const std::string& name, const Status& status) {
  std::fprintf(stderr, "%s: %s\n", name.c_str(), status.message().c_str());
  return status.IsInvalidArgument() ? 2 : 1;
}

}  // namespace

int RunService(const ServiceMain& main, FlagSet& flags, const CommonConfig& config, int argc, const char* const* argv) {
  const std::string& name = main.spec.name;
  if (auto exit_code = ParseFlagsOrExit(flags, argc, argv)) return *exit_code;
  if (Status checked = main.check_flags(); !checked.ok()) return Fail(name, Status::InvalidArgument(checked.message()));

  auto created = Runtime::Create(main.spec, config);
  if (!created.ok()) return Fail(name, created.status());
  Runtime& rt = **created;
  auto made = main.make(rt);
  if (!made.ok()) return Fail(name, made.status());
  Service& service = **made;

  if (auto routes = service.AdminRoutes()) {
    if (Status serving = rt.StartAdminServer(std::move(*routes)); !serving.ok()) return Fail(name, serving);
  }
  if (Status started = service.Start(); !started.ok()) {
    rt.Shutdown();
    return Fail(name, started);
  }
  if (Status messaging = rt.StartMessaging(); !messaging.ok()) {
    service.Stop();
    rt.Shutdown();
    return Fail(name, messaging);
  }
  rt.WaitForShutdownSignal();
  // Messaging first, so that no message reaches a part that has stopped; the admin server last, so that health
  // answers while the process winds down.
  rt.StopMessaging();
  service.Stop();
  rt.Shutdown();
  return 0;
}

}  // namespace sagaflow::runtime
