#include "tools/sagactl/sagactl.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/money.h"
#include "common/secret_file.h"
#include "common/stock_file.h"
#include "common/time_format.h"
#include "http/client/http_client.h"
#include "http/health.h"
#include "manifest/service_manifest.h"
#include "tools/sagactl/table.h"
#include "tools/verify/verify.h"

namespace sagaflow::sagactl {

namespace {

constexpr const char* kUsage =
    "usage: sagactl [--home DIR] [--json] [--http-port N] [--stock-file F] <command>\n"
    "commands:\n"
    "  status <orderId>                  everything about one order across all databases, and why it waits\n"
    "  list [--state S] [--older-than D]  sagas by state (D like 30s, 5m, 2h)\n"
    "  stuck [--older-than D]            non-terminal sagas with no pending timer, or not updated for D (60s);\n"
    "                                    and orders with no saga at all after D\n"
    "  retry <orderId>                   ask the orchestrator to re-drive a FAILED or stuck saga\n"
    "  verify                            check the contract's guarantees; exit 1 if any is violated\n"
    "  outbox                            unpublished outbox rows and the oldest age, per service\n"
    "  dlq                               dead-lettered messages, per service\n";

// An error that ends the command with its exit code and a one-line message.
struct Failure : std::runtime_error {
  Failure(int code, const std::string& message) : std::runtime_error(message), exit_code(code) {}
  int exit_code;
};

// Each service's database file, from the manifest.
std::string DatabaseOf(std::string_view service) {
  return ServiceNamed(service).db_file;
}

// (service, database file) for each service, in the manifest's order.
std::vector<std::pair<std::string, std::string>> ServiceDatabases() {
  std::vector<std::pair<std::string, std::string>> databases;
  for (const auto& service : SagaflowServices()) databases.emplace_back(service.name, service.db_file);
  return databases;
}

struct Context {
  std::string home;
  bool json = false;
  int http_port = 5000;
  std::string stock_file;
  std::ostream* out = nullptr;
  TimePoint now{};

  std::unique_ptr<SQLite::Database> Open(const std::string& file) const {
    const std::string path = home + "/data/" + file;
    if (!std::filesystem::exists(path)) {
      throw Failure(2, "database " + path + " does not exist (has that service run under this SAGAFLOW_HOME?)");
    }
    return std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, 5000);
  }
};

std::optional<Millis> ParseDuration(const std::string& text) {
  long long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) return std::nullopt;
  const std::string unit(ptr, text.data() + text.size());
  long long factor = 0;
  if (unit == "ms") factor = 1;
  if (unit == "s" || unit.empty()) factor = 1000;
  if (unit == "m") factor = 60'000;
  if (unit == "h") factor = 3'600'000;
  if (factor == 0 || value > std::numeric_limits<long long>::max() / factor) return std::nullopt;
  return Millis(value * factor);
}

// The order service's port; the orchestrator's admin port (what retry calls) is above it (the manifest's offset).
std::optional<int> ParsePort(const std::string& text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > 65534) return std::nullopt;
  return value;
}

std::string Text(SQLite::Statement& row, int column) {
  return row.getColumn(column).isNull() ? "" : row.getColumn(column).getString();
}

std::string Age(const Context& context, const std::string& iso) {
  auto at = ParseIso8601(iso);
  if (!at.ok()) return "?";
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(context.now - *at).count();
  if (seconds < 120) return std::to_string(seconds) + "s";
  if (seconds < 7200) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds / 3600) + "h";
}

std::string Deadline(SQLite::Statement& row, int column) {
  return row.getColumn(column).isNull() ? "" : FormatIso8601(FromEpochMillis(row.getColumn(column).getInt64()));
}

// --- status -------------------------------------------------------------------------------------

