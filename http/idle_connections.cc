#include "http/idle_connections.h"

#include <utility>

namespace sagaflow::http {

IdleConnections::Token IdleConnections::Add(std::weak_ptr<Evictable> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Token token = next_token_++;
  idle_.emplace(token, std::move(connection));
  return token;
}

void IdleConnections::Remove(Token token) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.erase(token);
}

std::shared_ptr<Evictable> IdleConnections::TakeOldest() {
  std::lock_guard<std::mutex> lock(mutex_);
  while (!idle_.empty()) {
    auto oldest = idle_.begin()->second.lock();
    idle_.erase(idle_.begin());
    if (oldest) return oldest;
  }
  return nullptr;
}

}  // namespace sagaflow::http
