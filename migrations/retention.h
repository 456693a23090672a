// Which finished migration objects go: for each VMI the newest
// `per_vmi` are kept, and none longer than `ttl_seconds` after it finished.
// An object whose removal is already pending is not counted. Pure; the
// Controller passes its index under its mutex.
#pragma once

#include <cstdint>
#include <vector>

#include "migrations/index.h"

namespace migmon::migrations {

std::vector<Key> ExpiredEntries(const Index& index, double now, uint32_t per_vmi, double ttl_seconds);

}  // namespace migmon::migrations
