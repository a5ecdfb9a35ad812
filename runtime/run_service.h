// RunService: the whole life of a service process, written once for every main.cc. It parses the flags (exit 0
// after --help, 2 on a bad flag), checks the service's own flags, creates the Runtime, lets the main compose its
// Service on it, starts the admin server, the service's parts and then messaging (so that no message arrives at a
// part not yet running), waits for SIGINT or SIGTERM, and stops everything in the reverse order. Every failure is
// one line "<service>: <reason>" on stderr: exit code 2 for a bad flag or setting (InvalidArgument), 1 otherwise.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "common/flags.h"
#include "common/status.h"
#include "http/server.h"
#include "runtime/runtime.h"

namespace sagaflow::runtime {

// A service's own parts, built on the runtime by its main; it lives until the process shuts down.
class Service {
 public:
  virtual ~Service() = default;
  // Routes served besides /health and /metrics on the service's admin port (they require the admin token); nullopt:
  // the service serves its port itself (the order API), with no admin server.
  virtual std::optional<std::map<std::string, http::Route>> AdminRoutes() {
    return std::map<std::string, http::Route>{};
  }
  // Its own servers and background tasks: started before messaging, stopped after it.
  virtual Status Start() { return Status::Ok(); }
  virtual void Stop() {}
};

// `make`'s usual body: return MakeService<MyService>(rt, ...).
template <typename S, typename... Args>
Result<std::unique_ptr<Service>> MakeService(Args&&... args) {
  return std::unique_ptr<Service>(std::make_unique<S>(std::forward<Args>(args)...));
}

struct ServiceMain {
  ServiceSpec spec;
  // The service's own flags, checked after parsing and before anything starts (InvalidArgument: exit code 2).
  std::function<Status()> check_flags = [] { return Status::Ok(); };
  std::function<Result<std::unique_ptr<Service>>(Runtime&)> make;
};

// `flags` holds the common flags (AddCommonFlags into `config`) and the service's own.
int RunService(const ServiceMain& main, FlagSet& flags, const CommonConfig& config, int argc, const char* const* argv);

}  // namespace sagaflow::runtime
