#include "tests/chaos/chaos_settings.h"

#include <cstdlib>
#include <random>

namespace sagaflow::testing {

uint64_t ChaosSeedFromEnvironment() {
  const char* text = std::getenv(kChaosSeedVariable);
  if (text != nullptr && *text != '\0') return std::strtoull(text, nullptr, 10);
  return std::random_device{}();
}

int SecondsFromEnvironment(const char* variable, int default_seconds) {
  const char* text = std::getenv(variable);
  return text != nullptr && *text != '\0' ? std::atoi(text) : default_seconds;
}

}  // namespace sagaflow::testing
