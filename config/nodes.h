// Internal to config/: the "nodes:" list.
//
// Thread-safety: stateless functions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "config/config.h"

namespace migmon::config::detail {

// Reads and validates the node list at `path`: at least one node; each with
// a DNS-1123 name and a libvirt URI; names and URIs unique; labels with
// Kubernetes syntax; optional peerUri (a libvirt URI) and memoryReserve (a
// quantity); effective peer URIs (PeerUri) unique, since a source would take
// two nodes at one URI for one node. Adds kubernetes.io/hostname=<name> to
// every node (a user value that differs is an error). Throws ConfigError.
std::vector<NodeConfig> ReadNodes(const YAML::Node& list, const std::string& path);

}  // namespace migmon::config::detail
