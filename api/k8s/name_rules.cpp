#include "api/k8s/name_rules.h"

namespace migmon::api::k8s {

namespace {

// The messages below are kube-apiserver's, word for word, because users
// search for them; the checks themselves are hand-written scanners.
constexpr std::string_view kSubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr std::string_view kLabelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr std::string_view kQualifiedNamePart =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr std::string_view kQualifiedNameWhole =
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
    "'example.com/MyName')";
constexpr std::string_view kLabelValueMessage =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

std::string TooLong(size_t max) { return "must be no more than " + std::to_string(max) + " characters"; }

// One RFC 1123 label: lower alnum at both ends, lower alnum or '-' between.
bool IsLabel(std::string_view text) {
  if (text.empty() || !IsLowerAlnum(text.front()) || !IsLowerAlnum(text.back())) return false;
  for (char c : text) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

bool IsSubdomain(std::string_view text) {
  // Dot-separated labels; an empty label (leading, trailing or double dot) fails.
  while (true) {
    size_t dot = text.find('.');
    if (!IsLabel(text.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    text.remove_prefix(dot + 1);
  }
}

// [A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9], or one alphanumeric.
bool IsQualifiedPart(std::string_view text) {
  if (text.empty() || !IsAlnum(text.front()) || !IsAlnum(text.back())) return false;
  for (char c : text) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> Dns1123SubdomainErrors(std::string_view text, bool prefix) {
  std::string checked(text);
  // A generateName prefix gets random characters appended, so a trailing
  // '-' is fine there: check it as if an alphanumeric followed.
  if (prefix && checked.size() > 1 && checked.back() == '-') checked.back() = 'a';
  std::vector<std::string> errors;
  if (checked.size() > 253) errors.push_back(TooLong(253));
  if (!IsSubdomain(checked)) errors.emplace_back(kSubdomainMessage);
  return errors;
}

std::vector<std::string> Dns1123LabelErrors(std::string_view text) {
  std::vector<std::string> errors;
  if (text.size() > 63) errors.push_back(TooLong(63));
  if (!IsLabel(text)) errors.emplace_back(kLabelMessage);
  return errors;
}

std::vector<std::string> QualifiedNameErrors(std::string_view text) {
  std::vector<std::string> errors;
  std::string_view name = text;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    if (text.find('/', slash + 1) != std::string_view::npos) return {std::string(kQualifiedNameWhole)};
    std::string_view prefix = text.substr(0, slash);
    name = text.substr(slash + 1);
    if (prefix.empty()) {
      errors.emplace_back("prefix part must be non-empty");
    } else {
      for (const std::string& msg : Dns1123SubdomainErrors(prefix)) errors.push_back("prefix part " + msg);
    }
  }
  if (name.empty()) {
    errors.emplace_back("name part must be non-empty");
  } else {
    if (name.size() > 63) errors.push_back("name part " + TooLong(63));
    if (!IsQualifiedPart(name)) errors.emplace_back(kQualifiedNamePart);
  }
  return errors;
}

std::vector<std::string> LabelValueErrors(std::string_view text) {
  std::vector<std::string> errors;
  if (text.size() > 63) errors.push_back(TooLong(63));
  if (!text.empty() && !IsQualifiedPart(text)) errors.emplace_back(kLabelValueMessage);
  return errors;
}

}  // namespace migmon::api::k8s
