#include "tools/sagactl/context.h"

#include <charconv>
#include <limits>

#include "common/time_format.h"

namespace sagaflow::sagactl {

std::optional<Millis> ParseDuration(const std::string& text) {
  long long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) return std::nullopt;
  const std::string unit(ptr, text.data() + text.size());
  long long factor = 0;
  if (unit == "ms") factor = 1;
  if (unit == "s" || unit.empty()) factor = 1000;
  if (unit == "m") factor = 60'000;
  if (unit == "h") factor = 3'600'000;
  if (factor == 0 || value > std::numeric_limits<long long>::max() / factor) return std::nullopt;
  return Millis(value * factor);
}

std::optional<int> ParsePort(const std::string& text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > 65534) return std::nullopt;
  return value;
}

std::string Age(const Context& context, const std::string& iso) {
  auto at = ParseIso8601(iso);
  if (!at.ok()) return "?";
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(context.now - *at).count();
  if (seconds < 120) return std::to_string(seconds) + "s";
  if (seconds < 7200) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds / 3600) + "h";
}

}  // namespace sagaflow::sagactl
