// Test-environment helpers for cross-process tests: temporary homes, free ports, polling with a deadline.
#pragma once

#include "common/testing/eventually.h"  // Eventually, for every test

#include <chrono>
#include <functional>
#include <string>

namespace sagaflow::testing {

// A fresh directory under the system temp dir, removed (recursively) on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "sagaflow-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that nothing listens on right now, below the kernel's ephemeral range (20000-32767), so no
// outgoing connection takes it before the server under test binds it.
int FreePort();
// `count` consecutive free ports starting at the returned one (for the HTTP port and its +1..+4).
int FreePortRange(int count);

// Where the build put the binaries, and the repository root (for config/ templates).
std::string BinDir();
std::string SourceDir();

std::string ReadFile(const std::string& path);

}  // namespace sagaflow::testing
