// BearerAuth: decides whether a request carries "Authorization: Bearer <key>" with one of the accepted
// keys, unless its path is exempt (e.g. /health, for probes that hold no key).
//
// Keys are compared in time that does not depend on how many leading characters of a guess are right, so
// the answer time does not help guess a key. With no keys configured it allows everything. Immutable after
// construction, so any thread may call it.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_types.h"

namespace sagaflow::http {

class BearerAuth {
 public:
  BearerAuth(std::vector<std::string> keys, std::set<std::string> exempt_paths);

  bool enabled() const { return !keys_.empty(); }
  bool Allows(const HttpRequest& request) const;

 private:
  std::vector<std::string> keys_;
  std::set<std::string> exempt_paths_;
};

// a == b, in time that depends only on b's length (b is the secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace sagaflow::http
