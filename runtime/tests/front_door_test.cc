#include "runtime/front_door.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "http/health.h"
#include "storage/testing/scratch_database.h"

namespace sagaflow::runtime {
namespace {

namespace fs = std::filesystem;

bool Has(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

class FrontDoorTest : public ::testing::Test {
 protected:
  std::string WriteKeys(const std::string& text) {
    const fs::path path = dir_ / "api-keys";
    std::ofstream(path) << text;
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    return path.string();
  }
  storage::scratch::TempDir dir_{"sagaflow-front-door-test"};
};

TEST_F(FrontDoorTest, OnLoopbackTheApiIsOpenButStillChecksTheHost) {
  auto options = PublicServerOptions({}, 5000);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_TRUE(options->bearer_keys.empty());
  EXPECT_TRUE(options->check_host);
  EXPECT_TRUE(Has(options->allowed_hosts, "localhost"));
  EXPECT_TRUE(Has(options->allowed_hosts, "127.0.0.1"));
  EXPECT_FALSE(Has(options->allowed_hosts, "attacker.example"));
}

TEST_F(FrontDoorTest, BeyondLoopbackWithoutKeysItRefusesToStartUnlessToldInsecure) {
  FrontDoorConfig config;
  config.bind_address = "0.0.0.0";
  auto refused = PublicServerOptions(config, 5000);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--api-keys-file"), std::string::npos);
  EXPECT_NE(refused.status().message().find("--insecure"), std::string::npos);

  config.insecure = true;
  auto open = PublicServerOptions(config, 5000);
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->bearer_keys.empty());
}

TEST_F(FrontDoorTest, KeysFromTheFileAreRequiredEverywhereButHealth) {
  FrontDoorConfig config;
  config.bind_address = "192.0.2.10";
  config.allowed_hosts = "orders.example, api.example";
  config.api_keys_file = WriteKeys("# one key per line\nkey-one\n\n  key-two  \n");
  auto options = PublicServerOptions(config, 5000);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->bearer_keys, (std::vector<std::string>{"key-one", "key-two"}));
  EXPECT_EQ(options->auth_exempt_paths, (std::set<std::string>{"/health"}));
  EXPECT_TRUE(Has(options->allowed_hosts, "192.0.2.10"));
  EXPECT_TRUE(Has(options->allowed_hosts, "orders.example"));
  EXPECT_TRUE(Has(options->allowed_hosts, "api.example"));
}

TEST_F(FrontDoorTest, AKeysFileOthersCanReadIsRefused) {
  FrontDoorConfig config;
  config.api_keys_file = WriteKeys("key-one\n");
  fs::permissions(config.api_keys_file, fs::perms::others_read, fs::perm_options::add);
  auto options = PublicServerOptions(config, 5000);
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.status().message().find("api-keys"), std::string::npos);
}

TEST_F(FrontDoorTest, AdminPortsRequireTheTokenExceptForHealthAndMetricsAndNeverShareThePublicAddress) {
  auto admin = AdminServerOptions({}, 5001, "the-token");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->bind_address, "127.0.0.1");
  EXPECT_EQ(admin->bearer_keys, std::vector<std::string>{"the-token"});
  EXPECT_EQ(admin->auth_exempt_paths, (std::set<std::string>{"/health", "/metrics"}));

  FrontDoorConfig shared;
  shared.bind_address = "0.0.0.0";
  shared.admin_bind_address = "0.0.0.0";
  EXPECT_FALSE(AdminServerOptions(shared, 5001, "the-token").ok());
  shared.admin_bind_address = "127.0.0.1";
  EXPECT_TRUE(AdminServerOptions(shared, 5001, "the-token").ok());
}

TEST_F(FrontDoorTest, TheAdminTokenIsMadeOncePrivateAndThenReadBack) {
  SeededRandom random(1), other(2);
  auto first = EnsureAdminToken(dir_.path().string(), random);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GE(first->size(), 64U);
  auto second = EnsureAdminToken(dir_.path().string(), other);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first);
  struct stat info {};
  ASSERT_EQ(stat(http::AdminTokenPath(dir_.path().string()).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
}

TEST(LoopbackTest, KnowsTheLoopbackAddresses) {
  for (const char* address : {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
  for (const char* address : {"0.0.0.0", "192.168.1.5", "::", "10.0.0.1", "1270.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

}  // namespace
}  // namespace sagaflow::runtime
