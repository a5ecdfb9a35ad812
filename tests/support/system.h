// System: the whole of sagaflow for a test — a real Mosquitto and the five real service binaries —
// under a temporary SAGAFLOW_HOME with free ports, plus helpers to drive orders and check the
// contract's guarantees from the SQLite files.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "manifest/service_manifest.h"
#include "tests/support/broker.h"
#include "tests/support/http_client.h"
#include "tests/support/service.h"
#include "tests/support/test_env.h"
#include "tools/verify/verify.h"

namespace sagaflow::testing {

struct SystemOptions {
  int payment_delay_ms = 0;
  int inventory_delay_ms = 0;
  int step_timeout_ms = 2000;
  int nudge_ms = 2000;
  std::map<std::string, int64_t> stock = {{"P001", 100000}, {"P002", 100000}, {"P003", 5}, {"LAST", 1}};
  std::map<std::string, std::string> extra_env;
  // The folder of saga definitions (SAGAFLOW_SAGAS_DIR); empty: the repository's config/sagas. The broker's
  // accounts are extended by those its definitions name, as scripts/run does.
  std::string sagas_dir;
};

class System {
 public:
  explicit System(SystemOptions options = {});
  ~System();

  // Starts the broker and every service and waits until all are healthy.
  void Start();
  // "mosquitto" or a service name.
  void Kill(const std::string& name);
  void Restart(const std::string& name);
  bool IsRunning(const std::string& name);
  Process& process(const std::string& name);
  Broker& broker() { return *broker_; }

  const std::string& home() const { return home_.path(); }
  std::string data_dir() const { return home_.path() + "/data"; }
  int http_port() const { return ports_.http; }
  const SystemOptions& options() const { return options_; }

  // POSTs until the order service answers with 2xx (it may be down), using `key` as Idempotency-Key.
  // Returns the orderId, or nullopt on a 4xx or if the deadline passed.
  std::optional<std::string> PostOrder(HttpClient& client, const std::string& body, const std::string& key,
                                       std::chrono::milliseconds deadline = std::chrono::seconds(60));
  // The order's status from GET /api/orders/<id> ("" if unavailable).
  std::string StatusOf(HttpClient& client, const std::string& order_id);
  // The events of the order's history, oldest first (empty if unavailable).
  std::vector<std::string> HistoryOf(HttpClient& client, const std::string& order_id);
  bool WaitAllTerminal(const std::vector<std::string>& order_ids, std::chrono::milliseconds timeout);
  // Polls until every guarantee holds (outboxes drain last), returning the final violations.
  std::vector<verify::Violation> WaitGuarantees(std::chrono::milliseconds timeout);
  std::string Logs() const;

 private:
  SystemOptions options_;
  TempDir home_;
  SystemPorts ports_;
  std::unique_ptr<Broker> broker_;
  std::map<std::string, std::unique_ptr<Service>> services_;
};

std::string OrderBody(const std::string& customer, const std::string& product, int quantity, const std::string& price);

// The first column of the first row of `sql` on the database file `db_path`, opened read-only.
int64_t Query(const std::string& db_path, const std::string& sql);
std::string QueryText(const std::string& db_path, const std::string& sql);

}  // namespace sagaflow::testing
