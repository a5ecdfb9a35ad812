#include "http/bearer_auth.h"

#include <strings.h>

#include <utility>

namespace sagaflow::http {

namespace {
constexpr std::string_view kScheme = "Bearer ";
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Every byte of b is visited whatever a holds; a's bytes past b's length only change the length term.
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < b.size(); ++i) {
    const unsigned char from_a = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    difference |= static_cast<unsigned char>(from_a ^ static_cast<unsigned char>(b[i]));
  }
  return difference == 0;
}

BearerAuth::BearerAuth(std::vector<std::string> keys, std::set<std::string> exempt_paths)
    : keys_(std::move(keys)), exempt_paths_(std::move(exempt_paths)) {}

bool BearerAuth::Allows(const HttpRequest& request) const {
  if (keys_.empty() || exempt_paths_.contains(request.path)) return true;
  const auto authorization = request.Header("authorization");
  if (!authorization || authorization->size() <= kScheme.size() ||
      strncasecmp(authorization->c_str(), kScheme.data(), kScheme.size()) != 0) {
    return false;
  }
  const std::string_view presented = std::string_view(*authorization).substr(kScheme.size());
  bool accepted = false;
  for (const auto& key : keys_) accepted |= ConstantTimeEquals(presented, key);  // no early exit: no timing hint
  return accepted;
}

}  // namespace sagaflow::http
