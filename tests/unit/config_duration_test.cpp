#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "config/duration.h"

namespace migmon::config {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

struct DurationCase {
  std::string text;
  std::chrono::nanoseconds exact;
  std::chrono::milliseconds rounded_up;
};

class ParseDurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(ParseDurationTest, ParsesExactlyAndRoundsUpToMilliseconds) {
  EXPECT_EQ(ParseDurationNanoseconds(GetParam().text), GetParam().exact);
  EXPECT_EQ(ParseDuration(GetParam().text), GetParam().rounded_up);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseDurationTest,
    ::testing::Values(DurationCase{"500ms", 500ms, 500ms}, DurationCase{"5s", 5s, 5s},
                      DurationCase{"1m30s", 90s, 90s}, DurationCase{"1.5s", 1500ms, 1500ms},
                      DurationCase{"2h", 2h, 2h}, DurationCase{"100us", 100us, 1ms},
                      DurationCase{"100\xC2\xB5s", 100us, 1ms}, DurationCase{"100\xCE\xBCs", 100us, 1ms},
                      DurationCase{"1500000ns", 1500us, 2ms}, DurationCase{"0s", 0s, 0ms},
                      DurationCase{"+5s", 5s, 5s}, DurationCase{".5s", 500ms, 500ms},
                      DurationCase{"1.s", 1s, 1s}, DurationCase{"1h2m3s4ms", 3723004ms, 3723004ms},
                      DurationCase{"1s1s", 2s, 2s},
                      DurationCase{"0.3333333333333333333333s", 333333333ns, 334ms},
                      DurationCase{"2562047h", 2562047h, 2562047h}));

struct BadDurationCase {
  std::string text;
  std::string message;
};

class ParseDurationErrorTest : public ::testing::TestWithParam<BadDurationCase> {};

TEST_P(ParseDurationErrorTest, ThrowsNamingTheText) {
  try {
    ParseDuration(GetParam().text);
    FAIL() << "accepted " << GetParam().text;
  } catch (const std::invalid_argument& error) {
    EXPECT_THAT(error.what(), HasSubstr("\"" + GetParam().text + "\""));
    EXPECT_THAT(error.what(), HasSubstr(GetParam().message));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseDurationErrorTest,
    ::testing::Values(
        BadDurationCase{"5", "\"5\" needs a unit (one of ns, us, ms, s, m, h)"},
        BadDurationCase{"0", "needs a unit"}, BadDurationCase{"1h2", "needs a unit after \"2\""},
        BadDurationCase{"5x", "unknown unit \"x\""}, BadDurationCase{"5 s", "unknown unit \" s\""},
        BadDurationCase{"5S", "unknown unit \"S\""}, BadDurationCase{"-1s", "is negative"},
        BadDurationCase{"", "is not a duration"}, BadDurationCase{"s", "is not a duration"},
        BadDurationCase{".s", "is not a duration"}, BadDurationCase{"+", "is not a duration"},
        BadDurationCase{"1.5.5s", "needs a unit after \"1.5\""}, BadDurationCase{"2562048h", "is too large"},
        BadDurationCase{"99999999999999999999ns", "is too large"},
        // Fits in nanoseconds, but rounded up to milliseconds it would not.
        BadDurationCase{"2562047h47m16.854775807s", "is too large"}));

TEST(ParseDurationTest, LargestDurationRoundTripsInBothUnits) {
  EXPECT_EQ(ParseDurationNanoseconds("2562047h47m16.854775807s"), std::chrono::nanoseconds::max());
  EXPECT_EQ(ParseDuration("2562047h47m16.854s"), kMaxDurationMilliseconds);
  EXPECT_EQ(ParseDuration(FormatDuration(kMaxDurationMilliseconds)), kMaxDurationMilliseconds);
  EXPECT_EQ(kMaxDurationMilliseconds.count(), 9'223'372'036'854);
}

TEST(FormatDurationTest, DropsZeroComponents) {
  EXPECT_EQ(FormatDuration(0ms), "0s");
  EXPECT_EQ(FormatDuration(500ms), "500ms");
  EXPECT_EQ(FormatDuration(5s), "5s");
  EXPECT_EQ(FormatDuration(90s), "1m30s");
  EXPECT_EQ(FormatDuration(1500ms), "1s500ms");
  EXPECT_EQ(FormatDuration(10min), "10m");
  EXPECT_EQ(FormatDuration(2h), "2h");
}

TEST(FormatDurationTest, RoundTripsThroughParseDuration) {
  for (const std::chrono::milliseconds duration : {0ms, 1ms, 50ms, 999ms, 1001ms, 60000ms, 3723004ms}) {
    EXPECT_EQ(ParseDuration(FormatDuration(duration)), duration) << FormatDuration(duration);
  }
}

}  // namespace
}  // namespace migmon::config
