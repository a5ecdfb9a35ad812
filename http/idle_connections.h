// IdleConnections: the connections that are waiting for a request to start, oldest first, so that a server
// at its connection cap can close the one that has waited longest instead of turning a new client away
// (idle keep-alive connections may be closed at any time in HTTP/1.1; clients reconnect).
//
// Holds weak references only: an idle connection that dies is skipped. Thread-safe: connections add and
// remove themselves from their strands while the listener takes from its own.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace sagaflow::http {

class Evictable {
 public:
  virtual ~Evictable() = default;
  // Closes the connection if it is still only waiting for a request; asynchronous.
  virtual void Evict() = 0;
};

class IdleConnections {
 public:
  using Token = uint64_t;

  Token Add(std::weak_ptr<Evictable> connection);
  // Does nothing if the token was already taken.
  void Remove(Token token);
  // The connection idle for longest that is still alive, removed from the set; nullptr if there is none.
  std::shared_ptr<Evictable> TakeOldest();

 private:
  std::mutex mutex_;
  Token next_token_ = 1;  // increasing, so the map's order is the order connections became idle
  std::map<Token, std::weak_ptr<Evictable>> idle_;
};

}  // namespace sagaflow::http
