#include "config/k8s_names.h"

#include <algorithm>

namespace migmon::config::detail {

namespace {

constexpr size_t kMaxLabelLength = 63;
constexpr size_t kMaxSubdomainLength = 253;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool IsDns1123Label(std::string_view text) {
  return !text.empty() && text.size() <= kMaxLabelLength && IsLowerAlnum(text.front()) &&
         IsLowerAlnum(text.back()) &&
         std::all_of(text.begin(), text.end(), [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

bool IsLabelValue(std::string_view text) {
  if (text.empty()) return true;
  return text.size() <= kMaxLabelLength && IsAlnum(text.front()) && IsAlnum(text.back()) &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool IsLabelKey(std::string_view text) {
  const size_t slash = text.find('/');
  const std::string_view name = slash == std::string_view::npos ? text : text.substr(slash + 1);
  if (name.empty() || !IsLabelValue(name)) return false;
  if (slash == std::string_view::npos) return true;

  // A DNS-1123 subdomain is dot-separated DNS-1123 labels.
  std::string_view prefix = text.substr(0, slash);
  if (prefix.empty() || prefix.size() > kMaxSubdomainLength) return false;
  while (true) {
    const size_t dot = prefix.find('.');
    if (!IsDns1123Label(prefix.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    prefix.remove_prefix(dot + 1);
  }
}

}  // namespace migmon::config::detail
