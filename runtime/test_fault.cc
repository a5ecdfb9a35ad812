#include "runtime/test_fault.h"

#include <string>

namespace sagaflow::runtime {

namespace {
constexpr std::string_view kPublishBeforeFsync = "publish-before-fsync";
}  // namespace

Result<TestFault> ParseTestFault(const char* value) {
  if (value == nullptr || *value == '\0') return TestFault::kNone;
  if (std::string_view(value) == kPublishBeforeFsync) return TestFault::kPublishBeforeFsync;
  return Status::InvalidArgument(std::string(kTestFaultVariable) + " must be empty or " +
                                 std::string(kPublishBeforeFsync) + ", got '" + value + "'");
}

std::string_view ToString(TestFault fault) {
  switch (fault) {
    case TestFault::kNone:
      return "none";
    case TestFault::kPublishBeforeFsync:
      return kPublishBeforeFsync;
  }
  return "unknown";
}

}  // namespace sagaflow::runtime
