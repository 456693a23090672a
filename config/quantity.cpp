#include "config/quantity.h"

#include <array>
#include <charconv>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <utility>

#include "config/quote.h"

namespace migmon::config {

namespace {

using detail::Quoted;

constexpr const char* kExamples = " (e.g. 64Mi, 1Gi, 500M)";

struct BinarySuffix {
  std::string_view name;
  int power_of_1024;
};
constexpr std::array<BinarySuffix, 6> kBinarySuffixes{
    {{"Ki", 1}, {"Mi", 2}, {"Gi", 3}, {"Ti", 4}, {"Pi", 5}, {"Ei", 6}}};

struct DecimalSuffix {
  std::string_view name;
  int power_of_10;
};
constexpr std::array<DecimalSuffix, 10> kDecimalSuffixes{{{"n", -9},
                                                          {"u", -6},
                                                          {"m", -3},
                                                          {"", 0},
                                                          {"k", 3},
                                                          {"M", 6},
                                                          {"G", 9},
                                                          {"T", 12},
                                                          {"P", 15},
                                                          {"E", 18}}};

[[noreturn]] void ThrowNotAQuantity(std::string_view text) {
  throw std::invalid_argument(Quoted(text) + " is not a quantity" + kExamples);
}

[[noreturn]] void ThrowTooLarge(std::string_view text) {
  throw std::invalid_argument(Quoted(text) + " is too large (the maximum is " + std::to_string(UINT64_MAX) +
                              " bytes)");
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// An exact non-negative value: digits x 10^exponent, digits without leading zeros.
struct DecimalValue {
  std::string digits;  // empty means zero
  int64_t exponent = 0;
};

void StripLeadingZeros(std::string& digits) {
  const size_t first_significant = digits.find_first_not_of('0');
  digits.erase(0, first_significant == std::string::npos ? digits.size() : first_significant);
}

// digits *= factor, in decimal text; exact for any size.
void MultiplyDigits(std::string& digits, unsigned factor) {
  unsigned carry = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    const unsigned product = static_cast<unsigned>(*it - '0') * factor + carry;
    *it = static_cast<char>('0' + product % 10);
    carry = product / 10;
  }
  while (carry > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + carry % 10));
    carry /= 10;
  }
}

std::optional<uint64_t> ParseUint64(std::string_view digits) {
  if (digits.empty()) return 0;
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// ceil(value) as uint64_t, or nullopt on overflow.
std::optional<uint64_t> RoundUpToInteger(const DecimalValue& value) {
  if (value.digits.empty()) return 0;
  const auto digit_count = static_cast<int64_t>(value.digits.size());
  if (value.exponent >= 0) {
    // uint64_t has 20 digits; checking first keeps the zero padding small.
    if (digit_count + value.exponent > 20) return std::nullopt;
    return ParseUint64(value.digits + std::string(static_cast<size_t>(value.exponent), '0'));
  }
  const int64_t fraction_digits = -value.exponent;
  if (fraction_digits >= digit_count) return 1;  // 0 < value < 1; digits has no leading zero
  const auto integer_length = static_cast<size_t>(digit_count - fraction_digits);
  const std::string_view integer_part = std::string_view(value.digits).substr(0, integer_length);
  const std::string_view fraction = std::string_view(value.digits).substr(integer_length);
  const std::optional<uint64_t> whole = ParseUint64(integer_part);
  if (!whole) return std::nullopt;
  const bool has_fraction = fraction.find_first_not_of('0') != std::string_view::npos;
  if (!has_fraction) return whole;
  if (*whole == UINT64_MAX) return std::nullopt;
  return *whole + 1;
}

// Applies the suffix to `value`; false when the suffix is not in the grammar.
bool ApplySuffix(std::string_view suffix, DecimalValue& value) {
  for (const BinarySuffix& binary : kBinarySuffixes) {
    if (suffix == binary.name) {
      for (int i = 0; i < binary.power_of_1024; ++i) MultiplyDigits(value.digits, 1024);
      return true;
    }
  }
  for (const DecimalSuffix& decimal : kDecimalSuffixes) {
    if (suffix == decimal.name) {
      value.exponent += decimal.power_of_10;
      return true;
    }
  }
  if (suffix.size() < 2 || (suffix[0] != 'e' && suffix[0] != 'E')) return false;
  std::string_view exponent_text = suffix.substr(1);
  if (exponent_text[0] == '+') exponent_text.remove_prefix(1);
  // Bounded so exponent arithmetic cannot overflow; anything this large is
  // either zero-rounding-to-one or far beyond uint64_t anyway.
  int32_t exponent = 0;
  const auto [end, error] =
      std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  if (error != std::errc() || end != exponent_text.data() + exponent_text.size()) return false;
  value.exponent += exponent;
  return true;
}

}  // namespace

uint64_t ParseQuantity(std::string_view text) {
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }

  DecimalValue value;
  size_t integer_digits = 0;
  while (integer_digits < rest.size() && IsDigit(rest[integer_digits])) ++integer_digits;
  value.digits.assign(rest.substr(0, integer_digits));
  rest.remove_prefix(integer_digits);
  size_t fraction_digits = 0;
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    while (fraction_digits < rest.size() && IsDigit(rest[fraction_digits])) ++fraction_digits;
    value.digits.append(rest.substr(0, fraction_digits));
    value.exponent = -static_cast<int64_t>(fraction_digits);
    rest.remove_prefix(fraction_digits);
  }
  if (integer_digits + fraction_digits == 0) ThrowNotAQuantity(text);
  StripLeadingZeros(value.digits);

  if (!ApplySuffix(rest, value)) ThrowNotAQuantity(text);
  if (negative && !value.digits.empty()) {
    throw std::invalid_argument(Quoted(text) + " is negative; it must be >= 0");
  }
  const std::optional<uint64_t> bytes = RoundUpToInteger(value);
  if (!bytes) ThrowTooLarge(text);
  return *bytes;
}

std::string FormatQuantity(uint64_t bytes) {
  if (bytes == 0) return "0";
  // Largest unit first, so 1Gi is not spelled 1024Mi; binary before decimal
  // because byte counts are usually powers of two.
  for (auto it = kBinarySuffixes.rbegin(); it != kBinarySuffixes.rend(); ++it) {
    const uint64_t unit = uint64_t{1} << (10 * it->power_of_1024);
    if (bytes % unit == 0) return std::to_string(bytes / unit) + std::string(it->name);
  }
  for (auto it = kDecimalSuffixes.rbegin(); it != kDecimalSuffixes.rend() && it->power_of_10 > 0; ++it) {
    uint64_t unit = 1;
    for (int i = 0; i < it->power_of_10; ++i) unit *= 10;
    if (bytes % unit == 0) return std::to_string(bytes / unit) + std::string(it->name);
  }
  return std::to_string(bytes);
}

}  // namespace migmon::config
