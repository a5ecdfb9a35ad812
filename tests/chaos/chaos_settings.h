// Settings of a chaos run read from the environment, shared by every chaos profile: the seed that replays a fault
// schedule and an order stream (SAGAFLOW_CHAOS_SEED; default random, and the tests print it) and the length of a
// profile's fault phase (each profile names its own variable). Unset or empty: the default.
#pragma once

#include <cstdint>

namespace sagaflow::testing {

inline constexpr char kChaosSeedVariable[] = "SAGAFLOW_CHAOS_SEED";

uint64_t ChaosSeedFromEnvironment();
int SecondsFromEnvironment(const char* variable, int default_seconds);

}  // namespace sagaflow::testing
