// retry <orderId>: the one command that changes state, so it goes through the orchestrator's admin endpoint (with
// the admin token) rather than the database; the orchestrator's answer is printed as it came.
#include <string>

#include "common/secret_file.h"
#include "http/client/saga_retry.h"
#include "http/health.h"
#include "manifest/service_manifest.h"
#include "tools/sagactl/commands.h"

namespace sagaflow::sagactl {

int RetryCommand(const Context& context, const CommandLine& command_line) {
  const std::string& order_id = OneOrderId(command_line);
  auto token = ReadSecretLines(http::AdminTokenPath(context.home));
  if (!token.ok()) throw Failure(2, "the admin token: " + token.status().message());
  const int orchestrator_port = context.http_port + ServiceNamed("orchestrator").port_offset;
  http::HttpClient client(orchestrator_port);
  auto response = http::RequestSagaRetry(client, order_id, token->front());
  if (response.status == 0) {
    throw Failure(2, "the orchestrator does not answer on port " + std::to_string(orchestrator_port) +
                         " (is it running? SAGAFLOW_HTTP_PORT chooses the ports)");
  }
  *context.out << response.body << "\n";
  return response.status == 200 ? 0 : 1;
}

}  // namespace sagaflow::sagactl
