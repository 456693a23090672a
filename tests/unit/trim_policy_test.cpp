// When the daemon hands freed heap pages back (daemon/allocator.h): once
// per growth of the free heap, never again for the same freed memory.
#include "daemon/allocator.h"

#include <gtest/gtest.h>

namespace migmon::app {
namespace {

TEST(TrimPolicy, TrimsOnceWhenFreeMemoryGrewByTheStep) {
  TrimPolicy p{.grow = 100};
  EXPECT_FALSE(p.Due(99));  // less than a step freed since the start
  EXPECT_TRUE(p.Due(150));  // a large list was freed
  EXPECT_FALSE(p.Due(150)); // the same free blocks: their pages went already
  EXPECT_FALSE(p.Due(249));
  EXPECT_TRUE(p.Due(250));
}

TEST(TrimPolicy, FollowsFreeMemoryDownAsItIsReused) {
  TrimPolicy p{.grow = 100};
  EXPECT_TRUE(p.Due(500));
  EXPECT_FALSE(p.Due(120));  // reused by new objects
  EXPECT_TRUE(p.Due(220));   // freed again: a step above the lowest, trimmed
}

}  // namespace
}  // namespace migmon::app
