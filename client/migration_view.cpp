#include "client/migration_view.h"

#include <algorithm>
#include <cmath>

namespace migmon::client {
namespace {

using nlohmann::json;

const json* Child(const json* node, const char* key) {
  if (node == nullptr || !node->is_object()) return nullptr;
  const auto it = node->find(key);
  return it == node->end() ? nullptr : &*it;
}

std::string Str(const json* node, const char* key) {
  const json* v = Child(node, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

std::optional<double> Num(const json* node, const char* key) {
  const json* v = Child(node, key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  const double d = v->get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

ProgressView ProgressOf(const json* p) {
  ProgressView view;
  view.data_total_bytes = Num(p, "dataTotalBytes");
  view.data_processed_bytes = Num(p, "dataProcessedBytes");
  view.data_remaining_bytes = Num(p, "dataRemainingBytes");
  view.memory_rate = Num(p, "memoryTransferRateBytesPerSecond").value_or(0);
  view.disk_rate = Num(p, "diskTransferRateBytesPerSecond").value_or(0);
  view.dirty_rate = Num(p, "dirtyRateBytesPerSecond");
  if (const auto it = Num(p, "iteration"); it && *it >= 0) view.iteration = static_cast<uint64_t>(*it);
  view.ratio = Num(p, "progressRatio");
  if (!view.ratio && view.data_total_bytes && view.data_processed_bytes && *view.data_total_bytes > 0) {
    view.ratio = *view.data_processed_bytes / *view.data_total_bytes;
  }
  if (view.ratio) view.ratio = std::clamp(*view.ratio, 0.0, 1.0);
  if (!view.data_remaining_bytes && view.data_total_bytes && view.data_processed_bytes) {
    view.data_remaining_bytes = std::max(0.0, *view.data_total_bytes - *view.data_processed_bytes);
  }
  view.eta_seconds = Num(p, "estimatedRemainingSeconds");
  view.will_not_converge = Str(p, "convergence") == "WillNotConverge";
  view.elapsed_seconds = Num(p, "elapsedSeconds");
  return view;
}

}  // namespace

MigrationView ViewOf(const json& object) {
  MigrationView view;
  const json* metadata = Child(&object, "metadata");
  const json* spec = Child(&object, "spec");
  const json* status = Child(&object, "status");
  const json* state = Child(status, "migrationState");
  view.name = Str(metadata, "name");
  view.ns = Str(metadata, "namespace");
  view.resource_version = Str(metadata, "resourceVersion");
  view.creation_timestamp = Str(metadata, "creationTimestamp");
  view.vmi = Str(spec, "vmiName");
  view.priority = Str(spec, "priority");
  view.requested_node = Str(Child(spec, "addedNodeSelector"), "kubernetes.io/hostname");
  view.phase = Str(status, "phase");
  // KubeVirt leaves the phase unset until a controller looks at the object:
  // it is queued, which is what Pending says.
  if (view.phase.empty()) view.phase = "Pending";
  view.source_node = Str(state, "sourceNode");
  view.target_node = Str(state, "targetNode");
  view.mode = Str(state, "mode");
  view.migration_method = Str(state, "migrationMethod");
  view.failure_reason = Str(state, "failureReason");
  view.abort_status = Str(state, "abortStatus");
  if (const json* a = Child(state, "abortRequested"); a != nullptr && a->is_boolean()) view.abort_requested = a->get<bool>();
  view.start_timestamp = Str(state, "startTimestamp");
  view.end_timestamp = Str(state, "endTimestamp");
  if (view.phase == "Pending") {
    if (const json* conditions = Child(status, "conditions"); conditions != nullptr && conditions->is_array()) {
      for (const json& c : *conditions) {
        if (std::string message = Str(&c, "message"); !message.empty()) {
          view.waiting_message = std::move(message);
          break;
        }
      }
    }
  }
  if (const json* p = Child(state, "progress"); p != nullptr && p->is_object()) view.progress = ProgressOf(p);
  return view;
}

bool IsFinalPhase(const std::string& phase) { return phase == "Succeeded" || phase == "Failed"; }

std::optional<int> PercentOf(const MigrationView& view) {
  if (view.phase == "Succeeded") return 100;
  if (!view.progress || !view.progress->ratio) return std::nullopt;
  return std::min(99, static_cast<int>(std::floor(*view.progress->ratio * 100)));
}

std::string KeyOf(const MigrationView& view) { return view.ns + "/" + view.name; }

}  // namespace migmon::client
