// The order saga for tests and tools that need it without an orchestrator: config/sagas/order.json of this source
// tree, read as the orchestrator reads it. The saga itself is that file; nothing here knows orders.
#pragma once

#include "orchestrator/definitions/definition_file.h"
#include "orchestrator/engine/saga_definition.h"
#include "orchestrator/engine/saga_registry.h"

namespace sagaflow::order_saga {

using OrderSagaOptions = definitions::DefinitionSettings;

// The file's path in this source tree.
const char* OrderSagaFile();

// Aborts (it is a test's premise) if the file does not load.
engine::SagaDefinition MakeOrderSaga(const OrderSagaOptions& options);

// A registry holding `saga` alone, as the orchestrator's would with one file in its folder. Aborts if it is invalid.
engine::SagaRegistry RegistryOf(engine::SagaDefinition saga);

}  // namespace sagaflow::order_saga
