// Limits for inspect_file_isolated in unit tests: the child is the built kakehashi binary
// (KAKEHASHI_BIN, set by ctest), since /proc/self/exe is the test binary itself.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>

#include "inspect/isolate.h"

namespace kakehashi::inspect::testing {

inline IsolationLimits child_limits() {
  IsolationLimits limits;
  const char* bin = std::getenv("KAKEHASHI_BIN");
  if (bin == nullptr || *bin == '\0') {
    ADD_FAILURE() << "KAKEHASHI_BIN is not set (run through ctest)";
    limits.program = "/nonexistent/kakehashi";  // never the test binary itself
  } else {
    limits.program = bin;
  }
  return limits;
}

}  // namespace kakehashi::inspect::testing
