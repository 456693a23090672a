#include "store/selectors.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "util/k8s_names.h"

namespace migmon::store {
namespace {

using nlohmann::json;

// ---- label selector lexer -------------------------------------------------

enum class Tok { kIdent, kEquals, kDoubleEquals, kNotEquals, kBang, kOpen, kClose, kComma, kUnsupported, kEnd };

struct Token {
  Tok kind;
  std::string text;
};

bool IsSpecial(char c) {
  return c == '!' || c == '=' || c == '(' || c == ')' || c == ',' || c == '<' || c == '>';
}
bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::vector<Token> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (IsSpace(c)) {
      ++i;
    } else if (c == '=' || c == '!') {
      const bool then_eq = i + 1 < s.size() && s[i + 1] == '=';
      if (c == '=') out.push_back({then_eq ? Tok::kDoubleEquals : Tok::kEquals, then_eq ? "==" : "="});
      else out.push_back({then_eq ? Tok::kNotEquals : Tok::kBang, then_eq ? "!=" : "!"});
      i += then_eq ? 2 : 1;
    } else if (c == '(' || c == ')' || c == ',') {
      out.push_back({c == '(' ? Tok::kOpen : c == ')' ? Tok::kClose : Tok::kComma, std::string(1, c)});
      ++i;
    } else if (c == '<' || c == '>') {
      out.push_back({Tok::kUnsupported, std::string(1, c)});
      ++i;
    } else {
      const size_t start = i;
      while (i < s.size() && !IsSpace(s[i]) && !IsSpecial(s[i])) ++i;
      out.push_back({Tok::kIdent, std::string(s.substr(start, i - start))});
    }
  }
  out.push_back({Tok::kEnd, ""});
  return out;
}

class LabelParser {
 public:
  explicit LabelParser(std::string_view text) : text_(text), tokens_(Lex(text)) {}

  std::vector<LabelRequirement> Parse() {
    std::vector<LabelRequirement> out;
    if (Peek().kind == Tok::kEnd) return out;
    for (;;) {
      out.push_back(Requirement());
      const Token t = Take();
      if (t.kind == Tok::kEnd) return out;
      if (t.kind != Tok::kComma) Fail("expected ',' or end of selector, found '" + t.text + "'");
      if (Peek().kind == Tok::kEnd) Fail("expected a requirement after ','");
    }
  }

 private:
  [[noreturn]] void Fail(const std::string& detail) const {
    throw std::invalid_argument("invalid label selector \"" + std::string(text_) + "\": " + detail);
  }
  const Token& Peek() const { return tokens_[pos_]; }
  Token Take() {
    const Token t = tokens_[pos_];
    if (t.kind != Tok::kEnd) ++pos_;
    return t;
  }
  static std::string Describe(const Token& t) { return t.kind == Tok::kEnd ? "end of selector" : "'" + t.text + "'"; }

  std::string Key(const Token& t) {
    if (t.kind != Tok::kIdent) Fail("expected a label key, found " + Describe(t));
    if (!k8s_names::IsQualifiedName(t.text)) Fail("invalid label key '" + t.text + "'");
    return t.text;
  }
  std::string Value(const std::string& v) {
    if (!k8s_names::IsLabelValue(v)) Fail("invalid label value '" + v + "'");
    return v;
  }

  LabelRequirement Requirement() {
    LabelRequirement r;
    const Token first = Take();
    if (first.kind == Tok::kBang) {
      r.key = Key(Take());
      r.op = LabelRequirement::Op::kDoesNotExist;
      return r;
    }
    r.key = Key(first);
    const Token& next = Peek();
    switch (next.kind) {
      case Tok::kEnd:
      case Tok::kComma: r.op = LabelRequirement::Op::kExists; return r;
      case Tok::kEquals:
      case Tok::kDoubleEquals:
      case Tok::kNotEquals: {
        r.op = next.kind == Tok::kNotEquals ? LabelRequirement::Op::kNotEquals : LabelRequirement::Op::kEquals;
        const std::string op = Take().text;
        // "key=" selects the empty value, as in Kubernetes.
        if (Peek().kind == Tok::kIdent) r.values.push_back(Value(Take().text));
        else if (Peek().kind == Tok::kEnd || Peek().kind == Tok::kComma) r.values.push_back("");
        else Fail("expected a value after '" + r.key + op + "', found " + Describe(Peek()));
        return r;
      }
      case Tok::kIdent:
        if (next.text == "in" || next.text == "notin") {
          r.op = next.text == "in" ? LabelRequirement::Op::kIn : LabelRequirement::Op::kNotIn;
          Take();
          r.values = Values(r.key);
          return r;
        }
        break;
      case Tok::kUnsupported: Fail("operator '" + next.text + "' after key '" + r.key + "' is not supported");
      default: break;
    }
    Fail("expected an operator after key '" + r.key + "', found " + Describe(next));
  }

