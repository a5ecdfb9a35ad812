// OrderStream: the chaos suite's offered load, a steady stream of mixed orders POSTed by two drivers until a
// deadline, each remembered with the class that says how it must end: normal (completes), declined (above the
// payment limit), unknown product, and contested (one of the products AddContestedStock stocks once, so at most one
// order of each wins).
//
// Start() returns at once and the drivers run on their own threads; accepted() and rejected() may be read only after
// Join(). A POST is retried until it gets a 2xx (a service may be down), always with its own Idempotency-Key, so each
// order is accepted at most once. Seeded: one seed, one sequence of orders per driver.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/system.h"

namespace sagaflow::testing {

enum class OrderClass { kNormal, kDeclined, kUnknownProduct, kContested };
std::string_view ToString(OrderClass kind);

struct AcceptedOrder {
  std::string order_id;
  OrderClass kind = OrderClass::kNormal;
  std::string product;
};

// Adds the contested products (LAST0..LAST39, one in stock each) to a system's initial stock.
void AddContestedStock(SystemOptions& options);

class OrderStream {
 public:
  OrderStream(System& system, uint64_t seed);
  ~OrderStream();
  OrderStream(const OrderStream&) = delete;
  OrderStream& operator=(const OrderStream&) = delete;

  void Start(std::chrono::steady_clock::time_point until);
  void Join();

  const std::vector<AcceptedOrder>& accepted() const { return accepted_; }
  std::vector<std::string> accepted_ids() const;
  // POSTs that never got a 2xx before their deadline (or got a 4xx).
  int rejected() const { return rejected_; }

 private:
  void Drive(int driver, std::chrono::steady_clock::time_point until);

  System& system_;
  const uint64_t seed_;
  std::mutex mu_;
  std::vector<AcceptedOrder> accepted_;  // under mu_ while the drivers run
  int rejected_ = 0;                     // under mu_ while the drivers run
  std::vector<std::thread> drivers_;
};

}  // namespace sagaflow::testing
