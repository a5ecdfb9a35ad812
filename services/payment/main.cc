// payment-service: charges and refunds orders' payments, once per idempotency key.
#include <cstdio>
#include <cstdlib>

#include "services/commands/command_processor.h"
#include "services/payment/payments.h"
#include "services/runtime/runtime.h"

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec spec{"payment-service", "payments.db", "payment", 2};
  runtime::CommonConfig config;
  int64_t delay_ms = 1000;
  std::string limit_text;
  FlagSet flags("payment-service", "Processes payments/process and payments/refund.");
  runtime::AddCommonFlags(flags, config, spec);
  flags.AddInt("delay-ms", "SAGAFLOW_PAYMENT_DELAY_MS", 1000, 0, 3'600'000, "simulated processing time of a payment",
               &delay_ms);
  flags.AddString("limit", "SAGAFLOW_PAYMENT_LIMIT", "10000.00", "payments above this amount are declined",
                  &limit_text);
  if (auto exit_code = runtime::ParseFlagsOrExit(flags, argc, argv)) return *exit_code;
  auto limit = ParseMoney(limit_text);
  if (!limit.ok()) {
    std::fprintf(stderr, "payment-service: --limit %s\n", limit.status().message().c_str());
    return 2;
  }

  auto created = runtime::Runtime::Create(spec, config);
  if (!created.ok()) {
    std::fprintf(stderr, "payment-service: %s\n", created.status().message().c_str());
    return 1;
  }
  runtime::Runtime& rt = **created;
  payment::LogGateway gateway(rt.logger());
  payment::Payments payments(rt.clock(), rt.random(), rt.logger(), *limit, gateway);
  commands::CommandProcessor processor(rt.db(), rt.outbox(), rt.clock(), rt.logger());
  rt.retention().Add(processor.RepliesRetention());
  payments.Register(processor, rt.consumer(), Millis(delay_ms));

  if (Status serving = rt.StartAdminServer(); !serving.ok()) {
    std::fprintf(stderr, "payment-service: %s\n", serving.message().c_str());
    return 1;
  }
  processor.Start();
  if (Status messaging = rt.StartMessaging(); !messaging.ok()) {
    std::fprintf(stderr, "payment-service: %s\n", messaging.message().c_str());
    return 1;
  }
  rt.WaitForShutdownSignal();
  rt.Shutdown();
  processor.Stop();
  return 0;
}
