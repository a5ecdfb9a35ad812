#include "messaging/broker_accounts.h"

#include <algorithm>
#include <iterator>

#include "manifest/service_manifest.h"
#include "manifest/topics.h"

namespace sagaflow::messaging {

namespace {

bool Contains(const std::vector<std::string>& topics, std::string_view topic) {
  return std::find(topics.begin(), topics.end(), topic) != topics.end();
}

void AddMissing(std::vector<std::string>& topics, const std::vector<std::string>& more) {
  for (const auto& topic : more) {
    if (!Contains(topics, topic)) topics.push_back(topic);
  }
}

}  // namespace

bool BrokerAccount::MayPublish(std::string_view topic) const {
  if (Contains(publishes, topic)) return true;
  constexpr std::string_view kDeadLetterPrefix = "deadletter/";
  return topic.substr(0, kDeadLetterPrefix.size()) == kDeadLetterPrefix &&
         Contains(consumes, topic.substr(kDeadLetterPrefix.size()));
}

bool BrokerAccount::MayConsume(std::string_view topic) const {
  return reads_everything || Contains(consumes, topic);
}

std::vector<BrokerAccount> SagaflowAccounts() {
  std::vector<BrokerAccount> accounts;
  for (const auto& service : SagaflowServices()) {
    accounts.push_back({.name = service.name, .publishes = service.publishes, .consumes = service.consumes});
  }
  accounts.push_back({std::string(kObserverAccount), {}, {}, /*reads_everything=*/true, /*keeps_session=*/false});
  // The benchmark's broker round-trip probe, on a topic no service reads (the observer receives).
  accounts.push_back({std::string(kBenchAccount),
                      {std::string(kBenchLimit)},
                      {},
                      /*reads_everything=*/false,
                      /*keeps_session=*/false});
  return accounts;
}

std::vector<BrokerAccount> MergeAccounts(std::vector<BrokerAccount> accounts, const std::vector<BrokerAccount>& more) {
  for (const auto& extra : more) {
    auto found =
        std::find_if(accounts.begin(), accounts.end(), [&](const BrokerAccount& a) { return a.name == extra.name; });
    if (found == accounts.end()) {
      accounts.push_back(extra);
      // A list that repeats a topic would repeat its ACL line.
      accounts.back().publishes.clear();
      accounts.back().consumes.clear();
      found = std::prev(accounts.end());
    }
    AddMissing(found->publishes, extra.publishes);
    AddMissing(found->consumes, extra.consumes);
  }
  return accounts;
}

const BrokerAccount* FindAccount(const std::vector<BrokerAccount>& accounts, std::string_view name) {
  auto found = std::find_if(accounts.begin(), accounts.end(), [&](const BrokerAccount& a) { return a.name == name; });
  return found == accounts.end() ? nullptr : &*found;
}

std::optional<std::string> RefuseSession(const std::vector<BrokerAccount>& accounts, std::string_view username,
                                         bool clean_session, int protocol_version) {
  const BrokerAccount* account = FindAccount(accounts, username);
  if (account == nullptr || account->keeps_session) return std::nullopt;
  constexpr int kMqtt5 = 5;
  if (protocol_version == kMqtt5) {
    return "account " + account->name + " watches only: connect with MQTT 3.1.1 and a clean session";
  }
  if (!clean_session) return "account " + account->name + " watches only: it may not keep a session on the broker";
  return std::nullopt;
}

std::string RenderMosquittoAcl(const std::vector<BrokerAccount>& accounts) {
  std::string acl =
      "# Generated from messaging/broker_accounts.cc: each account publishes what it owns and reads what it\n"
      "# consumes. Anything not granted here is denied.\n";
  for (const auto& account : accounts) {
    acl += "\nuser " + account.name + "\n";
    if (account.reads_everything) acl += "topic read #\n";
    for (const auto& topic : account.publishes) acl += "topic write " + topic + "\n";
    for (const auto& topic : account.consumes) {
      acl += "topic read " + topic + "\n";
      acl += "topic write " + topics::DeadLetter(topic) + "\n";
    }
  }
  return acl;
}

}  // namespace sagaflow::messaging
