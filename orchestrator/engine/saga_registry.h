// SagaRegistry: the saga definitions one orchestrator runs, by name and version, each with its engine.
//
// Each name has one current version, on which new sagas start, and may have older versions that unfinished sagas
// began on and finish on. Every topic consumed by a held version belongs to exactly one name: a message on it is
// routed to that name's sagas (a start to the current version; a reply to whichever version its saga began on).
// Two names consuming one topic are refused, since nothing in a message tells them apart. Not thread-safe to
// change; read-only once the orchestrator starts consuming.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "orchestrator/engine/saga_definition.h"
#include "orchestrator/engine/saga_engine.h"

namespace sagaflow::engine {

class SagaRegistry {
 public:
  struct Entry {
    explicit Entry(SagaDefinition d) : definition(std::move(d)), engine(definition) {}
    const SagaDefinition definition;
    const SagaEngine engine;  // refers to `definition`: an Entry never moves
  };
  struct Route {
    std::string name;  // the definition whose sagas the topic's messages are about
    std::string correlation_field;
    bool start = false;  // the current version's start topic; otherwise a reply or acknowledgement
  };

  // InvalidArgument if the definition is invalid (SagaDefinition::Validate), or its name and version are held
  // already, or it is the second current version of its name; Conflict if a topic it consumes is consumed by
  // another name, or a topic is a start in one version and a reply in another.
  Status Add(SagaDefinition definition, bool current);

  // nullptr if not held.
  const Entry* Find(std::string_view name, int version) const;
  const Entry* Current(std::string_view name) const;
  // Every consumed topic of every held version, with where it goes.
  const std::map<std::string, Route>& Routes() const { return routes_; }
  // Every held version, ordered by name then version.
  std::vector<const Entry*> Entries() const;

 private:
  std::map<std::pair<std::string, int>, std::unique_ptr<Entry>, std::less<>> entries_;
  std::map<std::string, int, std::less<>> current_;
  std::map<std::string, Route> routes_;
};

}  // namespace sagaflow::engine
