// Why a saga waits, and since when: from its state and its steps (the ones with a timer), as typed Waits, and the
// one sentence for each that sagactl status prints and the console shows.
//
// An unfinished saga (RUNNING, COMPENSATING, FAILED) waits on each step with a timer: for its reply, or for its
// compensation's reply, since it was sent, until its next retry; with no timer nothing will move it (stuck, or
// FAILED with a compensation never confirmed) and an operator must retry it. A finished saga's outcome stands: it
// waits only on a step it still undoes because its success was reported after its failure. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "readmodel/saga_records.h"

namespace sagaflow::readmodel {

// The waits of a saga in `state` with `steps`, in the steps' order.
std::vector<Wait> WaitsOf(std::string_view state, const std::vector<StepRecord>& steps);

// "step payment is RUNNING: waiting for its reply since <sent> (attempt 2); next retry at <deadline>", or the
// operator's remedy for a saga nothing will move, naming `correlation_id` in its `sagactl retry` command.
std::string Explain(const Wait& wait, std::string_view correlation_id);

}  // namespace sagaflow::readmodel
