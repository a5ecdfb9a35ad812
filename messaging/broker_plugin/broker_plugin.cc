// sagaflow's Mosquitto plugin: the broker-side half of the session rule in messaging/broker_accounts.h.
// At every login it asks RefuseSession whether the account may connect with the session it asked for,
// and refuses the connection if not; otherwise it defers, so the password file decides as before.
// Mosquitto calls it on its single network thread; it keeps no state beyond the account list.
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

#include <exception>
#include <new>
#include <string>
#include <vector>

#include "messaging/broker_accounts.h"

namespace {

struct PluginState {
  mosquitto_plugin_id_t* id = nullptr;
  std::vector<sagaflow::messaging::BrokerAccount> accounts = sagaflow::messaging::SagaflowAccounts();
};

int OnBasicAuth(int /*event*/, void* event_data, void* user_data) {
  const auto* auth = static_cast<mosquitto_evt_basic_auth*>(event_data);
  const auto* state = static_cast<PluginState*>(user_data);
  if (auth->username == nullptr) return MOSQ_ERR_PLUGIN_DEFER;
  try {
    const auto refused = sagaflow::messaging::RefuseSession(state->accounts, auth->username,
                                                            mosquitto_client_clean_session(auth->client),
                                                            mosquitto_client_protocol_version(auth->client));
    if (!refused) return MOSQ_ERR_PLUGIN_DEFER;
    mosquitto_log_printf(MOSQ_LOG_NOTICE, "sagaflow: refused %s from %s: %s", auth->username,
                         mosquitto_client_address(auth->client), refused->c_str());
    return MOSQ_ERR_AUTH;
  } catch (const std::exception&) {
    return MOSQ_ERR_AUTH;  // out of memory: refusing is the safe answer
  }
}

}  // namespace

// Everything else in the library is hidden; these three are what Mosquitto looks up.
extern "C" {

[[gnu::visibility("default")]] int mosquitto_plugin_version(int supported_version_count,
                                                            const int* supported_versions) {
  constexpr int kPluginApi = 5;
  for (int i = 0; i < supported_version_count; ++i) {
    if (supported_versions[i] == kPluginApi) return kPluginApi;
  }
  return -1;
}

[[gnu::visibility("default")]] int mosquitto_plugin_init(mosquitto_plugin_id_t* identifier, void** user_data,
                                                         mosquitto_opt* /*options*/, int /*option_count*/) {
  auto* state = new (std::nothrow) PluginState;
  if (state == nullptr) return MOSQ_ERR_NOMEM;
  state->id = identifier;
  *user_data = state;
  return mosquitto_callback_register(identifier, MOSQ_EVT_BASIC_AUTH, OnBasicAuth, nullptr, state);
}

[[gnu::visibility("default")]] int mosquitto_plugin_cleanup(void* user_data, mosquitto_opt* /*options*/,
                                                            int /*option_count*/) {
  auto* state = static_cast<PluginState*>(user_data);
  const int result = mosquitto_callback_unregister(state->id, MOSQ_EVT_BASIC_AUTH, OnBasicAuth, nullptr);
  delete state;
  return result;
}

}  // extern "C"
