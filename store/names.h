// The identity fields Kubernetes gives a new object: generated names, UIDs
// and creation timestamps.
//
// Thread-safety: all functions are thread-safe (each thread draws from its
// own random engine).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace migmon::store {

// Kubernetes' generateName: `prefix` (cut to 58 characters so the name fits
// in 63) followed by 5 random characters of "bcdfghjklmnpqrstvwxz2456789"
// (no vowels, no 0/1/3: no words, no look-alikes).
std::string GenerateName(std::string_view prefix);

// A random (version 4, variant 1) UUID, lower-case: "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string NewUid();


}  // namespace migmon::store
