#include "runtime/messaging_stack.h"

#include <cstdlib>

#include "messaging/broker_login.h"

namespace sagaflow::runtime {

Result<std::unique_ptr<MessagingStack>> MessagingStack::Create(const ServiceSpec& spec, const CommonConfig& config,
                                                               storage::Database& db, const Clock& clock,
                                                               RandomSource& random, const Logger& logger,
                                                               Metrics& metrics, MessagingStackOptions options) {
  std::unique_ptr<MessagingStack> stack(new MessagingStack());
  MessagingStack& s = *stack;
  s.name_ = spec.name;
  const auto accounts = config.accounts.empty() ? messaging::SagaflowAccounts() : config.accounts;
  const messaging::BrokerAccount* account = messaging::FindAccount(accounts, spec.name);
  if (account == nullptr) return Status::FailedPrecondition("no broker account is described for " + spec.name);
  s.account_ = *account;
  auto login = messaging::ReadBrokerLogin(config.home, spec.name);
  if (!login.ok()) return login.status();
  s.broker_uri_ = config.mqtt_url.empty() ? "tcp://127.0.0.1:" + std::to_string(config.mqtt_port) : config.mqtt_url;
  s.outbox_ = std::make_unique<storage::Outbox>(db, clock, s.outbox_rows_);
  s.bus_ = std::make_unique<messaging::MqttBus>(messaging::MqttBusOptions{.server_uri = s.broker_uri_,
                                                                          .client_id = config.client_id,
                                                                          .username = login->username,
                                                                          .password = login->password,
                                                                          .ca_file = config.mqtt_ca_file},
                                                logger, random);
  s.consumer_ = std::make_unique<messaging::Consumer>(
      db, *s.outbox_, clock, random, logger, metrics, [logger](const std::string& reason) {
        // Exiting without returning to Paho means the message is never acknowledged: the broker
        // delivers it again once we are restarted and the database is usable.
        logger->critical("fatal: {}; exiting so the message is redelivered", reason);
        logger->flush();
        std::_Exit(3);
      });
  messaging::OutboxRelayOptions relay_options;
  relay_options.batch_size = static_cast<int>(config.outbox_batch);
  relay_options.may_publish = [account = &s.account_](std::string_view topic) { return account->MayPublish(topic); };
  relay_options.publish_before_durable = options.publish_before_durable;
  s.relay_ = std::make_unique<messaging::OutboxRelay>(*s.outbox_, *s.bus_, s.outbox_rows_, random, logger, metrics,
                                                      relay_options);
  return stack;
}

Status MessagingStack::CheckMayPublish(const std::vector<std::string>& topics) const {
  for (const auto& topic : topics) {
    if (!account_.MayPublish(topic)) {
      return Status::FailedPrecondition("broker account " + name_ + " may not publish " + topic +
                                        " (messaging/broker_accounts.cc)");
    }
  }
  return Status::Ok();
}

Status MessagingStack::Start() {
  for (const auto& topic : consumer_->Topics()) {
    if (!account_.MayConsume(topic)) {
      return Status::FailedPrecondition("broker account " + name_ + " may not consume " + topic +
                                        " (messaging/broker_accounts.cc)");
    }
  }
  bus_->SetHandler(consumer_->Topics(), [this](const messaging::IncomingMessage& m) { consumer_->Handle(m); });
  // Rows may have waited while we were disconnected: look at once.
  bus_->SetConnectedCallback([this] { outbox_rows_.Notify(); });
  Status started = bus_->Start();
  if (!started.ok()) return started;
  relay_->Start();
  return Status::Ok();
}

void MessagingStack::Stop() {
  if (relay_) relay_->Stop();
  if (bus_) bus_->Stop();
}

}  // namespace sagaflow::runtime
