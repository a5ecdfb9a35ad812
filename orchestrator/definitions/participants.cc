#include "orchestrator/definitions/participants.h"

#include <algorithm>
#include <array>
#include <optional>

#include "messaging/broker_accounts.h"

namespace sagaflow::definitions {
namespace {

constexpr size_t kMaxAccountBytes = 64;

// The accounts whose rights sagaflow fixes itself: a definition naming one would widen what it may do.
constexpr std::array<std::string_view, 3> kReserved = {kOrchestratorAccount, messaging::kObserverAccount,
                                                       messaging::kBenchAccount};

// A name that is safe as a broker user name, an ACL line and a secret's file name.
bool IsAccountName(std::string_view name) {
  if (name.empty() || name.size() > kMaxAccountBytes || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::optional<std::string> ReadName(const JsonValue& node, const std::string& path, Problems& problems) {
  if (!node.is_string() || !IsAccountName(node.text())) {
    problems.Add(path, "must be an account name: letters, digits and -, not starting with -, at most 64");
    return std::nullopt;
  }
  if (std::find(kReserved.begin(), kReserved.end(), node.text()) != kReserved.end()) {
    problems.Add(path, node.text() + " is an account sagaflow reserves (orchestrator, observer, bench)");
    return std::nullopt;
  }
  return node.text();
}

std::string Indexed(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// The list `key` of the object `section` (at `section_path`): a non-empty array of distinct account names.
std::vector<std::string> ReadList(const JsonValue* section, const std::string& section_path, std::string_view key,
                                  Problems& problems) {
  const JsonValue* list = section == nullptr ? nullptr : section->Find(key);
  if (list == nullptr) return {};
  const std::string path = ChildPath(section_path, key);
  if (!list->is_array() || list->items().empty()) {
    problems.Add(path, "must be a non-empty array of account names");
    return {};
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < list->items().size(); ++i) {
    auto name = ReadName(list->items()[i], Indexed(path, i), problems);
    if (!name) continue;
    if (std::find(names.begin(), names.end(), *name) != names.end()) {
      problems.Add(Indexed(path, i), *name + " is listed twice");
      continue;
    }
    names.push_back(std::move(*name));
  }
  return names;
}

void ReadSteps(const JsonValue& document, Problems& problems, Participants& participants) {
  const JsonValue* stages = document.Find("stages");
  if (stages == nullptr || !stages->is_array()) return;
  for (size_t i = 0; i < stages->items().size(); ++i) {
    const JsonValue* steps = stages->items()[i].Find("steps");
    if (steps == nullptr || !steps->is_array()) continue;
    for (size_t j = 0; j < steps->items().size(); ++j) {
      const JsonValue& step = steps->items()[j];
      const JsonValue* participant = step.Find("participant");
      if (participant == nullptr) continue;
      const std::string path = Indexed(Indexed("$.stages", i) + ".steps", j) + ".participant";
      auto name = ReadName(*participant, path, problems);
      const JsonValue* step_name = step.Find("name");
      if (name && step_name != nullptr && step_name->is_string()) participants.steps[step_name->text()] = *name;
    }
  }
}

// An account that acknowledges the outcome must receive it, so a name only in ackFrom is most likely misspelt.
void CheckAcknowledgersConsume(const Participants& participants, Problems& problems) {
  const auto& to = participants.outcome_to;
  for (const auto& name : participants.outcome_ack_from) {
    if (std::find(to.begin(), to.end(), name) == to.end()) {
      problems.Add("$.outcome.ackFrom", name +
                                            " must be in $.outcome.to too: an account acknowledges the outcome it "
                                            "consumes");
    }
  }
}

}  // namespace

Participants ReadParticipants(const JsonValue& document, Problems& problems) {
  Participants participants;
  participants.start_from = ReadList(document.Find("start"), "$.start", "from", problems);
  ReadSteps(document, problems, participants);
  const JsonValue* outcome = document.Find("outcome");
  participants.outcome_to = ReadList(outcome, "$.outcome", "to", problems);
  participants.outcome_ack_from = ReadList(outcome, "$.outcome", "ackFrom", problems);
  CheckAcknowledgersConsume(participants, problems);
  participants.progress_to = ReadList(document.Find("progress"), "$.progress", "to", problems);
  return participants;
}

}  // namespace sagaflow::definitions