int Status(const Context& context, const std::string& order_id) {
  auto orders = context.Open(DatabaseOf("order-service"));
  SQLite::Statement order(*orders,
                          "SELECT customer_id, status, reason, total_cents, created_at, updated_at FROM orders "
                          "WHERE order_id = ?");
  order.bind(1, order_id);
  if (!order.executeStep()) throw Failure(1, "no order " + order_id + " in orders.db");
  JsonWriter json;
  std::ostringstream text;
  const std::string status = order.getColumn(1).getString();
  json.BeginObject()
      .Key("orderId")
      .String(order_id)
      .Key("order")
      .BeginObject()
      .Key("customerId")
      .String(order.getColumn(0).getString())
      .Key("status")
      .String(status)
      .Key("reason")
      .String(Text(order, 2))
      .Key("totalAmount")
      .Raw(FormatMoney(order.getColumn(3).getInt64()))
      .Key("createdAt")
      .String(order.getColumn(4).getString())
      .Key("updatedAt")
      .String(order.getColumn(5).getString());
  text << "order " << Printable(order_id) << "\n  customer " << Printable(order.getColumn(0).getString()) << ", status "
       << Printable(status) << (Printable(Text(order, 2)).empty() ? "" : " (" + Printable(Text(order, 2)) + ")")
       << ", total " << FormatMoney(order.getColumn(3).getInt64()) << ", created "
       << Printable(order.getColumn(4).getString()) << ", updated " << Printable(order.getColumn(5).getString())
       << "\n";
  SQLite::Statement history(*orders, "SELECT at, event FROM order_history WHERE order_id = ? ORDER BY seq");
  history.bind(1, order_id);
  json.Key("history").BeginArray();
  text << "  history:\n";
  while (history.executeStep()) {
    json.BeginObject()
        .Key("at")
        .String(history.getColumn(0).getString())
        .Key("event")
        .String(history.getColumn(1).getString())
        .EndObject();
    text << "    " << Printable(history.getColumn(0).getString()) << "  " << Printable(history.getColumn(1).getString())
         << "\n";
  }
  json.EndArray().EndObject();

  // The saga and why it waits.
  auto sagas = context.Open(DatabaseOf("orchestrator"));
  SQLite::Statement saga(*sagas, "SELECT saga_id, state, failure_reason, updated_at FROM sagas WHERE order_id = ?");
  saga.bind(1, order_id);
  json.Key("saga");
  if (!saga.executeStep()) {
    json.Null();
    text << "saga: none yet (orders/created not received by the orchestrator";
    text << (status == "PENDING" ? "; the order service's nudge will publish it again)\n" : ")\n");
  } else {
    const std::string saga_id = saga.getColumn(0).getString();
    const std::string state = saga.getColumn(1).getString();
    json.BeginObject()
        .Key("sagaId")
        .String(saga_id)
        .Key("state")
        .String(state)
        .Key("failureReason")
        .String(Text(saga, 2))
        .Key("updatedAt")
        .String(saga.getColumn(3).getString());
    text << "saga " << Printable(saga_id) << ": " << Printable(state)
         << (Printable(Text(saga, 2)).empty() ? "" : " (" + Printable(Text(saga, 2)) + ")") << ", updated "
         << Printable(saga.getColumn(3).getString()) << "\n";
    SQLite::Statement steps(*sagas,
                            "SELECT step, status, attempts, compensation_attempts, deadline, sent_at, last_reply "
                            "FROM saga_steps WHERE saga_id = ? ORDER BY stage < 0, stage, rowid");
    steps.bind(1, saga_id);
    Table table({"step", "status", "attempts", "comp.attempts", "deadline", "last reply"});
    std::vector<std::string> waiting;
    std::vector<std::string> compensating;  // of a finished saga: a success reported after the step failed
    json.Key("steps").BeginArray();
    while (steps.executeStep()) {
      const std::string name = steps.getColumn(0).getString();
      const std::string step_status = steps.getColumn(1).getString();
      table.Add({name, step_status, steps.getColumn(2).getString(), steps.getColumn(3).getString(), Deadline(steps, 4),
                 Text(steps, 6)});
      json.BeginObject()
          .Key("step")
          .String(name)
          .Key("status")
          .String(step_status)
          .Key("attempts")
          .Int(steps.getColumn(2).getInt64())
          .Key("compensationAttempts")
          .Int(steps.getColumn(3).getInt64())
          .Key("deadline")
          .String(Deadline(steps, 4))
          .Key("lastReply")
          .String(Text(steps, 6))
          .EndObject();
      if (!steps.getColumn(4).isNull()) {
        waiting.push_back("step " + name + " is " + step_status + ": waiting for its " +
                          (step_status == "COMPENSATING" ? "compensation's reply" : "reply") + " since " +
                          Deadline(steps, 5) + " (attempt " +
                          steps.getColumn(step_status == "COMPENSATING" ? 3 : 2).getString() + "); next retry at " +
                          Deadline(steps, 4));
        if (step_status == "COMPENSATING")
          compensating.push_back(waiting.back() + " (a success reported after the step failed)");
      }
    }
    json.EndArray();
    text << table.Render();
    json.Key("waiting").BeginArray();
    if (state == "RUNNING" || state == "COMPENSATING" || state == "FAILED") {
      if (waiting.empty()) {
        const std::string why = state == "FAILED"
                                    ? "FAILED: a compensation was never confirmed; run `sagactl retry " + order_id + "`"
                                    : "no step has a pending timer: stuck; run `sagactl retry " + order_id + "`";
        waiting.push_back(why);
      }
      for (const auto& line : waiting) {
        json.String(line);
        text << "  why waiting: " << Printable(line) << "\n";
      }
    } else {
      // A finished saga's outcome stands; it still undoes a step whose success was reported after its failure.
      for (const auto& line : compensating) {
        json.String(line);
        text << "  why waiting: " << Printable(line) << "\n";
      }
    }
    json.EndArray().EndObject();
  }

  auto payments = context.Open(DatabaseOf("payment-service"));
  SQLite::Statement payment(*payments,
                            "SELECT payment_id, amount_cents, status, updated_at FROM payments WHERE order_id = ?");
  payment.bind(1, order_id);
  json.Key("payment");
  if (payment.executeStep()) {
    json.BeginObject()
        .Key("paymentId")
        .String(payment.getColumn(0).getString())
        .Key("amount")
        .Raw(FormatMoney(payment.getColumn(1).getInt64()))
        .Key("status")
        .String(payment.getColumn(2).getString())
        .EndObject();
    text << "payment " << Printable(payment.getColumn(0).getString()) << ": "
         << Printable(payment.getColumn(2).getString()) << " " << FormatMoney(payment.getColumn(1).getInt64()) << "\n";
  } else {
    json.Null();
    text << "payment: none\n";
  }

  auto inventory = context.Open(DatabaseOf("inventory-service"));
  SQLite::Statement reservation(*inventory,
                                "SELECT reservation_id, status, reason FROM reservations WHERE order_id = ?");
  reservation.bind(1, order_id);
  json.Key("reservation");
  if (reservation.executeStep()) {
    const std::string reservation_id = reservation.getColumn(0).getString();
    json.BeginObject()
        .Key("reservationId")
        .String(reservation_id)
        .Key("status")
        .String(reservation.getColumn(1).getString())
        .Key("reason")
        .String(Text(reservation, 2))
        .Key("items")
        .BeginArray();
    text << "reservation " << Printable(reservation_id) << ": " << Printable(reservation.getColumn(1).getString())
         << (Printable(Text(reservation, 2)).empty() ? "" : " (" + Printable(Text(reservation, 2)) + ")");
    SQLite::Statement items(*inventory, "SELECT product_id, quantity FROM reservation_items WHERE reservation_id = ?");
    items.bind(1, reservation_id);
    while (items.executeStep()) {
      json.BeginObject()
          .Key("productId")
          .String(items.getColumn(0).getString())
          .Key("quantity")
          .Int(items.getColumn(1).getInt64())
          .EndObject();
      text << " " << Printable(items.getColumn(0).getString()) << "x" << Printable(items.getColumn(1).getString());
    }
    json.EndArray().EndObject();
    text << "\n";
  } else {
    json.Null();
    text << "reservation: none\n";
  }

  auto notifications = context.Open(DatabaseOf("notification-service"));
  SQLite::Statement sent(*notifications,
                         "SELECT kind, message, created_at FROM notifications WHERE order_id = ? ORDER BY created_at");
  sent.bind(1, order_id);
  json.Key("notifications").BeginArray();
  text << "notifications:\n";
  while (sent.executeStep()) {
    json.BeginObject()
        .Key("kind")
        .String(sent.getColumn(0).getString())
        .Key("message")
        .String(sent.getColumn(1).getString())
        .Key("at")
        .String(sent.getColumn(2).getString())
        .EndObject();
    text << "  " << Printable(sent.getColumn(2).getString()) << "  " << Printable(sent.getColumn(0).getString()) << ": "
         << Printable(sent.getColumn(1).getString()) << "\n";
  }
  json.EndArray();

  json.Key("unpublished").BeginArray();
  text << "outbox rows about this order not yet published:";
  int unpublished = 0;
  for (const auto& [service, file] : ServiceDatabases()) {
    auto db = context.Open(file);
    SQLite::Statement rows(*db,
                           "SELECT id, topic, created_at FROM outbox WHERE published_at IS NULL AND payload LIKE ?");
    rows.bind(1, "%" + order_id + "%");
    while (rows.executeStep()) {
      ++unpublished;
      json.BeginObject()
          .Key("service")
          .String(service)
          .Key("id")
          .Int(rows.getColumn(0).getInt64())
          .Key("topic")
          .String(rows.getColumn(1).getString())
          .Key("createdAt")
          .String(rows.getColumn(2).getString())
          .EndObject();
      text << "\n  " << Printable(service) << " #" << Printable(rows.getColumn(0).getString()) << " "
           << Printable(rows.getColumn(1).getString()) << " since " << Printable(rows.getColumn(2).getString());
    }
  }
  json.EndArray().EndObject();
  text << (unpublished == 0 ? " none\n" : "\n");
  *context.out << (context.json ? json.str() + "\n" : text.str());
  return 0;
}

