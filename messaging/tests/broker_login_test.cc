#include "messaging/broker_login.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "storage/testing/scratch_database.h"

namespace sagaflow::messaging {
namespace {

namespace fs = std::filesystem;

class BrokerLoginTest : public ::testing::Test {
 protected:
  void WriteSecret(const std::string& text, fs::perms perms = fs::perms::owner_read | fs::perms::owner_write) {
    const std::string path = BrokerSecretPath(home_.path().string(), "payment-service");
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
    fs::permissions(path, perms, fs::perm_options::replace);
  }

  storage::scratch::TempDir home_;
};

TEST_F(BrokerLoginTest, ThePasswordIsTheFirstLineOfTheAccountsSecret) {
  WriteSecret("s3cret\nignored\n");
  auto login = ReadBrokerLogin(home_.path().string(), "payment-service");
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->username, "payment-service");
  EXPECT_EQ(login->password, "s3cret");
}

TEST_F(BrokerLoginTest, AMissingSecretNamesItsFile) {
  auto login = ReadBrokerLogin(home_.path().string(), "payment-service");
  ASSERT_FALSE(login.ok());
  EXPECT_TRUE(login.status().IsNotFound());
  EXPECT_NE(login.status().message().find("secrets/mqtt/payment-service"), std::string::npos);
}

TEST_F(BrokerLoginTest, ASecretOthersCanReadIsRefused) {
  WriteSecret("s3cret\n", fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  auto login = ReadBrokerLogin(home_.path().string(), "payment-service");
  ASSERT_FALSE(login.ok());
  EXPECT_NE(login.status().message().find("chmod 600"), std::string::npos);
}

TEST_F(BrokerLoginTest, BlankLinesBeforeThePasswordAreSkipped) {
  WriteSecret("\nsecond\n");
  auto login = ReadBrokerLogin(home_.path().string(), "payment-service");
  ASSERT_TRUE(login.ok()) << "the first non-empty line is the password";
  EXPECT_EQ(login->password, "second");
}

TEST_F(BrokerLoginTest, AFileWithoutAPasswordIsRefused) {
  WriteSecret("\n  \n# a comment\n");
  EXPECT_TRUE(ReadBrokerLogin(home_.path().string(), "payment-service").status().IsInvalidArgument());
}

}  // namespace
}  // namespace sagaflow::messaging
