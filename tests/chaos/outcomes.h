// Outcomes: how the accepted orders of a chaos run ended, against how their classes say they must end. Asks the order
// service (GET /api/orders/<id>), so it works while the services run: a normal order completes, a declined one is
// cancelled with payment_declined, one for an unknown product with unknown_product, a contested product is sold at
// most once, and every order that got a 2xx is found and terminal. MissingFromDisk asks the database file instead,
// for after the services stopped.
//
// Findings are returned, never asserted, so a negative control can count what a faulty system got wrong.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/chaos/order_stream.h"

namespace sagaflow::testing {

struct OutcomeProblem {
  std::string kind;  // "lost", "not terminal", "normal not completed", ... (one phrase per check)
  std::string detail;
};

struct Outcomes {
  int completed = 0;
  int cancelled = 0;
  std::vector<OutcomeProblem> problems;  // empty: every order ended as its class says
  // How many problems of each kind, for a summary.
  std::map<std::string, int> CountByKind() const;
};

Outcomes CheckOutcomes(int http_port, const std::vector<AcceptedOrder>& accepted);

// The accepted orders that orders.db at `orders_db` does not hold. Opens the file: only once its service stopped.
std::vector<std::string> MissingFromDisk(const std::string& orders_db, const std::vector<AcceptedOrder>& accepted);

}  // namespace sagaflow::testing