// --- list and stuck -----------------------------------------------------------------------------

// An order normally has its saga within milliseconds; after the nudge has re-published it twice, it is not
// in flight but refused (see the orchestrator's dead letters).
constexpr Millis kNoSagaGrace{60'000};

// Orders that are not terminal, older than `grace`, and that the orchestrator has no saga for: their
// orders/created never started one. Adds them to both outputs; returns how many.
int AddOrdersWithoutSaga(const Context& context, SQLite::Database& sagas, Millis grace, Table& table,
                         JsonWriter& json) {
  auto orders = context.Open(DatabaseOf("order-service"));
  SQLite::Statement pending(*orders,
                            "SELECT order_id, status, created_at FROM orders "
                            "WHERE status NOT IN ('COMPLETED', 'CANCELLED') ORDER BY created_at");
  SQLite::Statement saga(sagas, "SELECT 1 FROM sagas WHERE order_id = ?");
  const std::string reason = "no saga: the orchestrator did not start one (sagactl dlq)";
  int count = 0;
  while (pending.executeStep()) {
    const std::string created = pending.getColumn(2).getString();
    auto created_at = ParseIso8601(created);
    if (!created_at.ok() || context.now - *created_at < grace) continue;
    const std::string order_id = pending.getColumn(0).getString();
    saga.reset();
    saga.bind(1, order_id);
    if (saga.executeStep()) continue;
    ++count;
    table.Add({order_id, "none", pending.getColumn(1).getString(), reason, created, Age(context, created), "none"});
    json.BeginObject()
        .Key("orderId")
        .String(order_id)
        .Key("sagaId")
        .String("")
        .Key("state")
        .String(pending.getColumn(1).getString())
        .Key("reason")
        .String(reason)
        .Key("updatedAt")
        .String(created)
        .Key("nextTimer")
        .String("")
        .EndObject();
  }
  return count;
}

int List(const Context& context, const std::string& state, std::optional<Millis> older_than, bool stuck_only) {
  auto sagas = context.Open(DatabaseOf("orchestrator"));
  std::string sql =
      "SELECT s.saga_id, s.order_id, s.state, s.failure_reason, s.updated_at, "
      "(SELECT MIN(deadline) FROM saga_steps t WHERE t.saga_id = s.saga_id AND t.deadline IS NOT NULL) "
      "FROM sagas s";
  if (stuck_only) {
    sql += " WHERE s.state IN ('RUNNING', 'COMPENSATING', 'FAILED')";
  } else if (!state.empty()) {
    sql += " WHERE s.state = ?";
  }
  sql += " ORDER BY s.updated_at";
  SQLite::Statement select(*sagas, sql);
  if (!stuck_only && !state.empty()) select.bind(1, state);
  Table table({"order", "saga", "state", "reason", "updated", "age", "next timer"});
  JsonWriter json;
  json.BeginArray();
  int count = 0;
  while (select.executeStep()) {
    const std::string updated = select.getColumn(4).getString();
    auto updated_at = ParseIso8601(updated);
    const bool old = older_than && updated_at.ok() && context.now - *updated_at >= *older_than;
    const bool no_timer = select.getColumn(5).isNull();
    if (stuck_only && !(no_timer || old)) continue;
    if (!stuck_only && older_than && !old) continue;
    ++count;
    table.Add({select.getColumn(1).getString(), select.getColumn(0).getString(), select.getColumn(2).getString(),
               Text(select, 3), updated, Age(context, updated), no_timer ? "none" : Deadline(select, 5)});
    json.BeginObject()
        .Key("orderId")
        .String(select.getColumn(1).getString())
        .Key("sagaId")
        .String(select.getColumn(0).getString())
        .Key("state")
        .String(select.getColumn(2).getString())
        .Key("reason")
        .String(Text(select, 3))
        .Key("updatedAt")
        .String(updated)
        .Key("nextTimer")
        .String(no_timer ? "" : Deadline(select, 5))
        .EndObject();
  }
  if (stuck_only) count += AddOrdersWithoutSaga(context, *sagas, older_than.value_or(kNoSagaGrace), table, json);
  json.EndArray();
  if (context.json) {
    *context.out << json.str() << "\n";
  } else {
    *context.out << table.Render() << count << (stuck_only ? " stuck saga(s)\n" : " saga(s)\n");
  }
  return 0;
}

// --- retry, verify, outbox, dlq -----------------------------------------------------------------

int Retry(const Context& context, const std::string& order_id) {
  auto token = ReadSecretLines(http::AdminTokenPath(context.home));
  if (!token.ok()) throw Failure(2, "the admin token: " + token.status().message());
  const int orchestrator_port = context.http_port + ServiceNamed("orchestrator").port_offset;
  http::HttpClient client(orchestrator_port);
  auto response =
      client.Request("POST", "/admin/sagas/retry?id=" + order_id, "", {{"Authorization", "Bearer " + token->front()}});
  if (response.status == 0) {
    throw Failure(2, "the orchestrator does not answer on port " + std::to_string(orchestrator_port) +
                         " (is it running? SAGAFLOW_HTTP_PORT chooses the ports)");
  }
  *context.out << response.body << "\n";
  return response.status == 200 ? 0 : 1;
}

int Verify(const Context& context) {
  std::ifstream in(context.stock_file);
  if (!in) throw Failure(2, "cannot read stock file " + context.stock_file + " (--stock-file or SAGAFLOW_STOCK_FILE)");
  std::stringstream text;
  text << in.rdbuf();
  auto stock = ParseStockFile(text.str());
  if (!stock.ok()) throw Failure(2, "stock file " + context.stock_file + ": " + stock.status().message());
  for (const auto& service : SagaflowServices()) context.Open(service.db_file);  // clear error for a missing one
  auto result = verify::VerifyGuarantees({context.home + "/data", *stock});
  if (!result.ok()) throw Failure(2, result.status().message());
  if (context.json) {
    JsonWriter json;
    json.BeginObject().Key("ok").Bool(result->empty()).Key("violations").BeginArray();
    for (const auto& violation : *result) {
      json.BeginObject().Key("guarantee").Int(violation.guarantee).Key("detail").String(violation.detail).EndObject();
    }
    json.EndArray().EndObject();
    *context.out << json.str() << "\n";
  } else {
    for (const auto& violation : *result) *context.out << verify::ToString(violation) << "\n";
    if (result->empty()) {
      *context.out << "ok: every guarantee holds (every order finished, charges and reservations match outcomes, "
                      "stock conserved, orders agree with sagas, outboxes drained, no duplicate notification)\n";
    }
  }
  return result->empty() ? 0 : 1;
}

int Outbox(const Context& context) {
  Table table({"service", "unpublished", "oldest", "age"});
  JsonWriter json;
  json.BeginArray();
  for (const auto& [service, file] : ServiceDatabases()) {
    auto db = context.Open(file);
    SQLite::Statement select(*db, "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE published_at IS NULL");
    select.executeStep();
    const int64_t count = select.getColumn(0).getInt64();
    const std::string oldest = Text(select, 1);
    table.Add({service, std::to_string(count), oldest, oldest.empty() ? "" : Age(context, oldest)});
    json.BeginObject()
        .Key("service")
        .String(service)
        .Key("unpublished")
        .Int(count)
        .Key("oldest")
        .String(oldest)
        .EndObject();
  }
  json.EndArray();
  *context.out << (context.json ? json.str() + "\n" : table.Render());
  return 0;
}

int DeadLetters(const Context& context) {
  Table table({"service", "received", "topic", "error", "payload"});
  JsonWriter json;
  json.BeginArray();
  int count = 0;
  for (const auto& [service, file] : ServiceDatabases()) {
    auto db = context.Open(file);
    SQLite::Statement select(*db, "SELECT received_at, topic, error, payload FROM dead_letters ORDER BY id");
    while (select.executeStep()) {
      ++count;
      std::string payload = select.getColumn(3).getString();
      if (payload.size() > 60) payload = payload.substr(0, 57) + "...";
      table.Add({service, select.getColumn(0).getString(), select.getColumn(1).getString(),
                 select.getColumn(2).getString(), payload});
      json.BeginObject()
          .Key("service")
          .String(service)
          .Key("receivedAt")
          .String(select.getColumn(0).getString())
          .Key("topic")
          .String(select.getColumn(1).getString())
          .Key("error")
          .String(select.getColumn(2).getString())
          .Key("payload")
          .String(select.getColumn(3).getString())
          .EndObject();
    }
  }
  json.EndArray();
  *context.out << (context.json ? json.str() + "\n" : table.Render() + std::to_string(count) + " dead letter(s)\n");
  return 0;
}

}  // namespace

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, const EnvLookup& getenv) {
  Context context;
  context.out = &out;
  context.now = SystemClock().Now();
  const char* home = getenv("SAGAFLOW_HOME");
  context.home = home != nullptr && *home != '\0' ? home : "var";
  const char* port = getenv("SAGAFLOW_HTTP_PORT");
  std::optional<std::pair<std::string, std::string>> port_setting;  // where from, text
  if (port != nullptr && *port != '\0') port_setting = {"SAGAFLOW_HTTP_PORT", port};
  const char* stock = getenv("SAGAFLOW_STOCK_FILE");
  context.stock_file = stock != nullptr && *stock != '\0' ? stock : "config/stock.json";

  std::vector<std::string> args;
  std::string state;
  std::optional<Millis> older_than;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw Failure(2, arg + " needs a value");
      return argv[++i];
    };
    try {
      if (arg == "--help" || arg == "-h") {
        out << kUsage;
        return 0;
      } else if (arg == "--json") {
        context.json = true;
      } else if (arg == "--home") {
        context.home = value();
      } else if (arg == "--http-port") {
        port_setting = {"--http-port", value()};
      } else if (arg == "--stock-file") {
        context.stock_file = value();
      } else if (arg == "--state") {
        state = value();
      } else if (arg == "--older-than") {
        const std::string text = value();
        older_than = ParseDuration(text);
        if (!older_than) throw Failure(2, "--older-than takes a duration like 30s, 5m or 2h, not '" + text + "'");
      } else if (arg.rfind("--", 0) == 0) {
        throw Failure(2, "unknown flag " + arg + " (see sagactl --help)");
      } else {
        args.push_back(arg);
      }
    } catch (const Failure& failure) {
      err << "sagactl: " << failure.what() << "\n";
      return failure.exit_code;
    }
  }
  if (port_setting) {
    auto parsed = ParsePort(port_setting->second);
    if (!parsed) {
      err << "sagactl: " << port_setting->first << " must be a port from 1 to 65534 (the orchestrator's is it + 1), "
          << "not '" << port_setting->second << "'\n";
      return 2;
    }
    context.http_port = *parsed;
  }
  if (args.empty()) {
    err << kUsage;
    return 2;
  }
  const std::string& command = args[0];
  const auto need_id = [&]() -> const std::string& {
    if (args.size() != 2) throw Failure(2, command + " takes one orderId");
    return args[1];
  };
  try {
    if (!std::filesystem::is_directory(context.home)) {
      throw Failure(2, "SAGAFLOW_HOME " + context.home + " does not exist (--home or SAGAFLOW_HOME chooses it)");
    }
    if (command == "status") return Status(context, need_id());
    if (command == "list") return List(context, state, older_than, false);
    if (command == "stuck") return List(context, "", older_than ? older_than : Millis(60'000), true);
    if (command == "retry") return Retry(context, need_id());
    if (command == "verify") return Verify(context);
    if (command == "outbox") return Outbox(context);
    if (command == "dlq") return DeadLetters(context);
    throw Failure(2, "unknown command '" + command + "' (see sagactl --help)");
  } catch (const Failure& failure) {
    err << "sagactl: " << failure.what() << "\n";
    return failure.exit_code;
  } catch (const std::exception& e) {
    err << "sagactl: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace sagaflow::sagactl
