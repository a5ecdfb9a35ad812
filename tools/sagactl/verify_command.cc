// verify: the guarantees of tools/verify/verify.h over this home's databases, with the stock file as the initial
// stock. A missing database or an unreadable stock file is an environment error (exit 2), not a violation.
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "common/stock_file.h"
#include "tools/sagactl/commands.h"
#include "tools/verify/verify.h"

namespace sagaflow::sagactl {

namespace {

std::map<std::string, int64_t> ReadStockFile(const Context& context) {
  std::ifstream in(context.stock_file);
  if (!in) throw Failure(2, "cannot read stock file " + context.stock_file + " (--stock-file or SAGAFLOW_STOCK_FILE)");
  std::stringstream text;
  text << in.rdbuf();
  auto stock = ParseStockFile(text.str());
  if (!stock.ok()) throw Failure(2, "stock file " + context.stock_file + ": " + stock.status().message());
  return *stock;
}

void PrintViolations(const Context& context, const std::vector<verify::Violation>& violations) {
  if (context.json) {
    JsonWriter json;
    json.BeginObject().Key("ok").Bool(violations.empty()).Key("violations").BeginArray();
    for (const auto& violation : violations) {
      json.BeginObject().Key("guarantee").Int(violation.guarantee).Key("detail").String(violation.detail).EndObject();
    }
    json.EndArray().EndObject();
    *context.out << json.str() << "\n";
    return;
  }
  for (const auto& violation : violations) *context.out << verify::ToString(violation) << "\n";
  if (violations.empty()) {
    *context.out << "ok: every guarantee holds (every order finished, charges and reservations match outcomes, "
                    "stock conserved, orders agree with sagas, outboxes drained, no duplicate notification)\n";
  }
}

}  // namespace

int VerifyCommand(const Context& context, const CommandLine& /*command_line*/) {
  const std::map<std::string, int64_t> stock = ReadStockFile(context);
  // A clear error for a missing database, before verify's own.
  if (Status found = context.read_model().CheckDatabases(); !found.ok()) throw Failure(2, found.message());
  auto result = verify::VerifyGuarantees({context.home + "/data", stock});
  if (!result.ok()) throw Failure(2, result.status().message());
  PrintViolations(context, *result);
  return result->empty() ? 0 : 1;
}

}  // namespace sagaflow::sagactl
