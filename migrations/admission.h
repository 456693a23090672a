// The checks a create passes before its object is stored, in the order the
// answers are given: the name, the VMI's node reachable, the VMI found, no
// active migration of it (ours or another tool's), a target that matches
// the selector. Pure; thread-safe (the Controller passes its index under
// its mutex).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "migrations/errors.h"
#include "migrations/index.h"
#include "migrations/nodes.h"

namespace migmon::migrations {

// kAlreadyExists when (ns, name) is in the index: a repeated create is a
// conflict, whatever its VMI's state.
std::optional<Error> CheckName(const Index& index, const std::string& ns, const std::string& name);

struct AdmissionRequest {
  std::string ns;
  std::string vmi;
  std::map<std::string, std::string> selector;  // spec.addedNodeSelector
};

// kUnavailable (the VMI's node is not connected, or the VMI is on no
// connected node while some node is down or not listed yet), kNotFound (no
// such VMI, every node listed), kInvalid (an active migration, or no other
// managed node matches the selector). nullopt: admitted. `where`: where the
// VMI runs (VmiLocator), nullopt when on no node; `snap` may be light.
std::optional<Error> CheckAdmission(const AdmissionRequest& request, const Snapshot& snap,
                                    const std::optional<VmiWhere>& where, const Index& index,
                                    const std::vector<config::NodeConfig>& nodes);

}  // namespace migmon::migrations
