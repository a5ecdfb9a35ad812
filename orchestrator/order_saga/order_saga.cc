#include "orchestrator/order_saga/order_saga.h"

#include <cstdio>
#include <cstdlib>

#include "orchestrator/definitions/definition_folder.h"

namespace sagaflow::order_saga {

const char* OrderSagaFile() {
  return SAGAFLOW_SOURCE_DIR "/config/sagas/order.json";
}

engine::SagaDefinition MakeOrderSaga(const OrderSagaOptions& options) {
  auto loaded = definitions::ReadDefinitionFile(OrderSagaFile(), options);
  if (!loaded.ok()) {
    std::fprintf(stderr, "cannot load the order saga: %s\n", loaded.status().ToString().c_str());
    std::abort();
  }
  return std::move(loaded->saga);
}

engine::SagaRegistry RegistryOf(engine::SagaDefinition saga) {
  engine::SagaRegistry registry;
  if (Status added = registry.Add(std::move(saga), true); !added.ok()) {
    std::fprintf(stderr, "cannot hold the saga: %s\n", added.ToString().c_str());
    std::abort();
  }
  return registry;
}

}  // namespace sagaflow::order_saga
