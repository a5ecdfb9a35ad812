// sagactl: the operator's tool. Reads the SQLite files of $SAGAFLOW_HOME/data read-only (it never
// writes another service's database) and asks the orchestrator's admin endpoint for anything that
// changes state. Plain-text tables by default, --json for scripts.
//
// Exit codes: 0 success; 1 the answer is "no" (violations found, unknown order, retry refused);
// 2 usage or environment errors (bad flag, missing home or database, service unreachable).
#pragma once

#include <functional>
#include <ostream>

namespace sagaflow::sagactl {

using EnvLookup = std::function<const char*(const char*)>;

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, const EnvLookup& getenv);

}  // namespace sagaflow::sagactl
