// Kubernetes label and field selectors (the ?labelSelector= and
// ?fieldSelector= of list and watch), parsed once and matched against
// objects. Pure functions over values: thread-safe, no I/O.
//
// Label selector grammar (comma = AND, whitespace around tokens ignored):
//   key=value  key==value  key!=value  key in (a,b)  key notin (a,b)  key  !key
// Keys are Kubernetes qualified names ([prefix/]name), values label values
// (at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends, or
// empty). "!=" and "notin" also match objects without the label, as in
// Kubernetes. The set-based "<" and ">" operators are not supported.
//
// Field selectors: metadata.name and metadata.namespace with =, == or !=
// (comma = AND; "\," "\=" "\\" escape, as in Kubernetes).
//
// Parse errors throw std::invalid_argument whose message names the bad part.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace migmon::store {

struct LabelRequirement {
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist };
  std::string key;
  Op op = Op::kExists;
  std::vector<std::string> values;  // one for kEquals/kNotEquals, the set for kIn/kNotIn
};

class LabelSelector {
 public:
  // The empty selector: matches everything.
  LabelSelector() = default;
  // Parses `text`; "" (or only whitespace) is the empty selector.
  static LabelSelector Parse(std::string_view text);

  bool Matches(const std::map<std::string, std::string>& labels) const;
  // Matches against object.metadata.labels (absent: no labels; non-string
  // values are ignored).
  bool Matches(const nlohmann::json& object) const;

  bool empty() const { return requirements_.empty(); }
  const std::vector<LabelRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<LabelRequirement> requirements_;
};

struct FieldRequirement {
  enum class Field { kName, kNamespace };
  Field field = Field::kName;
  bool negated = false;  // "!="
  std::string value;
};

class FieldSelector {
 public:
  FieldSelector() = default;  // matches everything
  static FieldSelector Parse(std::string_view text);

  bool Matches(const std::string& ns, const std::string& name) const;
  // Matches against object.metadata.namespace/.name (absent: "").
  bool Matches(const nlohmann::json& object) const;

  bool empty() const { return requirements_.empty(); }
  const std::vector<FieldRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<FieldRequirement> requirements_;
};

}  // namespace migmon::store
