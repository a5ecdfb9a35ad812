// definition_folder: the saga definitions the orchestrator runs, read from the *.json files of one folder (default
// config/sagas/, SAGAFLOW_SAGAS_DIR). Every file is read and checked before any is used: InvalidArgument lists every
// problem of every file, one line each ("<file>: <JSON path>: <what is wrong>"), so an operator fixes them in one
// go. Two files defining the same saga name are a problem too.
#pragma once

#include <filesystem>
#include <vector>

#include "common/status.h"
#include "orchestrator/definitions/definition_file.h"

namespace sagaflow::definitions {

// A definition file larger than this is refused unread.
inline constexpr uintmax_t kMaxDefinitionFileBytes = 1024 * 1024;

Result<LoadedDefinition> ReadDefinitionFile(const std::filesystem::path& file, const DefinitionSettings& settings);

// The definitions of `folder`, ordered by file name. NotFound if the folder does not exist; InvalidArgument if
// it holds no definition.
Result<std::vector<LoadedDefinition>> ReadDefinitionFolder(const std::filesystem::path& folder,
                                                           const DefinitionSettings& settings);

}  // namespace sagaflow::definitions
