// definition_file: reads one saga definition file (JSON, described in docs/definitions.md with the order saga as the
// worked example) into an engine::SagaDefinition whose input check, message builders and reply readers are the
// file's rules and templates, beside the broker accounts the file names (Participants), which the engine never sees.
// Pure: no I/O beyond the text given.
//
// Every problem is reported, not only the first: InvalidArgument with one line per problem,
// "<file>: <JSON path>: <what is wrong>".
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "orchestrator/definitions/participants.h"
#include "orchestrator/engine/saga_definition.h"

namespace sagaflow::definitions {

// What a file leaves unsaid (the orchestrator's flags): a step's reply timeout and sends, and a compensation's sends.
struct DefinitionSettings {
  Millis step_timeout{10'000};
  int step_attempts = 4;
  int compensation_attempts = 20;
};

struct LoadedDefinition {
  engine::SagaDefinition saga;  // its name and version included
  std::string file;             // where it was read from, for messages
  std::string content;          // the text it was read from: what a version stands for
  Participants participants;    // the broker accounts it names, for the ACL (definition_accounts.h)
};

Result<LoadedDefinition> ParseDefinition(std::string_view text, const std::string& file,
                                         const DefinitionSettings& settings);

}  // namespace sagaflow::definitions
