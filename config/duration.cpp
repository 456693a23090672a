#include "config/duration.h"

#include <array>
#include <cstdint>
#include <stdexcept>

#include "config/quote.h"

namespace migmon::config {

namespace {

using detail::Quoted;

constexpr const char* kUnitList = "ns, us, ms, s, m, h";

struct Unit {
  std::string_view name;
  int64_t nanoseconds;
};
constexpr int64_t kSecond = 1'000'000'000;
constexpr std::array<Unit, 8> kUnits{{{"ns", 1},
                                      {"us", 1'000},
                                      {"\xC2\xB5s", 1'000},  // U+00B5 micro sign
                                      {"\xCE\xBCs", 1'000},  // U+03BC Greek small letter mu
                                      {"ms", 1'000'000},
                                      {"s", kSecond},
                                      {"m", 60 * kSecond},
                                      {"h", 3600 * kSecond}}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

[[noreturn]] void ThrowNotADuration(std::string_view text) {
  throw std::invalid_argument(Quoted(text) + " is not a duration (e.g. 500ms, 5s, 1m30s)");
}

[[noreturn]] void ThrowTooLarge(std::string_view text) {
  throw std::invalid_argument(Quoted(text) + " is too large a duration");
}

// One "<number><unit>" component, in nanoseconds. Advances `rest` past it.
int64_t ParseComponent(std::string_view text, std::string_view& rest) {
  const std::string_view component = rest;
  int64_t whole = 0;
  size_t whole_digits = 0;
  for (; whole_digits < rest.size() && IsDigit(rest[whole_digits]); ++whole_digits) {
    if (__builtin_mul_overflow(whole, 10, &whole) ||
        __builtin_add_overflow(whole, rest[whole_digits] - '0', &whole)) {
      ThrowTooLarge(text);
    }
  }
  rest.remove_prefix(whole_digits);

  // The fraction is kept to 18 digits (beyond nanosecond precision for every
  // unit); further digits are dropped, as Go does.
  int64_t fraction = 0;
  int64_t fraction_scale = 1;
  size_t fraction_digits = 0;
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    for (; fraction_digits < rest.size() && IsDigit(rest[fraction_digits]); ++fraction_digits) {
      if (fraction_scale <= 100'000'000'000'000'000) {
        fraction = fraction * 10 + (rest[fraction_digits] - '0');
        fraction_scale *= 10;
      }
    }
    rest.remove_prefix(fraction_digits);
  }
  if (whole_digits + fraction_digits == 0) ThrowNotADuration(text);
  const std::string_view number = component.substr(0, component.size() - rest.size());

  size_t unit_length = 0;
  while (unit_length < rest.size() && !IsDigit(rest[unit_length]) && rest[unit_length] != '.') {
    ++unit_length;
  }
  const std::string_view unit_name = rest.substr(0, unit_length);
  rest.remove_prefix(unit_length);
  if (unit_name.empty()) {
    // Name the unit-less number only when it is not the whole text ("1h2").
    const std::string after = number.size() == text.size() ? "" : " after " + Quoted(number);
    throw std::invalid_argument(Quoted(text) + " needs a unit" + after + " (one of " + kUnitList + ")");
  }
  const Unit* unit = nullptr;
  for (const Unit& candidate : kUnits) {
    if (candidate.name == unit_name) unit = &candidate;
  }
  if (unit == nullptr) {
    throw std::invalid_argument(Quoted(text) + " has an unknown unit " + Quoted(unit_name) + " (one of " +
                                kUnitList + ")");
  }

  int64_t nanoseconds = 0;
  if (__builtin_mul_overflow(whole, unit->nanoseconds, &nanoseconds)) ThrowTooLarge(text);
  // long double holds fraction and scale exactly; only the sub-nanosecond
  // remainder is lost, and it is truncated as in Go.
  const auto fraction_nanoseconds =
      static_cast<int64_t>(static_cast<long double>(fraction) * static_cast<long double>(unit->nanoseconds) /
                           static_cast<long double>(fraction_scale));
  if (__builtin_add_overflow(nanoseconds, fraction_nanoseconds, &nanoseconds)) ThrowTooLarge(text);
  return nanoseconds;
}

}  // namespace

std::chrono::nanoseconds ParseDurationNanoseconds(std::string_view text) {
  std::string_view rest = text;
  if (!rest.empty() && rest[0] == '-') {
    throw std::invalid_argument(Quoted(text) + " is negative; a duration must be >= 0");
  }
  if (!rest.empty() && rest[0] == '+') rest.remove_prefix(1);
  if (rest.empty()) ThrowNotADuration(text);

  int64_t total = 0;
  while (!rest.empty()) {
    if (__builtin_add_overflow(total, ParseComponent(text, rest), &total)) ThrowTooLarge(text);
  }
  return std::chrono::nanoseconds(total);
}

std::chrono::milliseconds ParseDuration(std::string_view text) {
  const auto rounded = std::chrono::ceil<std::chrono::milliseconds>(ParseDurationNanoseconds(text));
  // Rounding up the last 0.854775807 ms below the int64 limit would give a
  // value that no longer converts back to nanoseconds (signed overflow in
  // every comparison or sum with a nanoseconds duration).
  if (rounded > kMaxDurationMilliseconds) ThrowTooLarge(text);
  return rounded;
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  if (duration.count() == 0) return "0s";
  struct Part {
    std::chrono::milliseconds size;
    const char* unit;
  };
  constexpr std::array<Part, 4> kParts{{{std::chrono::hours(1), "h"},
                                        {std::chrono::minutes(1), "m"},
                                        {std::chrono::seconds(1), "s"},
                                        {std::chrono::milliseconds(1), "ms"}}};
  std::string text;
  for (const Part& part : kParts) {
    const auto count = duration / part.size;
    if (count == 0) continue;
    text += std::to_string(count) + part.unit;
    duration -= count * part.size;
  }
  return text;
}

}  // namespace migmon::config
