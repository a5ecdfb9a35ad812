// payment-service: charges and refunds orders' payments, once per idempotency key.
#include "common/money.h"
#include "runtime/run_service.h"
#include "services/commands/command_processor.h"
#include "services/payment/payments.h"

namespace sagaflow {
namespace {

struct PaymentService final : runtime::Service {
  PaymentService(runtime::Runtime& rt, Cents limit_cents, Millis delay)
      : gateway(rt.logger()),
        payments(rt.clock(), rt.random(), rt.logger(), limit_cents, gateway),
        processor(rt.db(), rt.outbox(), rt.clock(), rt.logger()),
        consumer(rt.consumer()),
        command_delay(delay) {
    rt.retention().Add(processor.RepliesRetention());
  }
  Status Start() override {
    if (Status registered = payments.Register(processor, consumer, command_delay); !registered.ok()) return registered;
    processor.Start();
    return Status::Ok();
  }
  void Stop() override { processor.Stop(); }

  payment::LogGateway gateway;
  payment::Payments payments;
  commands::CommandProcessor processor;
  messaging::Consumer& consumer;
  const Millis command_delay;
};

}  // namespace
}  // namespace sagaflow

int main(int argc, char** argv) {
  using namespace sagaflow;
  const runtime::ServiceSpec& spec = ServiceNamed("payment-service");
  runtime::CommonConfig config;
  int64_t delay_ms = 1000;
  std::string limit_text;
  Cents limit_cents = 0;
  FlagSet flags(spec.name, "Processes payments/process and payments/refund.");
  runtime::AddCommonFlags(flags, config, spec);
  flags.AddInt("delay-ms", "SAGAFLOW_PAYMENT_DELAY_MS", 1000, 0, 3'600'000, "simulated processing time of a payment",
               &delay_ms);
  flags.AddString("limit", "SAGAFLOW_PAYMENT_LIMIT", "10000.00", "payments above this amount are declined",
                  &limit_text);
  return runtime::RunService({.spec = spec,
                              .check_flags =
                                  [&] {
                                    auto limit = ParseMoney(limit_text);
                                    if (!limit.ok())
                                      return Status::InvalidArgument("--limit " + limit.status().message());
                                    limit_cents = *limit;
                                    return Status::Ok();
                                  },
                              .make = [&](runtime::Runtime& rt) -> Result<std::unique_ptr<runtime::Service>> {
                                return runtime::MakeService<PaymentService>(rt, limit_cents, Millis(delay_ms));
                              }},
                             flags, config, argc, argv);
}
