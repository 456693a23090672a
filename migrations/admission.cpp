#include "migrations/admission.h"

#include <algorithm>

#include "scheduler/plan.h"

namespace migmon::migrations {

std::optional<Error> CheckName(const Index& index, const std::string& ns, const std::string& name) {
  if (name.empty() || !index.Find({ns, name})) return std::nullopt;
  return Error{ErrorCode::kAlreadyExists, "virtualmachineinstancemigrations.kubevirt.io \"" + name + "\" already exists"};
}

std::optional<Error> CheckAdmission(const AdmissionRequest& r, const Snapshot& snap,
                                    const std::optional<VmiWhere>& where, const Index& index,
                                    const std::vector<config::NodeConfig>& nodes) {
  if (auto why = Unreachable(snap, where, r.ns + "/" + r.vmi)) return Error{ErrorCode::kUnavailable, *why};
  if (!where) {
    return Error{ErrorCode::kNotFound, "virtualmachineinstances.kubevirt.io \"" + r.vmi + "\" not found"};
  }
  if (const Entry* active = index.ActiveFor(r.ns, r.vmi)) {
    return Error{ErrorCode::kInvalid, "VMI " + r.vmi + " has an active migration already: " + active->name};
  }
  if (ActiveMigration(snap, where->node, where->domain.uuid)) {
    return Error{ErrorCode::kInvalid, "VMI " + r.vmi + " is being migrated already (started outside the API)"};
  }
  const bool any_target = std::any_of(nodes.begin(), nodes.end(), [&](const config::NodeConfig& n) {
    return n.name != where->node && sched::MatchesSelector(r.selector, n.labels);
  });
  if (!any_target) {
    return Error{ErrorCode::kInvalid,
                 "no managed node other than the VMI's (" + where->node + ") matches spec.addedNodeSelector"};
  }
  return std::nullopt;
}

}  // namespace migmon::migrations
