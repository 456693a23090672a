// How a migration ended, decided from the evidence a watcher gathered when its
// job disappeared, plus what the target side reported. Pure; thread-safe.
#pragma once

#include <string>

#include "samples/node_facts.h"

namespace migmon {

struct Outcome {
  bool succeeded = false;
  std::string reason;  // human words: why we believe this
};

// target_runs_domain: a managed node reported the domain resumed there
// after an incoming migration (the fallback when the source has no record).
Outcome DecideOutcome(const EndEvidence& evidence, bool target_runs_domain);

}  // namespace migmon
