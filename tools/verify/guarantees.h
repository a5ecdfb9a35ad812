// The checks behind VerifyGuarantees, one function per guarantee as numbered in verify.h, declared here so that a
// test can run one alone. GatherEvidence opens the five databases read-only and reads, once, the rows that several
// guarantees compare (orders, payments, reservations); each check reads what only it needs and returns the
// violations of its guarantee, in the order VerifyGuarantees reports them. A query that fails throws (SQLiteCpp's
// exception); VerifyGuarantees turns that into an IoError. Internal to tools/verify.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tools/verify/verify.h"

namespace sagaflow::verify {

using Items = std::map<std::string, int64_t>;  // product -> quantity

struct OrderFacts {
  std::string status;
  int64_t total_cents = 0;
  Items items;
};

struct PaymentFacts {
  std::string status;
  int64_t amount_cents = 0;
};

struct Evidence {
  // Each service's database, by the manifest's service name, open read-only.
  std::map<std::string, std::unique_ptr<SQLite::Database>, std::less<>> databases;
  std::map<std::string, int64_t> initial_stock;           // the stock file's contents
  std::map<std::string, OrderFacts> orders;               // by order id, with the items it ordered
  std::map<std::string, PaymentFacts> payments;           // by order id
  std::map<std::string, std::string> reservation_status;  // by order id
  std::map<std::string, Items> reserved_items;            // by order id, RESERVED reservations only
  Items reserved_by_product;                              // RESERVED reservations only

  // The database of the manifest's service `service` ("order-service").
  SQLite::Database& database(std::string_view service) const;
};

// IoError naming the file if a database is missing or a query fails.
Result<Evidence> GatherEvidence(const VerifyOptions& options);

// 1. Every accepted order is terminal: COMPLETED or CANCELLED.
std::vector<Violation> EveryOrderIsTerminal(const Evidence& evidence);
// 2. Charges and reservations match the orders' outcomes, and none is held for an unknown order.
std::vector<Violation> ChargesAndReservationsMatchOutcomes(const Evidence& evidence);
// 3. Stock is conserved, and never negative.
std::vector<Violation> StockIsConserved(const Evidence& evidence);
// 4. Every order has a saga whose state agrees with the order's status.
std::vector<Violation> OrdersAgreeWithSagas(const Evidence& evidence);
// 5. Every outbox is drained.
std::vector<Violation> OutboxesAreDrained(const Evidence& evidence);
// 6. At most one notification per (order, kind).
std::vector<Violation> OneNotificationPerKind(const Evidence& evidence);

}  // namespace sagaflow::verify
