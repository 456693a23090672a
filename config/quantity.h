// Kubernetes resource quantities ("64Mi", "1.5Gi", "500M", "1e3") as bytes.
//
// Grammar (as Kubernetes' resource.Quantity):
//   [+|-] <digits>[.<digits>] | [+|-] .<digits>     followed by one suffix:
//   binary  Ki Mi Gi Ti Pi Ei           (powers of 1024)
//   decimal n u m "" k M G T P E        (powers of 1000)
//   exponent e<int> or E<int>           (powers of 10, <int> may be signed)
// The result is exact and rounded up to a whole byte, as Kubernetes rounds up
// fractional quantities (so "1m" is 1 byte and "0.5" is 1 byte).
//
// Thread-safety: pure functions, safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace migmon::config {

// Throws std::invalid_argument whose message quotes `text`: when it is not a
// quantity, when it is negative, or when it exceeds uint64_t.
uint64_t ParseQuantity(std::string_view text);

// An exact spelling for people: the largest binary unit that divides `bytes`
// ("64Mi"), else the largest decimal one ("500M"), else the plain integer.
// ParseQuantity(FormatQuantity(b)) == b.
std::string FormatQuantity(uint64_t bytes);

}  // namespace migmon::config
