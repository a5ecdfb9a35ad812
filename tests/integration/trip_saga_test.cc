// Order sagas and trip sagas at once through one orchestrator: the whole system started on examples/trip/sagas
// (order.json and trip.json), the trip's participants the Python programs of examples/trip, and kill -9 of the
// orchestrator and of a Python participant in the middle of both streams. Afterwards every saga has ended, nothing is
// booked twice, every cancelled trip has its bookings cancelled and every booked one keeps them, every participant's
// outbox has drained, and the orders keep every guarantee the other integration tests check.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/mqtt_probe.h"
#include "tests/support/system.h"

namespace sagaflow::testing {
namespace {

using std::chrono::seconds;

// Debian's python3, where python3-paho-mqtt is installed (examples/trip/run uses it too).
constexpr char kPython[] = "/usr/bin/python3";
// Each participant's account and program.
const std::map<std::string, std::string>& Programs() {
  static const std::map<std::string, std::string> programs{{"hotel-service", "hotel.py"},
                                                           {"flight-service", "flight.py"},
                                                           {"car-service", "car.py"},
                                                           {"trip-desk", "desk.py"}};
  return programs;
}

// One of the example's participants, started the way examples/trip/run starts it.
class PythonParticipant {
 public:
  PythonParticipant(System& system, const std::string& account)
      : account_(account),
        home_(system.home()),
        log_(system.home() + "/log/" + account + ".log"),
        process_(kPython, {SourceDir() + "/examples/trip/" + Programs().at(account)},
                 {{"SAGAFLOW_HOME", system.home()},
                  {"SAGAFLOW_MQTT_PORT", std::to_string(system.broker().port())},
                  {"PYTHONDONTWRITEBYTECODE", "1"}},
                 log_) {}

  // Starts it and waits until it has subscribed, as its log says after this start.
  void StartSubscribed() {
    const size_t before = ReadFile(log_).size();
    process_.Start();
    const bool subscribed =
        Eventually([&] { return ReadFile(log_).find("subscribed to", before) != std::string::npos; }, seconds(30));
    if (!subscribed) throw std::runtime_error(account_ + " did not subscribe:\n" + ReadFile(log_));
  }
  void Kill() { process_.Kill(); }
  std::string Db() const { return home_ + "/data/" + account_ + ".db"; }
  std::string Log() const { return process_.Log(); }

 private:
  std::string account_;
  std::string home_;
  std::string log_;
  Process process_;
};

enum class TripKind { kBooked, kNoSuchCarClass, kSameAirport };

TripKind KindOf(int i) {
  if (i % 4 == 3) return TripKind::kNoSuchCarClass;  // declined in stage 2: flight and hotel are cancelled
  if (i % 10 == 5) return TripKind::kSameAirport;    // declined in stage 1: the hotel is cancelled, no car asked
  return TripKind::kBooked;
}

std::string TripId(int i) {
  return "trip-" + std::to_string(i);
}

std::string TripRequest(int i) {
  const TripKind kind = KindOf(i);
  const std::string to = kind == TripKind::kSameAirport ? "LHR" : "LIS";
  const std::string car_class = kind == TripKind::kNoSuchCarClass ? "limousine" : "compact";
  std::string cents = std::to_string(i % 100);  // a price per trip, exact to the cent
  if (cents.size() < 2) cents.insert(0, "0");
  return R"({"messageId":"m-)" + TripId(i) + R"(","tripId":")" + TripId(i) + R"(","traveller":"Traveller )" +
         std::to_string(i) + R"(","hotel":{"city":"Lisbon","nights":3,"price":420.)" + cents +
         R"(},"flight":{"from":"LHR","to":")" + to + R"(","price":189.90},"car":{"class":")" + car_class +
         R"(","days":3,"price":99}})";
}

std::string OrderOf(int i) {
  if (i % 10 == 7) return OrderBody("C7", "P002", 1, "10000.01");  // declined
  if (i % 10 == 8) return OrderBody("C8", "NOPE", 1, "3.00");      // unknown product
  return OrderBody("C" + std::to_string(i % 7), "P001", 1 + i % 3, "12.34");
}

constexpr char kTripSagas[] = "SELECT COUNT(*) FROM sagas WHERE definition = 'trip'";

// Query's answer, or -1 while the database cannot be read (its process is being killed or restarted).
int64_t CountOrNone(const std::string& db, const std::string& sql) {
  try {
    return Query(db, sql);
  } catch (const std::exception&) {
    return -1;
  }
}

std::string FormatViolations(const std::vector<verify::Violation>& violations) {
  std::string out;
  for (size_t i = 0; i < violations.size() && i < 20; ++i) out += verify::ToString(violations[i]) + "\n";
  return out;
}

