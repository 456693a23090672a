// IsLoopbackHost: whether a listen host reaches only this machine.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "config/listen.h"

namespace migmon::config {
namespace {

struct HostCase {
  std::string host;
  bool loopback;
};

void PrintTo(const HostCase& host_case, std::ostream* out) { *out << "\"" << host_case.host << "\""; }

class IsLoopbackHostTest : public ::testing::TestWithParam<HostCase> {};

TEST_P(IsLoopbackHostTest, Classifies) { EXPECT_EQ(IsLoopbackHost(GetParam().host), GetParam().loopback); }

INSTANTIATE_TEST_SUITE_P(Loopback, IsLoopbackHostTest,
                         ::testing::Values(HostCase{"127.0.0.1", true}, HostCase{"127.1.2.3", true},
                                           HostCase{"127.255.255.255", true}, HostCase{"127.0.0.0", true},
                                           HostCase{"::1", true}, HostCase{"0:0:0:0:0:0:0:1", true},
                                           HostCase{"::ffff:127.0.0.1", true}, HostCase{"localhost", true},
                                           HostCase{"LocalHost", true}));

INSTANTIATE_TEST_SUITE_P(
    NotLoopback, IsLoopbackHostTest,
    ::testing::Values(HostCase{"0.0.0.0", false}, HostCase{"10.0.0.1", false}, HostCase{"::", false},
                      HostCase{"example.com", false}, HostCase{"128.0.0.1", false},
                      HostCase{"126.0.0.1", false}, HostCase{"1.127.0.0", false}, HostCase{"::2", false},
                      HostCase{"::ffff:10.0.0.1", false}, HostCase{"fe80::1", false}, HostCase{"", false},
                      HostCase{"127.0.0.1.example.com", false}, HostCase{"127.1", false},
                      HostCase{"127.0.0.256", false}, HostCase{"localhost.evil", false},
                      HostCase{"mylocalhost", false}, HostCase{"localhos", false}, HostCase{"[::1]", false},
                      HostCase{" 127.0.0.1", false}, HostCase{std::string("127.0.0.1\0.5", 11), false},
                      HostCase{std::string("localhost\0", 10), false}));

}  // namespace
}  // namespace migmon::config
