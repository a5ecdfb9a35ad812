#include "orchestrator/engine/saga_registry.h"

namespace sagaflow::engine {

Status SagaRegistry::Add(SagaDefinition definition, bool current) {
  const std::string label = definition.name + " version " + std::to_string(definition.version);
  if (Status valid = definition.Validate(); !valid.ok()) return Status::InvalidArgument(label + ": " + valid.message());
  if (entries_.contains(std::pair{definition.name, definition.version})) {
    return Status::InvalidArgument(label + " is held already");
  }
  if (current && current_.contains(definition.name)) {
    return Status::InvalidArgument(label + ": " + definition.name + " has a current version already");
  }
  // Every topic is checked before any is routed, so a refused definition leaves the registry as it was.
  std::map<std::string, Route> added;
  for (const auto& topic : definition.ConsumedTopics()) {
    const bool start = topic == definition.start_topic;
    if (start && !current) continue;  // sagas begin on the current version only
    Route route{definition.name, definition.correlation_field, start};
    auto held = routes_.find(topic);
    if (held != routes_.end() && held->second.name != route.name) {
      std::string why = label;
      why.append(" consumes ").append(topic).append(", which saga ").append(held->second.name).append(" consumes");
      return Status::Conflict(why);
    }
    if (held != routes_.end() &&
        (held->second.start != route.start || held->second.correlation_field != route.correlation_field)) {
      std::string why = label;
      why.append(" uses ").append(topic).append(" otherwise than another version of ").append(route.name);
      return Status::Conflict(why);
    }
    added.emplace(topic, std::move(route));
  }
  routes_.insert(added.begin(), added.end());
  if (current) current_.emplace(definition.name, definition.version);
  auto key = std::pair{definition.name, definition.version};
  entries_.emplace(std::move(key), std::make_unique<Entry>(std::move(definition)));
  return Status::Ok();
}

const SagaRegistry::Entry* SagaRegistry::Find(std::string_view name, int version) const {
  auto found = entries_.find(std::pair{std::string(name), version});
  return found == entries_.end() ? nullptr : found->second.get();
}

const SagaRegistry::Entry* SagaRegistry::Current(std::string_view name) const {
  auto found = current_.find(name);
  return found == current_.end() ? nullptr : Find(name, found->second);
}

std::vector<const SagaRegistry::Entry*> SagaRegistry::Entries() const {
  std::vector<const Entry*> entries;
  for (const auto& [key, entry] : entries_) entries.push_back(entry.get());
  return entries;
}

}  // namespace sagaflow::engine
