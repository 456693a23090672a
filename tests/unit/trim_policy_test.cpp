// When the daemon hands freed heap pages back (daemon/allocator.h): once
// per growth of the resident size, never again while it stays put.
#include "daemon/allocator.h"

#include <gtest/gtest.h>

namespace migmon::app {
namespace {

TEST(TrimPolicy, TrimsOnceWhenTheProcessGrewByTheStep) {
  TrimPolicy p{.grow = 100};
  EXPECT_FALSE(p.Due(99));  // less than a step grown since the start
  EXPECT_TRUE(p.Due(150));  // a large list was built (and freed)
  EXPECT_FALSE(p.Due(150)); // the same size: nothing new to give back
  EXPECT_FALSE(p.Due(249));
  EXPECT_TRUE(p.Due(250));
}

TEST(TrimPolicy, FollowsTheSizeDownAfterATrim) {
  TrimPolicy p{.grow = 100};
  EXPECT_TRUE(p.Due(500));
  EXPECT_FALSE(p.Due(120));  // the trim gave pages back
  EXPECT_TRUE(p.Due(220));   // grown again: a step above the lowest, trimmed
}

}  // namespace
}  // namespace migmon::app
