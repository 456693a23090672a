#include "util/k8s_names.h"

#include <algorithm>

namespace migmon::k8s_names {
namespace {

// ASCII only, whatever the locale: Kubernetes' regexes are ASCII.
bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool LabelSyntax(std::string_view text) {
  return !text.empty() && IsLowerAlnum(text.front()) && IsLowerAlnum(text.back()) &&
         std::all_of(text.begin(), text.end(), [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool NamePartSyntax(std::string_view text) {
  return !text.empty() && IsAlnum(text.front()) && IsAlnum(text.back()) &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

}  // namespace

Verdict CheckDns1123Label(std::string_view text) {
  return {.too_long = text.size() > kMaxLabelLength, .bad_syntax = !LabelSyntax(text)};
}

Verdict CheckDns1123Subdomain(std::string_view text) {
  Verdict verdict{.too_long = text.size() > kMaxSubdomainLength};
  // Each dot-separated part is a label's syntax; an empty part (a leading,
  // trailing or doubled dot) is not.
  std::string_view rest = text;
  while (true) {
    const size_t dot = rest.find('.');
    if (!LabelSyntax(rest.substr(0, dot))) {
      verdict.bad_syntax = true;
      break;
    }
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return verdict;
}

Verdict CheckLabelValue(std::string_view text) {
  return {.too_long = text.size() > kMaxLabelLength, .bad_syntax = !text.empty() && !NamePartSyntax(text)};
}

QualifiedNameVerdict CheckQualifiedName(std::string_view text) {
  QualifiedNameVerdict verdict;
  std::string_view name = text;
  const size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    if (text.find('/', slash + 1) != std::string_view::npos) {
      verdict.extra_slash = true;
      return verdict;
    }
    verdict.has_prefix = true;
    const std::string_view prefix = text.substr(0, slash);
    verdict.prefix_empty = prefix.empty();
    if (!prefix.empty()) verdict.prefix = CheckDns1123Subdomain(prefix);
    name = text.substr(slash + 1);
  }
  verdict.name_empty = name.empty();
  if (!name.empty()) {
    verdict.name = {.too_long = name.size() > kMaxLabelLength, .bad_syntax = !NamePartSyntax(name)};
  }
  return verdict;
}

}  // namespace migmon::k8s_names
