#include "config/yaml_tree.h"

#include <optional>

#include "config/config.h"
#include "util/yaml_reader.h"

namespace migmon::config::detail {
namespace {

bool IsNullSpelling(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

class NodeBuilder : public yaml::YamlHandler {
 public:
  std::vector<YAML::Node>& documents() { return documents_; }

  void BeginDocument(const yaml::Mark&) override {}
  void EndDocument() override {}
  void OnScalar(const yaml::Scalar& scalar) override {
    if (scalar.plain && scalar.tag.empty() && IsNullSpelling(scalar.value)) {
      Add(YAML::Node(YAML::NodeType::Null));
      return;
    }
    YAML::Node node{std::string(scalar.value)};
    node.SetTag(!scalar.tag.empty() ? std::string(scalar.tag) : scalar.plain ? "?" : "!");
    Add(node);
  }
  void BeginSequence(const yaml::Mark&) override { Open(YAML::Node(YAML::NodeType::Sequence)); }
  void BeginMapping(const yaml::Mark&) override { Open(YAML::Node(YAML::NodeType::Map)); }
  void EndCollection() override { open_.pop_back(); }

 private:
  struct Container {
    YAML::Node node;
    std::optional<YAML::Node> key;  // a mapping's key waiting for its value
  };

  // yaml-cpp nodes are handles: a collection added to its parent first and
  // filled afterwards is the same node in both places.
  void Open(YAML::Node collection) {
    Add(collection);
    open_.push_back({collection, std::nullopt});
  }

  void Add(const YAML::Node& node) {
    if (open_.empty()) {
      documents_.push_back(node);
      return;
    }
    Container& parent = open_.back();
    if (parent.node.IsSequence()) {
      parent.node.push_back(node);
    } else if (!parent.key) {
      parent.key = node;
    } else {
      // force_insert keeps a repeated key, so MapEntries can name it.
      parent.node.force_insert(*parent.key, node);
      parent.key.reset();
    }
  }

  std::vector<YAML::Node> documents_;
  std::vector<Container> open_;
};

}  // namespace

std::vector<YAML::Node> ReadYamlDocuments(std::string_view text, const std::string& source) {
  NodeBuilder builder;
  if (auto error = yaml::ReadYaml(text, builder)) {
    throw ConfigError("", source + ": YAML syntax error at " + yaml::Where(error->mark) + ": " + error->message);
  }
  return std::move(builder.documents());
}

}  // namespace migmon::config::detail
