// ReadModel's calls about one order or one saga: `sagactl status <orderId>`, and the console's saga pages, which
// show the same order view for a saga of the order definition.
#include "manifest/service_manifest.h"
#include "readmodel/database_access.h"
#include "readmodel/order_reads.h"
#include "readmodel/read_model.h"
#include "readmodel/saga_reads.h"

namespace sagaflow::readmodel {

namespace {

// The saga and, for the order definition, its order across the services.
SagaDetail DetailOf(const std::string& home, SagaView saga) {
  SagaDetail detail;
  detail.saga = std::move(saga);
  if (detail.saga.saga.definition == kOrderSagaName) {
    detail.order = ReadOrder(home, detail.saga.saga.correlation_id);
    detail.services = ReadOrderAcrossServices(home, detail.saga.saga.correlation_id);
  }
  return detail;
}

}  // namespace

Result<OrderStatus> ReadModel::StatusOfOrder(const std::string& order_id) const {
  return Guarded([&] {
    auto order = ReadOrder(home_, order_id);
    if (!order) throw StatusError(Status::NotFound("no order " + order_id + " in orders.db"));
    OrderStatus status{std::move(*order), std::nullopt, {}};
    {
      auto sagas = OpenReadOnly(home_, DatabaseOf("orchestrator"));
      status.saga = SagaByCorrelation(*sagas, std::string(kOrderSagaName), order_id);
    }
    status.services = ReadOrderAcrossServices(home_, order_id);
    return status;
  });
}

Result<SagaDetail> ReadModel::LoadSaga(const std::string& saga_id) const {
  return Guarded([&] {
    std::optional<SagaView> saga;
    {
      auto sagas = OpenReadOnly(home_, DatabaseOf("orchestrator"));
      saga = SagaById(*sagas, saga_id);
    }
    if (!saga) throw StatusError(Status::NotFound("no saga " + saga_id + " in orchestrator.db"));
    return DetailOf(home_, std::move(*saga));
  });
}

Result<std::vector<SagaDetail>> ReadModel::FindSagas(const std::string& correlation_id) const {
  return Guarded([&] {
    std::vector<SagaView> sagas;
    {
      auto db = OpenReadOnly(home_, DatabaseOf("orchestrator"));
      sagas = SagasWithCorrelation(*db, correlation_id);
    }
    std::vector<SagaDetail> details;
    details.reserve(sagas.size());
    for (auto& saga : sagas) details.push_back(DetailOf(home_, std::move(saga)));
    return details;
  });
}

}  // namespace sagaflow::readmodel
