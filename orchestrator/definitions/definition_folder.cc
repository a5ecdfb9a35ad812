#include "orchestrator/definitions/definition_folder.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace sagaflow::definitions {

Result<LoadedDefinition> ReadDefinitionFile(const std::filesystem::path& file, const DefinitionSettings& settings) {
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(file, error);
  if (error) return Status::InvalidArgument(file.string() + ": cannot be read: " + error.message());
  if (size > kMaxDefinitionFileBytes) {
    return Status::InvalidArgument(file.string() + ": is larger than " + std::to_string(kMaxDefinitionFileBytes) +
                                   " bytes");
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return Status::InvalidArgument(file.string() + ": cannot be read");
  return ParseDefinition(text.str(), file.string(), settings);
}

Result<std::vector<LoadedDefinition>> ReadDefinitionFolder(const std::filesystem::path& folder,
                                                           const DefinitionSettings& settings) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    return Status::NotFound(folder.string() + ": no such folder of saga definitions");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (entry.path().extension() == ".json" && !entry.is_directory()) files.push_back(entry.path());
  }
  if (error) return Status::InvalidArgument(folder.string() + ": cannot be listed: " + error.message());
  std::sort(files.begin(), files.end());
  std::vector<LoadedDefinition> loaded;
  std::string problems;
  std::map<std::string, std::string> file_of_name;
  for (const auto& file : files) {
    auto definition = ReadDefinitionFile(file, settings);
    if (!definition.ok()) {
      problems += (problems.empty() ? "" : "\n") + definition.status().message();
      continue;
    }
    const std::string& name = definition->saga.name;
    if (auto [it, inserted] = file_of_name.emplace(name, file.string()); !inserted) {
      problems += (problems.empty() ? "" : "\n") + file.string() + ": $.name: saga " + name + " is defined by " +
                  it->second + " too";
      continue;
    }
    loaded.push_back(std::move(*definition));
  }
  if (!problems.empty()) return Status::InvalidArgument(problems);
  if (loaded.empty()) return Status::InvalidArgument(folder.string() + ": holds no saga definition (*.json)");
  return loaded;
}

}  // namespace sagaflow::definitions
