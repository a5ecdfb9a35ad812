// TestFault: a deliberate defect that a test switches on in a service, to prove that the test meant to catch it
// does (a negative control). Read from SAGAFLOW_TEST_FAULT once, when the runtime is created.
//
// Test builds only (runtime/CMakeLists.txt): the release build has neither this parser nor its call in
// runtime.cc, so there the variable means nothing. Unset or empty: no fault. Any other value that is not a fault's
// name is InvalidArgument naming the variable, so the service refuses to start and a typo cannot test nothing.
#pragma once

#include <string_view>

#include "common/status.h"

namespace sagaflow::runtime {

inline constexpr char kTestFaultVariable[] = "SAGAFLOW_TEST_FAULT";

enum class TestFault {
  kNone,
  // "publish-before-fsync": the outbox relay publishes rows without waiting for their fsync
  // (OutboxRelayOptions::publish_before_durable), so a power loss can take back what others have seen.
  kPublishBeforeFsync,
};

// `value` is the variable's value, or nullptr when it is unset.
Result<TestFault> ParseTestFault(const char* value);
std::string_view ToString(TestFault fault);

}  // namespace sagaflow::runtime