class TripSagaTest : public ::testing::Test {
 protected:
  static SystemOptions Options() {
    SystemOptions options;
    options.sagas_dir = SourceDir() + "/examples/trip/sagas";
    return options;
  }

  void SetUp() override {
    system_.Start();
    for (const auto& [account, program] : Programs()) {
      participants_[account] = std::make_unique<PythonParticipant>(system_, account);
      participants_[account]->StartSubscribed();
    }
  }

  PythonParticipant& Named(const std::string& account) { return *participants_.at(account); }
  std::string Db(const std::string& file) { return system_.data_dir() + "/" + file; }
  std::string Logs() {
    std::string out = system_.Logs();
    for (const auto& [account, python] : participants_) {
      std::string log = python->Log();
      if (log.size() > 3000) log = "..." + log.substr(log.size() - 3000);
      out.append("==== ").append(account).append(" ====\n").append(log).append("\n");
    }
    return out;
  }
  // The booking's status in a participant's database, "" if it has none for the trip.
  std::string Booking(const std::string& account, int trip) {
    return QueryText(Named(account).Db(), "SELECT status FROM bookings WHERE trip_id = '" + TripId(trip) + "'");
  }

  // Posts `orders` orders and requests `trips` trips at once, with kill -9 of the orchestrator, then of the hotel,
  // in the middle; returns the orders' ids once both streams are through.
  std::vector<std::string> RunBothStreamsThroughKills(int trips, int orders);
  // The trip ended as its kind says, at the orchestrator, at the desk and in each participant's bookings.
  void ExpectTripEnded(int trip);
  // One row per trip at most, `booked` trips still booked, and a success answered for exactly the bookings made.
  void ExpectNothingBookedTwice(int booked);
  // Nothing dead-lettered (the orchestrator's messages are what the participants expect), every outbox drained.
  void ExpectParticipantsClean();

  System system_{Options()};
  std::map<std::string, std::unique_ptr<PythonParticipant>> participants_;
};

std::vector<std::string> TripSagaTest::RunBothStreamsThroughKills(int trips, int orders) {
  MqttProbe agent(system_.broker().uri(), system_.broker().Login("trip-agent"), {});
  agent.Connect();
  std::mutex mu;
  std::vector<std::string> order_ids;
  std::atomic<int> orders_posted{0};
  std::atomic<int> trips_sent{0};
  std::thread order_stream([&] {
    HttpClient client(system_.http_port());
    for (int i = 0; i < orders; ++i) {
      auto id = system_.PostOrder(client, OrderOf(i), "trip-test-" + std::to_string(i), seconds(90));
      if (id) {
        std::lock_guard lock(mu);
        order_ids.push_back(*id);
      }
      ++orders_posted;
    }
  });
  // Paced by the orders, so both streams are under way when the kills come; the broker keeps the requests for the
  // orchestrator's session while it is down.
  std::thread trip_stream([&] {
    for (int i = 0; i < trips; ++i) {
      Eventually([&] { return orders_posted >= i; }, seconds(90));
      agent.Publish("trips/requested", TripRequest(i));
      ++trips_sent;
    }
  });
  // The orchestrator goes down while both streams go on; then the hotel goes down while the orchestrator sends it
  // commands, which wait in the hotel's session until it is back. Whatever fails here, the streams are joined.
  std::string failure;
  try {
    if (!Eventually([&] { return trips_sent >= 15; }, seconds(60))) failure += "the trips did not start; ";
    system_.Kill("orchestrator");
    if (!Eventually([&] { return trips_sent >= 30; }, seconds(60))) failure += "the trips stopped; ";
    system_.Restart("orchestrator");
    Named("hotel-service").Kill();
    const bool piled_up = Eventually([&] { return CountOrNone(Db("orchestrator.db"), kTripSagas) >= 40; }, seconds(60));
    if (!piled_up) failure += "the orchestrator did not go on with the trips; ";
    Named("hotel-service").StartSubscribed();
  } catch (const std::exception& e) {
    failure += e.what();
  }
  order_stream.join();
  trip_stream.join();
  EXPECT_EQ(failure, "") << Logs();
  return order_ids;
}

