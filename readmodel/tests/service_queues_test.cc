// ReadModel::OutboxBacklogs, DeadLetters (newest first, paged) and DefinitionVersions.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "readmodel/read_model.h"
#include "readmodel/tests/read_model_test_world.h"

namespace sagaflow::readmodel {
namespace {

using testing::At;
using ::testing::ElementsAre;

class ServiceQueuesTest : public testing::ReadModelTest {
 protected:
  // The errors of every page of `service`'s dead letters at `size`, page by page.
  std::vector<std::vector<std::string>> ErrorPages(const std::string& service, int size) {
    std::vector<std::vector<std::string>> pages;
    PageRequest page{"", size};
    for (int guard = 0; guard < 100; ++guard) {
      auto listed = read_model().DeadLetters(service, page);
      EXPECT_TRUE(listed.ok()) << listed.status().ToString();
      if (!listed.ok()) break;
      pages.emplace_back();
      for (const auto& letter : listed->rows) pages.back().push_back(letter.error);
      page.cursor = listed->next_cursor;
      if (page.cursor.empty()) break;
    }
    return pages;
  }
};

TEST_F(ServiceQueuesTest, OutboxBacklogsCountUnpublishedRowsAndTheOldestPerServiceInManifestOrder) {
  AddUnpublished("payments.db", "{}", At(3000));
  AddUnpublished("payments.db", "{}", At(2000));
  AddUnpublished("orchestrator.db", "{}", At(4000));
  auto backlogs = read_model().OutboxBacklogs();
  ASSERT_TRUE(backlogs.ok()) << backlogs.status().ToString();
  std::vector<std::string> rows;
  for (const auto& backlog : *backlogs) {
    rows.push_back(backlog.service + " " + std::to_string(backlog.unpublished) + " " + backlog.oldest_created_at);
  }
  EXPECT_THAT(rows, ElementsAre("order-service 0 ", "orchestrator 1 " + At(4000), "payment-service 2 " + At(2000),
                                "inventory-service 0 ", "notification-service 0 "));
}

TEST_F(ServiceQueuesTest, DeadLettersComeNewestFirstInPagesEndingWithAnEmptyCursor) {
  for (int i = 1; i <= 5; ++i) {
    AddDeadLetter("inventory.db", "inventory/reserve", "{}", "error " + std::to_string(i), At(i));
  }
  AddDeadLetter("payments.db", "payments/process", "{}", "elsewhere", At(9));
  EXPECT_THAT(
      ErrorPages("inventory-service", 2),
      ElementsAre(ElementsAre("error 5", "error 4"), ElementsAre("error 3", "error 2"), ElementsAre("error 1")));
  EXPECT_THAT(ErrorPages("inventory-service", 5),
              ElementsAre(ElementsAre("error 5", "error 4", "error 3", "error 2", "error 1")));
  EXPECT_THAT(ErrorPages("order-service", 5), ElementsAre(ElementsAre()));
}

TEST_F(ServiceQueuesTest, DeadLettersKeepPayloadAndErrorAsStored) {
  const std::string payload = "\x1b[2J\x1b[31mred\nfake ok 'quoted' \"too\"" + std::string(4000, 'p');
  const std::string error = "bad\r\n\x07";
  AddDeadLetter("payments.db", "payments/process", payload, error, At(5));
  auto listed = read_model().DeadLetters("payment-service", {});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->rows.size(), 1U);
  const DeadLetter& letter = listed->rows[0];
  EXPECT_EQ(letter.service, "payment-service");
  EXPECT_EQ(letter.topic, "payments/process");
  EXPECT_EQ(letter.payload, payload);
  EXPECT_EQ(letter.error, error);
  EXPECT_EQ(letter.received_at, At(5));
  EXPECT_GT(letter.id, 0);
}

TEST_F(ServiceQueuesTest, DeadLettersRefuseAnUnknownServiceAMalformedCursorAndABadPageSize) {
  EXPECT_TRUE(read_model().DeadLetters("orders.db", {}).status().IsInvalidArgument());
  // Not hex, a number that is not an id (0, negative, not a number), two parts.
  for (const std::string cursor : {"zz", "30", "2d31", "6162", "31.32", "1"}) {
    auto listed = read_model().DeadLetters("order-service", {cursor, 10});
    ASSERT_FALSE(listed.ok()) << cursor;
    EXPECT_TRUE(listed.status().IsInvalidArgument()) << cursor;
  }
  EXPECT_TRUE(read_model().DeadLetters("order-service", {"31", 10}).ok()) << "\"1\" in hex is the id 1";
  EXPECT_TRUE(read_model().DeadLetters("order-service", {"", 0}).status().IsInvalidArgument());
  EXPECT_TRUE(read_model().DeadLetters("order-service", {"", kMaxPageSize + 1}).status().IsInvalidArgument());
}

TEST_F(ServiceQueuesTest, DefinitionVersionsSayWhatEachStoredVersionIsNow) {
  Exec("orchestrator.db",
       "INSERT INTO saga_definitions(name, version, content, file, first_run_at, current) VALUES "
       "('order', 1, '{}', 'order.json', 'a', 0), ('order', 2, '{}', 'order.json', 'b', 1), "
       "('order', 3, '{}', 'order.json', 'c', 0), ('gone', 4, '{}', 'gone.json', 'd', 0);");
  AddSaga({.saga_id = "s-1", .correlation_id = "o-1", .version = 1});
  AddSaga({.saga_id = "s-2", .correlation_id = "o-2", .definition = "gone", .version = 4});
  AddSaga({.saga_id = "s-3", .correlation_id = "o-3", .definition = "gone", .version = 4, .state = "FAILED"});
  auto versions = read_model().DefinitionVersions();
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  std::vector<std::string> rows;
  for (const auto& version : *versions) {
    rows.push_back(version.stored.name + " " + std::to_string(version.stored.version) + " " +
                   std::to_string(version.running) + " " + std::string(Describe(version.role)));
  }
  EXPECT_THAT(rows, ElementsAre("gone 4 2 removed from the folder; its sagas run on the stored copy",
                                "order 1 1 replaced; its sagas finish on the stored copy",
                                "order 2 0 new sagas start on it", "order 3 0 kept; nothing runs on it"));
}

}  // namespace
}  // namespace sagaflow::readmodel
