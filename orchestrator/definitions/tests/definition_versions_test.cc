// definition_versions over a real orchestrator.db: what a start records, what it refuses, and which stored
// versions it runs for the sagas that began on them.
#include "orchestrator/definitions/definition_versions.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/testing/scratch_database.h"

namespace sagaflow::definitions {
namespace {

// A one-step saga; `version` and `extra_step` make it another version, `layout` only respaces it.
std::string Text(const std::string& name, int version, bool extra_step = false, bool layout = false) {
  const std::string step = R"({"name": "hold", "command": {"topic": ")" + name +
                           R"(/hold", "payload": {}}, "reply": {"topic": ")" + name +
                           R"(/held", "defaultReason": "no"}})";
  const std::string more = extra_step ? R"(, {"name": "note", "command": {"topic": ")" + name +
                                            R"(/note", "payload": {}}, "reply": {"topic": ")" + name +
                                            R"(/noted", "defaultReason": "no"}})"
                                      : "";
  const std::string sep = layout ? ",\n    " : ", ";
  return R"({"name": ")" + name + R"(", "version": )" + std::to_string(version) + sep + R"("start": {"topic": ")" +
         name + R"(/start", "correlation": ")" + name + R"(Id", "input": {}})" + sep + R"("stages": [{"steps": [)" +
         step + more + "]}]" + sep + R"("outcome": {"ackTopic": ")" + name + R"(/told", "completed": {"topic": ")" +
         name + R"(/done", "payload": {}}, "cancelled": {"topic": ")" + name + R"(/undone", "payload": {}}}})";
}

class DefinitionVersionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::scratch::OpenMigrated(dir_ / "orchestrator.db", "orchestrator", clock_.Now());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
  }

  LoadedDefinition Load(const std::string& text, const std::string& file) {
    auto loaded = ParseDefinition(text, file, {});
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? std::move(*loaded) : LoadedDefinition{};
  }
  // An orchestrator's start with this folder: what it records, and the registry it runs.
  Status Start(const std::vector<LoadedDefinition>& folder) {
    registry_ = engine::SagaRegistry();
    return RecordAndRegister(*db_, folder, {}, clock_.Now(), registry_, MakeNullLogger());
  }
  void AddRunningSaga(const std::string& name, int version) {
    ASSERT_TRUE(db_->Write([&](storage::UnitOfWork& uow) {
                     auto& insert = uow.Prepare(
                         "INSERT INTO sagas(saga_id, order_id, definition, definition_version, state, data, "
                         "created_at, updated_at) VALUES (?1, ?1, ?2, ?3, 'RUNNING', '{}', '', '')");
                     insert.bind(1, name + "-saga-" + std::to_string(version));
                     insert.bind(2, name);
                     insert.bind(3, version);
                     insert.exec();
                     return Status::Ok();
                   })
                    .ok());
  }
  std::vector<std::string> Stored() {
    std::vector<std::string> rows;
    EXPECT_TRUE(db_->Read([&](storage::Sql& sql) {
                     for (const auto& stored : StoredDefinitions(sql)) {
                       rows.push_back(stored.name + "/" + std::to_string(stored.version) + " from " + stored.file +
                                      (stored.current ? " current" : ""));
                     }
                     return Status::Ok();
                   })
                    .ok());
    return rows;
  }

  storage::scratch::TempDir dir_{"sagaflow-definition-versions"};
  ManualClock clock_;
  std::unique_ptr<storage::Database> db_;
  engine::SagaRegistry registry_;
};

TEST_F(DefinitionVersionsTest, RecordsTheFolderAndRunsItAsCurrent) {
  ASSERT_TRUE(Start({Load(Text("hold", 1), "a/hold.json"), Load(Text("park", 3), "a/park.json")}).ok());
  EXPECT_EQ(Stored(), (std::vector<std::string>{"hold/1 from a/hold.json current", "park/3 from a/park.json current"}));
  ASSERT_NE(registry_.Current("park"), nullptr);
  EXPECT_EQ(registry_.Current("park")->definition.version, 3);
  EXPECT_EQ(registry_.Entries().size(), 2U);

  // Again, respaced and from elsewhere: the same version.
  ASSERT_TRUE(Start({Load(Text("hold", 1, false, true), "b/hold.json")}).ok());
  EXPECT_EQ(Stored(), (std::vector<std::string>{"hold/1 from a/hold.json current", "park/3 from a/park.json"}));
}

TEST_F(DefinitionVersionsTest, TheSameVersionWithOtherContentIsRefusedAndNothingIsRecorded) {
  ASSERT_TRUE(Start({Load(Text("hold", 1), "a/hold.json")}).ok());
  Status refused = Start({Load(Text("hold", 1, /*extra_step=*/true), "b/hold.json")});
  EXPECT_TRUE(refused.IsFailedPrecondition()) << refused.ToString();
  EXPECT_NE(refused.message().find("b/hold.json: hold version 1 differs from the version 1"), std::string::npos)
      << refused.message();
  EXPECT_NE(refused.message().find("read from a/hold.json"), std::string::npos) << refused.message();
  EXPECT_EQ(Stored(), std::vector<std::string>{"hold/1 from a/hold.json current"}) << "rolled back";
}

TEST_F(DefinitionVersionsTest, AVersionThatSagasStillNeedRunsFromItsStoredCopy) {
  ASSERT_TRUE(Start({Load(Text("hold", 1), "hold.json"), Load(Text("park", 1), "park.json")}).ok());
  AddRunningSaga("hold", 1);
  AddRunningSaga("park", 1);

  // hold gets version 2; park's file is removed.
  ASSERT_TRUE(Start({Load(Text("hold", 2, true), "hold.json")}).ok());
  EXPECT_EQ(registry_.Current("hold")->definition.version, 2);
  ASSERT_NE(registry_.Find("hold", 1), nullptr) << "for the saga that began on it";
  EXPECT_EQ(registry_.Find("hold", 1)->definition.stages[0].steps.size(), 1U);
  EXPECT_EQ(registry_.Current("park"), nullptr) << "no new park sagas";
  ASSERT_NE(registry_.Find("park", 1), nullptr);
  EXPECT_TRUE(registry_.Routes().contains("park/held"));
  EXPECT_FALSE(registry_.Routes().contains("park/start"));

  // Once no saga needs them, stored versions stay stored but are not run.
  ASSERT_TRUE(db_->Write([](storage::UnitOfWork& uow) {
                   uow.Exec("UPDATE sagas SET state = 'COMPLETED'");
                   return Status::Ok();
                 })
                  .ok());
  ASSERT_TRUE(Start({Load(Text("hold", 2, true), "hold.json")}).ok());
  EXPECT_EQ(registry_.Entries().size(), 1U);
  EXPECT_EQ(Stored().size(), 3U);
}

TEST_F(DefinitionVersionsTest, AStoredVersionThatConflictsWithTheFolderWhileSagasNeedItIsRefused) {
  ASSERT_TRUE(Start({Load(Text("hold", 1), "hold.json")}).ok());
  AddRunningSaga("hold", 1);
  // A new definition takes over hold's reply topic while a hold saga still waits on it.
  std::string thief = Text("thief", 1);
  const std::string from = "thief/held";
  thief.replace(thief.find(from), from.size(), "hold/held");
  Status refused = Start({Load(thief, "thief.json")});
  EXPECT_TRUE(refused.IsFailedPrecondition()) << refused.ToString();
  EXPECT_NE(refused.message().find("hold/held"), std::string::npos) << refused.message();
}

}  // namespace
}  // namespace sagaflow::definitions
