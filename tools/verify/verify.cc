#include "tools/verify/verify.h"

#include <array>
#include <exception>

#include "tools/verify/guarantees.h"

namespace sagaflow::verify {

std::string ToString(const Violation& violation) {
  return "guarantee " + std::to_string(violation.guarantee) + ": " + violation.detail;
}

Result<std::vector<Violation>> VerifyGuarantees(const VerifyOptions& options) {
  auto evidence = GatherEvidence(options);
  if (!evidence.ok()) return evidence.status();
  using Check = std::vector<Violation> (*)(const Evidence&);
  // In the order of their numbers: the report lists guarantee 1's violations first.
  const std::array<Check, 6> checks = {EveryOrderIsTerminal, ChargesAndReservationsMatchOutcomes,
                                       StockIsConserved,     OrdersAgreeWithSagas,
                                       OutboxesAreDrained,   OneNotificationPerKind};
  std::vector<Violation> violations;
  try {
    for (const Check check : checks) {
      std::vector<Violation> found = check(*evidence);
      violations.insert(violations.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
  } catch (const std::exception& e) {
    return Status::IoError(e.what());
  }
  return violations;
}

}  // namespace sagaflow::verify
