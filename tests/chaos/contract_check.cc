#include "tests/chaos/contract_check.h"

namespace sagaflow::testing {

SagactlResult SagactlVerify(System& system) {
  Process sagactl(BinDir() + "/sagactl", {"verify"},
                  {{"SAGAFLOW_HOME", system.home()}, {"SAGAFLOW_STOCK_FILE", system.home() + "/stock.json"}},
                  system.home() + "/log/sagactl.log");
  sagactl.Start();
  SagactlResult result;
  result.exit_code = sagactl.WaitExit(std::chrono::seconds(60));
  result.output = sagactl.Log();
  return result;
}

ContractCheck CheckContractOnce(System& system) {
  ContractCheck check;
  auto result = verify::VerifyGuarantees({system.data_dir(), system.options().stock});
  if (result.ok()) {
    check.violations = *result;
  } else {
    check.violations = {{0, result.status().ToString()}};
  }
  check.sagactl = SagactlVerify(system);
  return check;
}

}  // namespace sagaflow::testing
