#include "tests/support/system.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <simdjson.h>

#include <fstream>
#include <stdexcept>
#include <thread>

#include "orchestrator/definitions/definition_accounts.h"

namespace sagaflow::testing {

std::string OrderBody(const std::string& customer, const std::string& product, int quantity, const std::string& price) {
  return R"({"customerId": ")" + customer + R"(", "items": [{"productId": ")" + product + R"(", "quantity": )" +
         std::to_string(quantity) + R"(, "price": )" + price + "}]}";
}

int64_t Query(const std::string& db_path, const std::string& sql) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

std::string QueryText(const std::string& db_path, const std::string& sql) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  SQLite::Statement statement(db, sql);
  return statement.executeStep() ? statement.getColumn(0).getString() : "";
}

namespace {

std::vector<messaging::BrokerAccount> AccountsOf(const std::string& sagas_dir) {
  auto accounts = definitions::ReadAccountsWithDefinitions(sagas_dir);
  if (!accounts.ok()) throw std::runtime_error("the broker's accounts: " + accounts.status().message());
  return *accounts;
}

}  // namespace

System::System(SystemOptions options) : options_(std::move(options)), ports_{FreePort(), FreePortRange(5)} {
  if (options_.sagas_dir.empty()) options_.sagas_dir = SourceDir() + "/config/sagas";
  broker_ = std::make_unique<Broker>(home_.path(), ports_.mqtt, AccountsOf(options_.sagas_dir));
  const std::string stock_file = home_.path() + "/stock.json";
  {
    std::ofstream out(stock_file);
    out << "{";
    bool first = true;
    for (const auto& [product, quantity] : options_.stock) {
      out << (first ? "" : ",") << "\"" << product << "\":" << quantity;
      first = false;
    }
    out << "}";
  }
  std::map<std::string, std::string> env{
      {"SAGAFLOW_PAYMENT_DELAY_MS", std::to_string(options_.payment_delay_ms)},
      {"SAGAFLOW_INVENTORY_DELAY_MS", std::to_string(options_.inventory_delay_ms)},
      {"SAGAFLOW_STEP_TIMEOUT_MS", std::to_string(options_.step_timeout_ms)},
      {"SAGAFLOW_NUDGE_MS", std::to_string(options_.nudge_ms)},
      {"SAGAFLOW_STOCK_FILE", stock_file},
      {"SAGAFLOW_SAGAS_DIR", options_.sagas_dir},
  };
  for (const auto& [key, value] : options_.extra_env) env[key] = value;
  for (const auto& name : ServiceNames()) {
    services_[name] = std::make_unique<Service>(name, home_.path(), ports_, env);
  }
}

System::~System() {
  for (auto& [name, service] : services_) service->Kill();
  broker_->Kill();
}

void System::Start() {
  broker_->Start();
  for (const auto& name : ServiceNames()) services_[name]->Start();
  for (const auto& name : ServiceNames()) {
    if (!services_[name]->WaitHealthy(std::chrono::seconds(30))) {
      throw std::runtime_error(name + " did not become healthy:\n" + services_[name]->process().Log());
    }
  }
}

Process& System::process(const std::string& name) {
  if (name == "mosquitto") return broker_->process();
  return services_.at(name)->process();
}

void System::Kill(const std::string& name) {
  if (name == "mosquitto") {
    broker_->Kill();
  } else {
    services_.at(name)->Kill();
  }
}

void System::Restart(const std::string& name) {
  if (name == "mosquitto") {
    broker_->Start();
  } else {
    services_.at(name)->Start();
  }
}

bool System::IsRunning(const std::string& name) {
  return process(name).IsRunning();
}

std::optional<std::string> System::PostOrder(HttpClient& client, const std::string& body, const std::string& key,
                                             std::chrono::milliseconds deadline) {
  std::optional<std::string> order_id;
  Eventually(
      [&] {
        auto response = client.PostJson("/api/orders", body, {{"Idempotency-Key", key}});
        if (response.status == 200 || response.status == 202) {
          simdjson::dom::parser parser;
          std::string_view id;
          if (!parser.parse(response.body).get_object()["orderId"].get_string().get(id)) order_id = std::string(id);
          return true;
        }
        return response.status >= 400 && response.status < 500;  // a 4xx will not change
      },
      deadline);
  return order_id;
}

std::string System::StatusOf(HttpClient& client, const std::string& order_id) {
  auto response = client.Get("/api/orders/" + order_id);
  if (response.status != 200) return "";
  simdjson::dom::parser parser;
  std::string_view status;
  if (parser.parse(response.body).get_object()["status"].get_string().get(status)) return "";
  return std::string(status);
}

std::vector<std::string> System::HistoryOf(HttpClient& client, const std::string& order_id) {
  auto response = client.Get("/api/orders/" + order_id);
  std::vector<std::string> events;
  if (response.status != 200) return events;
  simdjson::dom::parser parser;
  simdjson::dom::array history;
  if (parser.parse(response.body).get_object()["history"].get_array().get(history)) return events;
  for (simdjson::dom::element entry : history) {
    std::string_view event;
    if (!entry["event"].get_string().get(event)) events.emplace_back(event);
  }
  return events;
}

bool System::WaitAllTerminal(const std::vector<std::string>& order_ids, std::chrono::milliseconds timeout) {
  HttpClient client(ports_.http);
  size_t next = 0;  // orders before this one are known to be terminal
  return Eventually(
      [&] {
        while (next < order_ids.size()) {
          const std::string status = StatusOf(client, order_ids[next]);
          if (status != "COMPLETED" && status != "CANCELLED") return false;
          ++next;
        }
        return true;
      },
      timeout);
}

std::vector<verify::Violation> System::WaitGuarantees(std::chrono::milliseconds timeout) {
  std::vector<verify::Violation> violations;
  Eventually(
      [&] {
        auto result = verify::VerifyGuarantees({data_dir(), options_.stock});
        if (!result.ok()) {
          violations = {{0, result.status().ToString()}};
          return false;
        }
        violations = *result;
        return violations.empty();
      },
      timeout);
  return violations;
}

std::string System::Logs() const {
  std::string out;
  for (const auto& name :
       {"mosquitto", "order-service", "orchestrator", "payment-service", "inventory-service", "notification-service"}) {
    std::string log = ReadFile(home_.path() + "/log/" + name + ".log");
    if (log.size() > 4000) log = "..." + log.substr(log.size() - 4000);
    out += std::string("==== ") + name + " ====\n" + log + "\n";
  }
  return out;
}

}  // namespace sagaflow::testing
