// Participants: the broker accounts a definition names, read from its optional fields (a step's "participant",
// "start.from", "outcome.to" and "outcome.ackFrom", "progress.to"). They say who may publish and consume the saga's
// topics, so the broker's ACL can grant exactly that (definition_accounts.h). The engine never sees them.
//
// Pure: reads a parsed document; every problem is added to `problems` with its JSON path, and a field whose
// structure is wrong elsewhere (a step that is not an object) is left to the definition's own reader to report.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_value.h"
#include "orchestrator/definitions/problems.h"

namespace sagaflow::definitions {

// The orchestrator's own account: its rights follow from the saga's topics, so no field may name it.
inline constexpr std::string_view kOrchestratorAccount = "orchestrator";

struct Participants {
  std::vector<std::string> start_from;        // may publish the start topic
  std::map<std::string, std::string> steps;   // step name -> the account that carries the step out
  std::vector<std::string> outcome_to;        // consume the outcome topics
  std::vector<std::string> outcome_ack_from;  // publish the ack topic (each is in outcome_to too)
  std::vector<std::string> progress_to;       // consume the progress topic

  bool empty() const {
    return start_from.empty() && steps.empty() && outcome_to.empty() && outcome_ack_from.empty() && progress_to.empty();
  }
};

Participants ReadParticipants(const JsonValue& document, Problems& problems);

}  // namespace sagaflow::definitions
