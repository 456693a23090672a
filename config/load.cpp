#include "config/load.h"

#include <yaml-cpp/yaml.h>

#include <vector>

#include "config/config_document.h"
#include "config/duration.h"
#include "config/file_text.h"
#include "config/kubevirt_cr.h"
#include "config/quote.h"
#include "config/strict_yaml.h"
#include "config/yaml_tree.h"

namespace migmon::config {

namespace {

using detail::ChildPath;
using detail::IndexPath;
using detail::Quoted;

// A YAML text and how messages name it: a file path, or a role when parsing
// text given directly.
struct Source {
  std::string_view text;
  std::string name;
};

std::vector<YAML::Node> LoadDocuments(const Source& source) {
  return detail::ReadYamlDocuments(source.text, source.name);
}

struct Documents {
  std::optional<YAML::Node> config;
  std::vector<YAML::Node> kubevirt_crs;
};

// For a document that declares a kind, but not KubeVirt: most likely a
// manifest pasted into the wrong file, so name its kind.
[[noreturn]] void ThrowNotKubeVirt(const YAML::Node& document, const std::string& document_path) {
  throw ConfigError(ChildPath(document_path, "kind"),
                    detail::Describe(document["kind"]) +
                        " is not a kind migration-monitor reads; only a KubeVirt CR (kind: KubeVirt) may sit "
                        "next to the config");
}

// Sorts the documents of the config text: our config, then KubeVirt CRs.
// Empty documents (a lone "---") hold nothing and are skipped.
void SortConfigDocuments(const std::vector<YAML::Node>& documents, Documents& sorted) {
  for (size_t i = 0; i < documents.size(); ++i) {
    const YAML::Node& document = documents[i];
    const std::string document_path = IndexPath("documents", i);
    if (document.IsNull()) continue;
    if (detail::IsKubeVirtCr(document)) {
      sorted.kubevirt_crs.push_back(document);
    } else if (document.IsMap() && document["kind"].IsDefined()) {
      ThrowNotKubeVirt(document, document_path);
    } else if (!sorted.config) {
      sorted.config = document;
    } else {
      throw ConfigError(document_path,
                        "a second config document; only a KubeVirt CR (kind: KubeVirt) may "
                        "follow the config");
    }
  }
}

// The separate KubeVirt text must hold nothing but KubeVirt CRs, and one at least.
void SortKubeVirtDocuments(const std::vector<YAML::Node>& documents, Documents& sorted) {
  const std::string documents_path = ChildPath(detail::kKubeVirtPath, "documents");
  size_t found = 0;
  for (size_t i = 0; i < documents.size(); ++i) {
    const YAML::Node& document = documents[i];
    if (document.IsNull()) continue;
    const std::string document_path = IndexPath(documents_path, i);
    if (!detail::IsKubeVirtCr(document)) {
      if (!document.IsMap()) {
        throw ConfigError(document_path, "expected a KubeVirt CR, got " + detail::Describe(document));
      }
      ThrowNotKubeVirt(document, document_path);
    }
    sorted.kubevirt_crs.push_back(document);
    ++found;
  }
  if (found == 0) throw ConfigError(detail::kKubeVirtPath, "no KubeVirt CR (kind: KubeVirt) found");
}

// Escalation raises the allowed downtime; maxDowntimeMs (from either
// document) is the most it may reach, so a step above it is a mistake.
void CheckStepsUnderCeiling(const Config& config) {
  const std::chrono::milliseconds ceiling(config.migration.max_downtime_ms);
  const auto& steps = config.enforcement.max_downtime_steps;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i] <= ceiling) continue;
    throw ConfigError("enforcement.escalation.maxDowntimeSteps[" + std::to_string(i) + "]",
                      FormatDuration(steps[i]) + " is above maxDowntimeMs (" +
                          std::to_string(config.migration.max_downtime_ms) +
                          " ms), the most the allowed downtime may be raised to; lower the step or raise "
                          "maxDowntimeMs");
  }
}

Loaded Parse(const Source& config_source, const std::optional<Source>& kubevirt_source) {
  Documents documents;
  SortConfigDocuments(LoadDocuments(config_source), documents);
  if (kubevirt_source) SortKubeVirtDocuments(LoadDocuments(*kubevirt_source), documents);
  // Two CRs would need a precedence between them that a cluster never has.
  if (documents.kubevirt_crs.size() > 1) {
    throw ConfigError(detail::kKubeVirtPath, "found " + std::to_string(documents.kubevirt_crs.size()) +
                                                 " KubeVirt CRs; give exactly one");
  }

  Loaded loaded;
  // With no config document, an empty one reports the missing "nodes".
  loaded.config = detail::ReadConfigDocument(documents.config.value_or(YAML::Node(YAML::NodeType::Map)));
  for (const YAML::Node& cr : documents.kubevirt_crs) {
    detail::ApplyKubeVirtCr(cr, loaded.config.migration, loaded.warnings);
  }
  CheckStepsUnderCeiling(loaded.config);
  return loaded;
}

std::string ReadFile(const std::string& path, std::string_view role) {
  return detail::ReadFileText(path, [&](const std::string& why) {
    return ConfigError("", "cannot read " + std::string(role) + " " + Quoted(path) + ": " + why);
  });
}

}  // namespace

Loaded ParseConfig(std::string_view config_yaml, std::optional<std::string_view> kubevirt_yaml) {
  std::optional<Source> kubevirt_source;
  if (kubevirt_yaml) kubevirt_source = Source{*kubevirt_yaml, "KubeVirt CR"};
  return Parse(Source{config_yaml, "config"}, kubevirt_source);
}

Loaded LoadConfigFile(const std::string& path, const std::optional<std::string>& kubevirt_path) {
  const std::string config_text = ReadFile(path, "config file");
  std::optional<std::string> kubevirt_text;
  std::optional<Source> kubevirt_source;
  if (kubevirt_path) {
    kubevirt_text = ReadFile(*kubevirt_path, "KubeVirt CR file");
    kubevirt_source = Source{*kubevirt_text, *kubevirt_path};
  }
  return Parse(Source{config_text, path}, kubevirt_source);
}

}  // namespace migmon::config
