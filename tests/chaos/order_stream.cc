#include "tests/chaos/order_stream.h"

#include <random>

namespace sagaflow::testing {

namespace {
constexpr int kDrivers = 2;
constexpr int kContestedProducts = 40;
}  // namespace

std::string_view ToString(OrderClass kind) {
  switch (kind) {
    case OrderClass::kNormal:
      return "normal";
    case OrderClass::kDeclined:
      return "declined";
    case OrderClass::kUnknownProduct:
      return "unknown product";
    case OrderClass::kContested:
      return "contested";
  }
  return "?";
}

void AddContestedStock(SystemOptions& options) {
  for (int i = 0; i < kContestedProducts; ++i) options.stock["LAST" + std::to_string(i)] = 1;
}

OrderStream::OrderStream(System& system, uint64_t seed) : system_(system), seed_(seed) {}

OrderStream::~OrderStream() {
  Join();
}

void OrderStream::Start(std::chrono::steady_clock::time_point until) {
  for (int d = 0; d < kDrivers; ++d) drivers_.emplace_back([this, d, until] { Drive(d, until); });
}

void OrderStream::Join() {
  for (auto& driver : drivers_) driver.join();
  drivers_.clear();
}

std::vector<std::string> OrderStream::accepted_ids() const {
  std::vector<std::string> ids;
  ids.reserve(accepted_.size());
  for (const auto& order : accepted_) ids.push_back(order.order_id);
  return ids;
}

void OrderStream::Drive(int driver, std::chrono::steady_clock::time_point until) {
  using std::chrono::milliseconds;
  std::mt19937_64 random(seed_ * 31 + static_cast<uint64_t>(driver));
  HttpClient client(system_.http_port());
  for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
    const int dice = static_cast<int>(random() % 20);
    OrderClass kind = OrderClass::kNormal;
    std::string product = "P001";
    std::string price = "12.50";
    if (dice == 0 || dice == 1) {
      kind = OrderClass::kDeclined;
      price = "10000.01";
    } else if (dice == 2) {
      kind = OrderClass::kUnknownProduct;
      product = "NO-SUCH";
    } else if (dice == 3 || dice == 4) {
      kind = OrderClass::kContested;
      product = "LAST" + std::to_string(random() % kContestedProducts);
    }
    const std::string key = "chaos-" + std::to_string(seed_) + "-" + std::to_string(driver) + "-" + std::to_string(i);
    auto id = system_.PostOrder(client, OrderBody("C" + std::to_string(i % 50), product, 1, price), key,
                                std::chrono::seconds(60));
    {
      std::lock_guard lock(mu_);
      if (id) {
        accepted_.push_back({*id, kind, product});
      } else {
        ++rejected_;
      }
    }
    // A steady offered load (about 10 orders/s in all), well below what the system sustains: the tests are about
    // faults, not overload, and an unbounded driver would only measure the backlog.
    std::this_thread::sleep_for(milliseconds(150 + random() % 100));
  }
}

}  // namespace sagaflow::testing
