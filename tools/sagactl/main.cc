// sagactl: see, verify and repair sagas. Usage: sagactl --help.
#include <cstdlib>
#include <iostream>

#include "tools/sagactl/sagactl.h"

int main(int argc, char** argv) {
  return sagaflow::sagactl::Run(argc, argv, std::cout, std::cerr, [](const char* name) { return std::getenv(name); });
}
