#include "common/secret_file.h"

#include <sys/stat.h>

#include <fstream>

namespace sagaflow {

Result<std::vector<std::string>> ReadSecretLines(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return Status::NotFound("secret file " + path + " is missing");
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Status::FailedPrecondition("secret file " + path + " has permissions for group or others (chmod 600 it)");
  }
  std::ifstream file(path);
  if (!file) return Status::IoError("cannot read secret file " + path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(file, line)) {
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const size_t last = line.find_last_not_of(" \t\r");
    lines.push_back(line.substr(first, last - first + 1));
  }
  if (lines.empty()) return Status::InvalidArgument("secret file " + path + " has no secret in it");
  return lines;
}

}  // namespace sagaflow
