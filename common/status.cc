#include "common/status.h"

namespace sagaflow {

std::string Status::ToString() const {
  const char* name = "OK";
  switch (code_) {
    case Code::kOk:
      return "OK";
    case Code::kInvalidArgument:
      name = "Invalid argument";
      break;
    case Code::kNotFound:
      name = "Not found";
      break;
    case Code::kConflict:
      name = "Conflict";
      break;
    case Code::kUnavailable:
      name = "Unavailable";
      break;
    case Code::kIoError:
      name = "IO error";
      break;
    case Code::kCorruption:
      name = "Corruption";
      break;
    case Code::kFailedPrecondition:
      name = "Failed precondition";
      break;
  }
  return std::string(name) + ": " + message_;
}

}  // namespace sagaflow
