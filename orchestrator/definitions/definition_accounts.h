// definition_accounts: the broker accounts that saga definitions need, so that a definition's topics extend the
// broker's ACL. Each definition grants the orchestrator's account what running it takes (it consumes the start,
// reply, compensation-reply and ack topics and publishes commands, compensations, the outcome and progress) and each
// account the file names what its role takes (participants.h; docs/definitions.md#broker-accounts). Pure functions
// of loaded definitions, except ReadAccountsWithDefinitions, which reads a folder; errors as in definition_folder.h.
#pragma once

#include <filesystem>
#include <vector>

#include "common/status.h"
#include "messaging/broker_accounts.h"
#include "orchestrator/definitions/definition_file.h"

namespace sagaflow::definitions {

// The rights one definition grants, one account per name, the orchestrator's first.
std::vector<messaging::BrokerAccount> AccountsOf(const LoadedDefinition& definition);

// sagaflow's compiled accounts (messaging::SagaflowAccounts) extended by every definition's: what the broker's ACL
// and each process's own start-up checks should use.
std::vector<messaging::BrokerAccount> AccountsWithDefinitions(const std::vector<LoadedDefinition>& definitions);

// The same for the definitions of `folder` (read as the orchestrator reads it; the timeouts and attempts it leaves
// unsaid do not matter here). A broken definition fails it with every problem, one line each.
Result<std::vector<messaging::BrokerAccount>> ReadAccountsWithDefinitions(const std::filesystem::path& folder);

}  // namespace sagaflow::definitions