void TripSagaTest::ExpectTripEnded(int trip) {
  const std::string id = TripId(trip);
  const std::string saga = QueryText(Db("orchestrator.db"),
                                     "SELECT state || ':' || COALESCE(failure_reason, '') "
                                     "FROM sagas WHERE definition = 'trip' AND order_id = '" +
                                         id + "'");
  const std::string outcome = QueryText(
      Named("trip-desk").Db(), "SELECT outcome || ':' || COALESCE(reason, '') FROM trips WHERE trip_id = '" + id + "'");
  switch (KindOf(trip)) {
    case TripKind::kBooked:
      EXPECT_EQ(saga, "COMPLETED:") << id;
      EXPECT_EQ(outcome, "booked:") << id;
      EXPECT_EQ(Booking("hotel-service", trip), "BOOKED") << id;
      EXPECT_EQ(Booking("flight-service", trip), "BOOKED") << id;
      EXPECT_EQ(Booking("car-service", trip), "BOOKED") << id;
      break;
    case TripKind::kNoSuchCarClass:
      EXPECT_EQ(saga, "CANCELLED:no_such_car_class") << id;
      EXPECT_EQ(outcome, "cancelled:no_such_car_class") << id;
      EXPECT_EQ(Booking("hotel-service", trip), "CANCELLED") << id;  // stage 1 had succeeded: both were booked
      EXPECT_EQ(Booking("flight-service", trip), "CANCELLED") << id;
      EXPECT_EQ(Booking("car-service", trip), "DECLINED") << id;
      break;
    case TripKind::kSameAirport: {
      EXPECT_EQ(saga, "CANCELLED:same_airport") << id;
      EXPECT_EQ(outcome, "cancelled:same_airport") << id;
      const std::string hotel = Booking("hotel-service", trip);
      EXPECT_TRUE(hotel == "CANCELLED" || hotel == "VOIDED") << id << " " << hotel;  // VOIDED: the cancel came first
      EXPECT_EQ(Booking("flight-service", trip), "DECLINED") << id;
      EXPECT_EQ(Booking("car-service", trip), "") << id << ": stage 2 never started";
      break;
    }
  }
}

void TripSagaTest::ExpectNothingBookedTwice(int booked) {
  for (const auto& account : {"hotel-service", "flight-service", "car-service"}) {
    const std::string db = Named(account).Db();
    EXPECT_EQ(Query(db, "SELECT COUNT(*) FROM bookings WHERE status = 'BOOKED'"), booked) << account;
    EXPECT_EQ(Query(db, "SELECT COUNT(*) FROM (SELECT trip_id FROM bookings GROUP BY trip_id HAVING COUNT(*) > 1)"), 0)
        << account;
    // A booking made (and perhaps cancelled since) is the only thing answered with a success.
    EXPECT_EQ(Query(db,
                    "SELECT COUNT(*) FROM replies WHERE idempotency_key NOT LIKE '%:compensation' AND "
                    "reply_payload LIKE '%\"success\":true%'"),
              Query(db, "SELECT COUNT(*) FROM bookings WHERE status IN ('BOOKED', 'CANCELLED')"))
        << account;
  }
}

void TripSagaTest::ExpectParticipantsClean() {
  for (const auto& [account, python] : participants_) {
    const std::string db = python->Db();
    EXPECT_EQ(Query(db, "SELECT COUNT(*) FROM dead_letters"), 0) << account << "\n" << Logs();
    EXPECT_TRUE(Eventually([&] { return Query(db, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL") == 0; },
                           seconds(30)))
        << account << ": its outbox did not drain";
  }
}

TEST_F(TripSagaTest, OrdersAndTripsAtOnceEndExactlyThroughKillsOfTheOrchestratorAndAParticipant) {
  constexpr int kTrips = 60;
  constexpr int kOrders = 60;
  const std::vector<std::string> order_ids = RunBothStreamsThroughKills(kTrips, kOrders);
  ASSERT_EQ(order_ids.size(), static_cast<size_t>(kOrders)) << "every POST must eventually be accepted";

  // Every trip ended and its outcome reached the desk, which acknowledged it.
  ASSERT_TRUE(
      Eventually([&] { return Query(Named("trip-desk").Db(), "SELECT COUNT(*) FROM trips") == kTrips; }, seconds(120)))
      << Logs();
  int booked = 0;
  for (int i = 0; i < kTrips; ++i) {
    ExpectTripEnded(i);
    booked += KindOf(i) == TripKind::kBooked ? 1 : 0;
  }
  ExpectNothingBookedTwice(booked);
  ExpectParticipantsClean();

  // The orders, beside the trips, as the other integration tests check them.
  EXPECT_TRUE(system_.WaitAllTerminal(order_ids, seconds(120))) << Logs();
  auto violations = system_.WaitGuarantees(seconds(60));
  EXPECT_TRUE(violations.empty()) << FormatViolations(violations) << Logs();
  HttpClient client(system_.http_port());
  for (size_t i = 0; i < order_ids.size(); ++i) {
    const std::string status = system_.StatusOf(client, order_ids[i]);
    EXPECT_EQ(status, i % 10 == 7 || i % 10 == 8 ? "CANCELLED" : "COMPLETED") << "order " << i;
  }
}

}  // namespace
}  // namespace sagaflow::testing
