// Unit tests of the /health and /metrics responses and of the admin router every service serves.
#include "http/health.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <string_view>

namespace sagaflow::http {
namespace {

using ::testing::HasSubstr;

std::string FieldOf(const HttpResponse& response, const char* field) {
  simdjson::dom::parser parser;
  std::string_view value;
  if (parser.parse(response.body)[field].get_string().get(value)) {
    ADD_FAILURE() << "no string " << field << " in " << response.body;
    return "";
  }
  return std::string(value);
}

HttpRequest Request(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

TEST(HealthResponseTest, IsOkWhenTheDatabaseIsOpenAndTheBrokerConnected) {
  const auto response = HealthResponse({true, true});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(FieldOf(response, "status"), "ok");
  EXPECT_EQ(FieldOf(response, "database"), "ok");
  EXPECT_EQ(FieldOf(response, "broker"), "connected");
}

TEST(HealthResponseTest, Is503AndSaysTheBrokerIsDisconnected) {
  const auto response = HealthResponse({true, false});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(FieldOf(response, "status"), "unavailable");
  EXPECT_EQ(FieldOf(response, "database"), "ok");
  EXPECT_EQ(FieldOf(response, "broker"), "disconnected");
}

TEST(HealthResponseTest, Is503AndSaysTheDatabaseIsUnavailable) {
  const auto response = HealthResponse({false, true});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(FieldOf(response, "database"), "unavailable");
  EXPECT_EQ(FieldOf(response, "broker"), "connected");
}

TEST(HealthResponseTest, Is503AndNamesBothWhenBothAreDown) {
  const auto response = HealthResponse({false, false});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(FieldOf(response, "database"), "unavailable");
  EXPECT_EQ(FieldOf(response, "broker"), "disconnected");
}

TEST(MetricsResponseTest, RendersThePrometheusTextFormat) {
  Metrics metrics;
  metrics.Describe("sagaflow_things_total", "counter", "Things");
  metrics.Add("sagaflow_things_total", 3);
  const auto response = MetricsResponse(metrics);
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.content_type, HasSubstr("text/plain"));
  EXPECT_THAT(response.body, HasSubstr("# TYPE sagaflow_things_total counter\n"));
  EXPECT_THAT(response.body, HasSubstr("sagaflow_things_total 3\n"));
}

class AdminRouterTest : public ::testing::Test {
 protected:
  Route Router(std::map<std::string, Route> extra = {}) {
    return MakeAdminRouter(
        [this] {
          ++health_calls_;
          return report_;
        },
        metrics_, std::move(extra));
  }

  Metrics metrics_;
  HealthReport report_{true, true};
  int health_calls_ = 0;
};

TEST_F(AdminRouterTest, HealthAsksTheInjectedFunctionOnEveryRequest) {
  auto router = Router();
  EXPECT_EQ(router(Request("GET", "/health")).status, 200);
  report_.broker_connected = false;
  const auto down = router(Request("GET", "/health"));
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(FieldOf(down, "broker"), "disconnected");
  EXPECT_EQ(health_calls_, 2);
}

TEST_F(AdminRouterTest, MetricsRendersTheGivenMetrics) {
  metrics_.Add("sagaflow_http_requests_total{route=\"/health\",code=\"200\"}");
  const auto response = Router()(Request("GET", "/metrics"));
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.body, HasSubstr("sagaflow_http_requests_total{route=\"/health\",code=\"200\"} 1"));
}

TEST_F(AdminRouterTest, OtherMethodsOnHealthAndMetricsAre405Json) {
  auto router = Router();
  for (const char* path : {"/health", "/metrics"}) {
    SCOPED_TRACE(path);
    const auto response = router(Request("POST", path));
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_THAT(FieldOf(response, "error"), HasSubstr("POST"));
  }
  EXPECT_EQ(health_calls_, 0);
}

TEST_F(AdminRouterTest, UnknownPathIs404Json) {
  const auto response = Router()(Request("GET", "/nope"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_THAT(FieldOf(response, "error"), HasSubstr("GET /nope"));
}

TEST_F(AdminRouterTest, ExtraRoutesAreMatchedByMethodAndPath) {
  int calls = 0;
  auto router = Router({{"POST /admin/replay", [&](const HttpRequest& request) {
                           ++calls;
                           return JsonOk(202, "{\"body\":\"" + request.body + "\"}");
                         }}});
  auto request = Request("POST", "/admin/replay");
  request.body = "x";
  const auto response = router(request);
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.body, R"({"body":"x"})");
  EXPECT_EQ(calls, 1);

  EXPECT_EQ(router(Request("GET", "/admin/replay")).status, 404);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(router(Request("GET", "/health")).status, 200) << "built-in routes still work";
}

}  // namespace
}  // namespace sagaflow::http
