#include "migrations/service_schema.h"

#include <map>
#include <optional>
#include <string>

#include "manifest/service_manifest.h"
#include "migrations/embedded_migrations.h"

namespace sagaflow::migrations {

namespace {

const ServiceManifest* FindBySchema(std::string_view service) {
  for (const auto& manifest : SagaflowServices()) {
    if (manifest.migrations == service) return &manifest;
  }
  return nullptr;
}

// The last version of each service's own list of migrations in the release before components; a database at it
// has exactly the tables of its components' first migrations.
std::optional<storage::LegacySchema> LegacySchemaOf(std::string_view service) {
  static const std::map<std::string, int, std::less<>> kFinalVersions = {
      {"order", 3}, {"orchestrator", 3}, {"payment", 4}, {"inventory", 4}, {"notification", 3}};
  auto found = kFinalVersions.find(service);
  if (found == kFinalVersions.end()) return std::nullopt;
  return storage::LegacySchema{found->second};
}

}  // namespace

std::vector<storage::SchemaComponent> SchemaOf(std::string_view service) {
  std::vector<storage::SchemaComponent> components;
  const ServiceManifest* manifest = FindBySchema(service);
  if (manifest == nullptr) return components;
  for (const auto& component : manifest->schema) components.push_back({component, ForComponent(component)});
  return components;
}

Status MigrateService(storage::Database& db, std::string_view service, TimePoint now) {
  const auto components = SchemaOf(service);
  if (components.empty()) return Status::InvalidArgument("no service has the schema " + std::string(service));
  return storage::Migrate(db, components, now, LegacySchemaOf(service));
}

}  // namespace sagaflow::migrations