  // "(a, b)"; an empty slot is the empty value ("()" selects ""), as in Kubernetes.
  std::vector<std::string> Values(const std::string& key) {
    const Token open = Take();
    if (open.kind != Tok::kOpen) Fail("expected '(' after the set operator of '" + key + "', found " + Describe(open));
    std::vector<std::string> values;
    bool want_value = true;
    for (;;) {
      const Token t = Take();
      if (t.kind == Tok::kIdent && want_value) {
        values.push_back(Value(t.text));
        want_value = false;
      } else if (t.kind == Tok::kComma || t.kind == Tok::kClose) {
        if (want_value) values.push_back("");
        if (t.kind == Tok::kClose) return values;
        want_value = true;
      } else {
        Fail("expected " + std::string(want_value ? "a value" : "',' or ')'") + " in the values of '" + key +
             "', found " + Describe(t));
      }
    }
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

std::string Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Splits on unescaped ',' (a backslash escapes the next character).
std::vector<std::string> SplitTerms(std::string_view text) {
  std::vector<std::string> terms(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      terms.back() += text.substr(i, 2);
      ++i;
    } else if (text[i] == ',') {
      terms.emplace_back();
    } else {
      terms.back() += text[i];
    }
  }
  return terms;
}

std::string Unescape(const std::string& value, const std::string& term) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\') {
      out += value[i];
      continue;
    }
    if (i + 1 == value.size() || (value[i + 1] != '\\' && value[i + 1] != ',' && value[i + 1] != '=')) {
      throw std::invalid_argument("invalid field selector \"" + term + "\": invalid escape sequence");
    }
    out += value[++i];
  }
  return out;
}

std::string MetaString(const json& object, const char* key) {
  const auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "";
  const auto it = meta->find(key);
  return it != meta->end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

LabelSelector LabelSelector::Parse(std::string_view text) {
  LabelSelector s;
  s.requirements_ = LabelParser(text).Parse();
  return s;
}

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  using Op = LabelRequirement::Op;
  for (const auto& r : requirements_) {
    const auto it = labels.find(r.key);
    const bool has = it != labels.end();
    const bool in_set = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    bool ok = false;
    switch (r.op) {
      case Op::kEquals:
      case Op::kIn: ok = in_set; break;
      case Op::kNotEquals:
      case Op::kNotIn: ok = !in_set; break;  // also true without the label
      case Op::kExists: ok = has; break;
      case Op::kDoesNotExist: ok = !has; break;
    }
    if (!ok) return false;
  }
  return true;
}

bool LabelSelector::Matches(const json& object) const {
  if (requirements_.empty()) return true;
  std::map<std::string, std::string> labels;
  if (object.is_object()) {
    const auto meta = object.find("metadata");
    if (meta != object.end() && meta->is_object()) {
      const auto l = meta->find("labels");
      if (l != meta->end() && l->is_object()) {
        for (const auto& [k, v] : l->items()) {
          if (v.is_string()) labels.emplace(k, v.get<std::string>());
        }
      }
    }
  }
  return Matches(labels);
}

FieldSelector FieldSelector::Parse(std::string_view text) {
  FieldSelector s;
  if (Trim(text).empty()) return s;
  for (const std::string& term : SplitTerms(text)) {
    // The first unescaped "!=", "==" or "=", as Kubernetes splits a term.
    size_t at = std::string::npos, op_len = 0;
    bool negated = false;
    for (size_t i = 0; i < term.size() && at == std::string::npos; ++i) {
      if (term[i] == '\\') {
        ++i;
      } else if (term.compare(i, 2, "!=") == 0) {
        at = i, op_len = 2, negated = true;
      } else if (term.compare(i, 2, "==") == 0) {
        at = i, op_len = 2;
      } else if (term[i] == '=') {
        at = i, op_len = 1;
      }
    }
    if (at == std::string::npos) {
      throw std::invalid_argument("invalid field selector \"" + std::string(text) + "\": can't understand '" + term +
                                  "' (expected field=value, field==value or field!=value)");
    }
    const std::string field = Trim(std::string_view(term).substr(0, at));
    FieldRequirement r;
    if (field == "metadata.name") r.field = FieldRequirement::Field::kName;
    else if (field == "metadata.namespace") r.field = FieldRequirement::Field::kNamespace;
    else throw std::invalid_argument("field label not supported: " + field);
    r.negated = negated;
    r.value = Unescape(Trim(std::string_view(term).substr(at + op_len)), term);
    s.requirements_.push_back(std::move(r));
  }
  return s;
}

bool FieldSelector::Matches(const std::string& ns, const std::string& name) const {
  return std::all_of(requirements_.begin(), requirements_.end(), [&](const FieldRequirement& r) {
    const std::string& actual = r.field == FieldRequirement::Field::kName ? name : ns;
    return (actual == r.value) != r.negated;
  });
}

bool FieldSelector::Matches(const json& object) const {
  if (requirements_.empty()) return true;
  if (!object.is_object()) return Matches(std::string(), std::string());
  return Matches(MetaString(object, "namespace"), MetaString(object, "name"));
}

}  // namespace migmon::store
