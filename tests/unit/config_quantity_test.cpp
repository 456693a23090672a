#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "config/quantity.h"

namespace migmon::config {
namespace {

using ::testing::HasSubstr;

struct QuantityCase {
  std::string text;
  uint64_t bytes;
};

class ParseQuantityTest : public ::testing::TestWithParam<QuantityCase> {};

TEST_P(ParseQuantityTest, ParsesToBytes) { EXPECT_EQ(ParseQuantity(GetParam().text), GetParam().bytes); }

INSTANTIATE_TEST_SUITE_P(
    Table, ParseQuantityTest,
    ::testing::Values(QuantityCase{"64Mi", 67108864}, QuantityCase{"1Gi", 1073741824},
                      QuantityCase{"500M", 500000000}, QuantityCase{"1.5Gi", 1610612736},
                      QuantityCase{"100k", 100000}, QuantityCase{"1e3", 1000}, QuantityCase{"1E3", 1000},
                      QuantityCase{"1e+3", 1000}, QuantityCase{"0", 0}, QuantityCase{"0Mi", 0},
                      QuantityCase{"-0", 0}, QuantityCase{"12345", 12345}, QuantityCase{"+5Ki", 5120},
                      QuantityCase{".5Ki", 512}, QuantityCase{"1.Ki", 1024},
                      QuantityCase{"2E", 2000000000000000000}, QuantityCase{"1Ei", 1ull << 60},
                      QuantityCase{"18446744073709551615", 18446744073709551615ull},
                      // Fractions round up to a whole byte, as Kubernetes does.
                      QuantityCase{"0.5", 1}, QuantityCase{"1m", 1}, QuantityCase{"1500m", 2},
                      QuantityCase{"1n", 1}, QuantityCase{"1.0000001Ki", 1025}, QuantityCase{"1e-3", 1},
                      QuantityCase{"2000m", 2}, QuantityCase{"1.5k", 1500}));

struct BadQuantityCase {
  std::string text;
  std::string message;
};

class ParseQuantityErrorTest : public ::testing::TestWithParam<BadQuantityCase> {};

TEST_P(ParseQuantityErrorTest, ThrowsNamingTheText) {
  try {
    ParseQuantity(GetParam().text);
    FAIL() << "accepted " << GetParam().text;
  } catch (const std::invalid_argument& error) {
    EXPECT_THAT(error.what(), HasSubstr("\"" + GetParam().text + "\""));
    EXPECT_THAT(error.what(), HasSubstr(GetParam().message));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseQuantityErrorTest,
    ::testing::Values(
        BadQuantityCase{"64Mx", "is not a quantity (e.g. 64Mi, 1Gi, 500M)"},
        BadQuantityCase{"-1Mi", "is negative"}, BadQuantityCase{"", "is not a quantity"},
        BadQuantityCase{"Mi", "is not a quantity"}, BadQuantityCase{".", "is not a quantity"},
        BadQuantityCase{"1 Mi", "is not a quantity"}, BadQuantityCase{"1mi", "is not a quantity"},
        BadQuantityCase{"1e", "is not a quantity"}, BadQuantityCase{"1e1.5", "is not a quantity"},
        BadQuantityCase{"1KiB", "is not a quantity"}, BadQuantityCase{"0x10", "is not a quantity"},
        BadQuantityCase{"+-1", "is not a quantity"}, BadQuantityCase{"18446744073709551616", "is too large"},
        BadQuantityCase{"1e99999999999", "is not a quantity"}));

TEST(FormatQuantityTest, UsesTheLargestExactBinaryUnit) {
  EXPECT_EQ(FormatQuantity(0), "0");
  EXPECT_EQ(FormatQuantity(67108864), "64Mi");
  EXPECT_EQ(FormatQuantity(1073741824), "1Gi");
  EXPECT_EQ(FormatQuantity(3072), "3Ki");
  EXPECT_EQ(FormatQuantity(1536), "1536");
  EXPECT_EQ(FormatQuantity(500000000), "500M");
  EXPECT_EQ(FormatQuantity(1500000), "1500k");
  EXPECT_EQ(FormatQuantity(1000001), "1000001");
  EXPECT_EQ(FormatQuantity(1), "1");
}

TEST(FormatQuantityTest, RoundTripsThroughParseQuantity) {
  for (const uint64_t bytes : {0ull, 1ull, 1023ull, 1024ull, 67108864ull, 1610612736ull, 1ull << 60,
                               500000000ull, 1000001ull, 18446744073709551615ull}) {
    EXPECT_EQ(ParseQuantity(FormatQuantity(bytes)), bytes) << FormatQuantity(bytes);
  }
}

}  // namespace
}  // namespace migmon::config
