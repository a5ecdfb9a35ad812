#include "orchestrator/definitions/definition_accounts.h"

#include <string>

#include "orchestrator/definitions/definition_folder.h"

namespace sagaflow::definitions {
namespace {

using messaging::BrokerAccount;
using Topics = std::vector<std::string>;

// Adds `publishes` and `consumes` to the account `name`, made if it is not there yet: a participant, which keeps a
// session and reads only what it consumes.
void Grant(std::vector<BrokerAccount>& accounts, const std::string& name, const Topics& publishes,
           const Topics& consumes) {
  BrokerAccount grant;
  grant.name = name;
  grant.publishes = publishes;
  grant.consumes = consumes;
  accounts = messaging::MergeAccounts(std::move(accounts), {grant});
}

void GrantEach(std::vector<BrokerAccount>& accounts, const std::vector<std::string>& names, const Topics& publishes,
               const Topics& consumes) {
  for (const auto& name : names) Grant(accounts, name, publishes, consumes);
}

void GrantSteps(std::vector<BrokerAccount>& accounts, const engine::SagaDefinition& saga,
                const Participants& participants) {
  for (const auto& stage : saga.stages) {
    for (const auto& step : stage.steps) {
      auto participant = participants.steps.find(step.name);
      if (participant == participants.steps.end()) continue;
      Topics publishes{step.reply_topic};
      Topics consumes{step.command_topic};
      if (!step.compensation_topic.empty()) {
        publishes.push_back(step.compensation_reply_topic);
        consumes.push_back(step.compensation_topic);
      }
      Grant(accounts, participant->second, publishes, consumes);
    }
  }
}

}  // namespace

std::vector<BrokerAccount> AccountsOf(const LoadedDefinition& definition) {
  const engine::SagaDefinition& saga = definition.saga;
  const Participants& participants = definition.participants;
  std::vector<BrokerAccount> accounts;
  // The very lists the orchestrator subscribes to and checks it may publish at start, so the two cannot drift.
  Grant(accounts, std::string(kOrchestratorAccount), saga.PublishedTopics(), saga.ConsumedTopics());
  GrantEach(accounts, participants.start_from, {saga.start_topic}, {});
  GrantSteps(accounts, saga, participants);
  GrantEach(accounts, participants.outcome_to, {}, saga.outcome.topics);
  GrantEach(accounts, participants.outcome_ack_from, {saga.outcome.ack_topic}, {});
  if (!saga.progress_topic.empty()) GrantEach(accounts, participants.progress_to, {}, {saga.progress_topic});
  return accounts;
}

std::vector<BrokerAccount> AccountsWithDefinitions(const std::vector<LoadedDefinition>& definitions) {
  std::vector<BrokerAccount> accounts = messaging::SagaflowAccounts();
  for (const auto& definition : definitions) {
    accounts = messaging::MergeAccounts(std::move(accounts), AccountsOf(definition));
  }
  return accounts;
}

Result<std::vector<BrokerAccount>> ReadAccountsWithDefinitions(const std::filesystem::path& folder) {
  auto definitions = ReadDefinitionFolder(folder, DefinitionSettings{});
  if (!definitions.ok()) return definitions.status();
  return AccountsWithDefinitions(*definitions);
}

}  // namespace sagaflow::definitions
