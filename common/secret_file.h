// Secret files: passwords, tokens and keys that sagaflow reads from disk.
//
// A secret file must exist, must give no permission to group or others (a secret others can read is
// no secret, so it is refused rather than used, as ssh does with a private key), and must have at least
// one non-empty line. Errors name the file. Lines are returned without their line ends.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace sagaflow {

// Every non-empty line that does not start with '#', with surrounding spaces removed.
Result<std::vector<std::string>> ReadSecretLines(const std::string& path);

}  // namespace sagaflow
