#include "config/nodes.h"

#include <algorithm>
#include <array>
#include <map>

#include "config/quote.h"
#include "config/strict_yaml.h"
#include "util/k8s_names.h"

namespace migmon::config::detail {

namespace {

// scheme "://" rest, scheme as in RFC 3986 (libvirt's "qemu+unix" included).
bool IsLibvirtUri(std::string_view uri) {
  const size_t separator = uri.find("://");
  if (separator == std::string_view::npos || separator == 0) return false;
  const std::string_view scheme = uri.substr(0, separator);
  const auto is_scheme_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.';
  };
  const bool starts_with_letter =
      (scheme[0] >= 'a' && scheme[0] <= 'z') || (scheme[0] >= 'A' && scheme[0] <= 'Z');
  return starts_with_letter && std::all_of(scheme.begin(), scheme.end(), is_scheme_char);
}

bool IsHostLike(std::string_view host) {
  return std::none_of(host.begin(), host.end(), [](char c) { return c == ' ' || c == '\t' || c == '/'; });
}

std::string ReadNodeName(const YAML::Node& value, const std::string& path) {
  std::string name = ReadString(value, path);
  if (!k8s_names::IsDns1123Label(name)) {
    throw ConfigError(path, Quoted(name) +
                                " is not a DNS-1123 label (lowercase letters, digits and '-', at most 63, "
                                "e.g. node-1)");
  }
  return name;
}

std::string ReadUri(const YAML::Node& value, const std::string& path) {
  std::string uri = ReadString(value, path);
  if (!IsLibvirtUri(uri)) {
    throw ConfigError(path, Quoted(uri) + " is not a libvirt URI (e.g. qemu:///system)");
  }
  return uri;
}

std::string ReadMigrationAddress(const YAML::Node& value, const std::string& path) {
  std::string address = ReadString(value, path);
  if (!IsHostLike(address)) {
    throw ConfigError(path, Quoted(address) + " is not a host name or IP address");
  }
  return address;
}

std::map<std::string, std::string> ReadLabels(const YAML::Node& map, const std::string& path) {
  std::map<std::string, std::string> labels;
  for (const MapEntry& entry : MapEntries(map, path)) {
    if (!k8s_names::IsQualifiedName(entry.key)) {
      throw ConfigError(entry.path, Quoted(entry.key) + " is not a Kubernetes label key");
    }
    std::string value = ReadString(entry.value, entry.path);
    if (!k8s_names::IsLabelValue(value)) {
      throw ConfigError(entry.path, Quoted(value) +
                                        " is not a Kubernetes label value (letters, digits, '-', '_', "
                                        "'.', at most 63)");
    }
    labels.emplace(entry.key, std::move(value));
  }
  return labels;
}

NodeConfig ReadNode(const YAML::Node& item, const std::string& path) {
  NodeConfig node;
  const std::array<Field, 6> fields{{
      {"name", [&](const YAML::Node& v, const std::string& p) { node.name = ReadNodeName(v, p); }},
      {"uri", [&](const YAML::Node& v, const std::string& p) { node.uri = ReadUri(v, p); }},
      {"migrationAddress",
       [&](const YAML::Node& v, const std::string& p) {
         node.migration_address = ReadMigrationAddress(v, p);
       }},
      {"peerUri", [&](const YAML::Node& v, const std::string& p) { node.peer_uri = ReadUri(v, p); }},
      {"memoryReserve",
       [&](const YAML::Node& v, const std::string& p) { node.memory_reserve_bytes = ReadQuantity(v, p); }},
      {"labels", [&](const YAML::Node& v, const std::string& p) { node.labels = ReadLabels(v, p); }},
  }};
  ReadFields(item, path, fields);

  // ReadString rejects empty values, so empty here means the key is missing.
  if (node.name.empty()) {
    throw ConfigError(ChildPath(path, "name"), "missing; every node needs a name (e.g. node-1)");
  }
  if (node.uri.empty()) {
    throw ConfigError(ChildPath(path, "uri"),
                      "missing; every node needs a libvirt URI (e.g. qemu:///system)");
  }
  const auto [hostname, inserted] = node.labels.emplace(kHostnameLabel, node.name);
  if (!inserted && hostname->second != node.name) {
    throw ConfigError(ChildPath(ChildPath(path, "labels"), kHostnameLabel),
                      Quoted(hostname->second) + " differs from the node name " + Quoted(node.name) +
                          "; this label is always the node name, remove it");
  }
  return node;
}

// Throws when `value` was already used by an earlier node; `user` names who
// uses it in later messages.
void RequireUnique(std::map<std::string, std::string>& first_use, const std::string& value,
                   const std::string& path, const std::string& user) {
  const auto [earlier, inserted] = first_use.emplace(value, user);
  if (!inserted) throw ConfigError(path, Quoted(value) + " is already used by " + earlier->second);
}

}  // namespace

std::vector<NodeConfig> ReadNodes(const YAML::Node& list, const std::string& path) {
  const std::vector<YAML::Node> items = ListItems(list, path);
  if (items.empty()) throw ConfigError(path, "the list is empty; give at least one node");

  std::vector<NodeConfig> nodes;
  std::map<std::string, std::string> node_by_name;
  std::map<std::string, std::string> node_by_uri;
  // Two nodes a source reaches at the same URI would be one node to it.
  std::map<std::string, std::string> key_by_peer_uri;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string node_path = IndexPath(path, i);
    NodeConfig node = ReadNode(items[i], node_path);
    RequireUnique(node_by_name, node.name, ChildPath(node_path, "name"), node_path);
    RequireUnique(node_by_uri, node.uri, ChildPath(node_path, "uri"), node_path);
    const std::string peer_uri_path = ChildPath(node_path, node.peer_uri.empty() ? "uri" : "peerUri");
    RequireUnique(key_by_peer_uri, PeerUri(node), peer_uri_path, peer_uri_path);
    nodes.push_back(std::move(node));
  }
  return nodes;
}

}  // namespace migmon::config::detail
