#include "api/k8s/name_rules.h"

#include "util/k8s_names.h"

namespace migmon::api::k8s {

namespace {

// The messages below are kube-apiserver's, word for word, because users
// search for them; which rules a text breaks is util/k8s_names.h's to say.
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

std::string TooLong(size_t max) { return "must be no more than " + std::to_string(max) + " characters"; }

using k8s_names::kMaxLabelLength;
using k8s_names::kMaxSubdomainLength;

}  // namespace

std::vector<std::string> Dns1123SubdomainErrors(std::string_view text, bool prefix) {
  std::string checked(text);
  // A generateName prefix gets random characters appended, so a trailing
  // '-' is fine there: check it as if an alphanumeric followed.
  if (prefix && checked.size() > 1 && checked.back() == '-') checked.back() = 'a';
  const k8s_names::Verdict verdict = k8s_names::CheckDns1123Subdomain(checked);
  std::vector<std::string> errors;
  if (verdict.too_long) errors.push_back(TooLong(kMaxSubdomainLength));
  if (verdict.bad_syntax) errors.emplace_back(kSubdomainMessage);
  return errors;
}

std::vector<std::string> Dns1123LabelErrors(std::string_view text) {
  const k8s_names::Verdict verdict = k8s_names::CheckDns1123Label(text);
  std::vector<std::string> errors;
  if (verdict.too_long) errors.push_back(TooLong(kMaxLabelLength));
  if (verdict.bad_syntax) errors.emplace_back(kLabelMessage);
  return errors;
}

std::vector<std::string> QualifiedNameErrors(std::string_view text) {
  const k8s_names::QualifiedNameVerdict verdict = k8s_names::CheckQualifiedName(text);
  if (verdict.extra_slash) return {std::string(kQualifiedNameWhole)};
  std::vector<std::string> errors;
  if (verdict.prefix_empty) errors.emplace_back("prefix part must be non-empty");
  if (verdict.prefix.too_long) errors.push_back("prefix part " + TooLong(kMaxSubdomainLength));
  if (verdict.prefix.bad_syntax) errors.push_back("prefix part " + std::string(kSubdomainMessage));
  if (verdict.name_empty) errors.emplace_back("name part must be non-empty");
  if (verdict.name.too_long) errors.push_back("name part " + TooLong(kMaxLabelLength));
  if (verdict.name.bad_syntax) errors.emplace_back(kQualifiedNamePart);
  return errors;
}

std::vector<std::string> LabelValueErrors(std::string_view text) {
  const k8s_names::Verdict verdict = k8s_names::CheckLabelValue(text);
  std::vector<std::string> errors;
  if (verdict.too_long) errors.push_back(TooLong(kMaxLabelLength));
  if (verdict.bad_syntax) errors.emplace_back(kLabelValueMessage);
  return errors;
}

}  // namespace migmon::api::k8s
