// sagactl: see, verify and repair sagas. Usage: sagactl --help.
#include <cstdlib>
#include <iostream>

#include "tools/sagactl/sagactl.h"

int main(int argc, char** argv) {
  // Run reads the environment at start-up, before any thread: getenv cannot race a setenv.
  return sagaflow::sagactl::Run(argc, argv, std::cout, std::cerr,
                                [](const char* name) { return std::getenv(name); });  // NOLINT(concurrency-mt-unsafe)
}
