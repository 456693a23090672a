#include "fuzz/fuzz_text.h"

#include <cstdio>
#include <cstdlib>

namespace migmon::fuzz {

void Violated(const char* what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

}  // namespace migmon::fuzz
