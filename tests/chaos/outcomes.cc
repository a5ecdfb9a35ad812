#include "tests/chaos/outcomes.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <simdjson.h>

#include <set>

namespace sagaflow::testing {

std::map<std::string, int> Outcomes::CountByKind() const {
  std::map<std::string, int> counts;
  for (const auto& problem : problems) ++counts[problem.kind];
  return counts;
}

Outcomes CheckOutcomes(int http_port, const std::vector<AcceptedOrder>& accepted) {
  Outcomes outcomes;
  const auto add = [&](const std::string& kind, const AcceptedOrder& order, const std::string& body) {
    outcomes.problems.push_back({kind, "order " + order.order_id + " (" + std::string(ToString(order.kind)) +
                                           "): " + (body.empty() ? "no answer" : body)});
  };
  HttpClient client(http_port);
  std::map<std::string, int> winners;  // contested product -> completed orders
  for (const auto& order : accepted) {
    auto response = client.Get("/api/orders/" + order.order_id);
    if (response.status != 200) {
      add("lost", order, std::to_string(response.status) + " " + response.body);
      continue;
    }
    simdjson::dom::parser parser;
    std::string_view status;
    std::string_view reason;
    auto object = parser.parse(response.body).get_object();
    if (object["status"].get_string().get(status)) status = "";
    if (object["reason"].get_string().get(reason)) reason = "";
    const bool completed = status == "COMPLETED";
    if (!completed && status != "CANCELLED") {
      add("not terminal", order, response.body);
      continue;
    }
    ++(completed ? outcomes.completed : outcomes.cancelled);
    switch (order.kind) {
      case OrderClass::kNormal:
        if (!completed) add("normal not completed", order, response.body);
        break;
      case OrderClass::kDeclined:
        if (reason != "payment_declined") add("declined without payment_declined", order, response.body);
        break;
      case OrderClass::kUnknownProduct:
        if (reason != "unknown_product") add("unknown product without unknown_product", order, response.body);
        break;
      case OrderClass::kContested:
        winners[order.product] += completed ? 1 : 0;
        break;
    }
  }
  for (const auto& [product, count] : winners) {
    if (count > 1) {
      outcomes.problems.push_back(
          {"contested product sold twice", product + " was sold " + std::to_string(count) + " times (1 in stock)"});
    }
  }
  return outcomes;
}

std::vector<std::string> MissingFromDisk(const std::string& orders_db, const std::vector<AcceptedOrder>& accepted) {
  std::set<std::string> present;
  SQLite::Database db(orders_db, SQLite::OPEN_READONLY);
  SQLite::Statement select(db, "SELECT order_id FROM orders");
  while (select.executeStep()) present.insert(select.getColumn(0).getString());
  std::vector<std::string> missing;
  for (const auto& order : accepted) {
    if (present.count(order.order_id) == 0) missing.push_back(order.order_id);
  }
  return missing;
}

}  // namespace sagaflow::testing
