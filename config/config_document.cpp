#include "config/config_document.h"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <string>

#include "config/api.h"
#include "config/duration.h"
#include "config/enforcement.h"
#include "config/http_limits.h"
#include "config/listen_address.h"
#include "config/migration_block.h"
#include "config/nodes.h"
#include "config/quote.h"
#include "config/strict_yaml.h"

namespace migmon::config::detail {

namespace {

constexpr std::array<Naming, 2> kNamings{Naming::kDomain, Naming::kKubeVirt};

Naming ReadNaming(const YAML::Node& value, const std::string& path) {
  return ReadEnum(value, path, kNamings, NamingName, "a naming");
}

void ReadListen(const YAML::Node& value, const std::string& path, Config& config) {
  try {
    ListenAddress address = ParseListenAddress(ReadString(value, path));
    config.listen_host = std::move(address.host);
    config.listen_port = address.port;
  } catch (const std::invalid_argument& error) {
    throw ConfigError(path, error.what());
  }
}

// Our file is never read loosely: a KubeVirt field we do not implement gets
// a specific message, anything else the list of valid keys.
void RejectUnknownMigrationKey(const UnknownKey& unknown) {
  if (IsUnimplementedKubeVirtField(unknown.key)) {
    throw ConfigError(unknown.path, "KubeVirt field " + Quoted(unknown.key) +
                                        " is not implemented by migration-monitor; remove it");
  }
  ThrowUnknownKey(unknown);
}

}  // namespace

std::string_view NamingName(Naming naming) {
  switch (naming) {
    case Naming::kDomain:
      return "domain";
    case Naming::kKubeVirt:
      return "kubevirt";
  }
  return "domain";
}

Config ReadConfigDocument(const YAML::Node& document) {
  if (!document.IsMap()) {
    throw ConfigError(
        "", "the config must be a map of keys (listen, nodes, migration, ...), got " + Describe(document));
  }
  Config config;
  // discoveryInterval's lower bound is pollInterval, which may come later in
  // the document, so it is read after all other keys.
  std::optional<MapEntry> discovery_interval;
  const std::array<Field, 10> fields{{
      {"listen", [&](const YAML::Node& v, const std::string& p) { ReadListen(v, p, config); }},
      {"pollInterval",
       [&](const YAML::Node& v, const std::string& p) {
         config.poll_interval = ReadDuration(v, p, kMinPollInterval, kMaxPollInterval);
       }},
      {"discoveryInterval",
       [&](const YAML::Node& v, const std::string& p) {
         discovery_interval = MapEntry{"discoveryInterval", p, v};
       }},
      {"dataDir", [&](const YAML::Node& v, const std::string& p) { config.data_dir = ReadString(v, p); }},
      {"naming", [&](const YAML::Node& v, const std::string& p) { config.naming = ReadNaming(v, p); }},
      {"nodes", [&](const YAML::Node& v, const std::string& p) { config.nodes = ReadNodes(v, p); }},
      {"migration",
       [&](const YAML::Node& v, const std::string& p) {
         ApplyMigrationBlock(v, p, MigrationBlockSource::kOurConfig, config.migration,
                             RejectUnknownMigrationKey);
       }},
      {"enforcement",
       [&](const YAML::Node& v, const std::string& p) { config.enforcement = ReadEnforcement(v, p); }},
      {"api", [&](const YAML::Node& v, const std::string& p) { config.api = ReadApi(v, p); }},
      {"http", [&](const YAML::Node& v, const std::string& p) { config.http = ReadHttp(v, p); }},
  }};
  ReadFields(document, "", fields);

  if (discovery_interval) {
    const auto& [key, path, value] = *discovery_interval;
    config.discovery_interval = ReadDuration(value, path, kMinPollInterval, kMaxDiscoveryInterval);
    if (config.discovery_interval < config.poll_interval) {
      throw ConfigError(path, Describe(value) + " is shorter than pollInterval (" +
                                  FormatDuration(config.poll_interval) + ")");
    }
  } else {
    config.discovery_interval = std::max(config.discovery_interval, config.poll_interval);
  }
  // ReadNodes rejects an empty list, so no nodes means no "nodes" key.
  if (config.nodes.empty()) throw ConfigError("nodes", "missing; list at least one node (name and uri)");
  return config;
}

}  // namespace migmon::config::detail
