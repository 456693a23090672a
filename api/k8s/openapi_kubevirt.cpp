// The kubevirt.io/v1 schemas the monitor serves: KubeVirt's field names for
// VirtualMachineInstanceMigration and the part of VirtualMachineInstance the
// monitor knows, plus the monitor's own live progress block.
#include <string>

#include "api/k8s/openapi_builders.h"
#include "api/k8s/resources.h"
#include "samples/migration_method.h"
#include "samples/node_facts.h"

namespace migmon::api::k8s::detail {

namespace {

std::string Kv(std::string_view name) { return std::string(kKubevirtPrefix) + std::string(name); }
std::string Meta(std::string_view name) { return std::string(kMetaPrefix) + std::string(name); }

// apiVersion/kind/metadata, shared by every top-level kind.
Properties TypeAndObjectMeta() {
  return {
      {"apiVersion", StringField("Versioned schema of this object: kubevirt.io/v1.")},
      {"kind", StringField("Kind of this object.")},
      {"metadata", RefField(Meta("ObjectMeta"), "Standard object metadata.")},
  };
}

nlohmann::json TopLevel(std::string_view kind, std::string_view description, Properties own,
                        const std::vector<std::string_view>& required) {
  Properties properties = TypeAndObjectMeta();
  for (auto& property : own) properties.push_back(std::move(property));
  nlohmann::json schema = ObjectSchema(description, std::move(properties), required);
  schema["x-kubernetes-group-version-kind"] = KubevirtGvk(kind);
  return schema;
}

nlohmann::json ListOf(std::string_view list_kind, std::string_view item_schema, std::string_view what) {
  nlohmann::json schema = ObjectSchema(
      "A list of " + std::string(what) + ".",
      {
          {"apiVersion", StringField("Versioned schema of this list: kubevirt.io/v1.")},
          {"items", ArrayField(Ref(Kv(item_schema)), "The " + std::string(what) + ".")},
          {"kind", StringField("Kind of this list.")},
          {"metadata", RefField(Meta("ListMeta"), "Standard list metadata.")},
      },
      {"items"});
  schema["x-kubernetes-group-version-kind"] = KubevirtGvk(list_kind);
  return schema;
}

nlohmann::json MigrationSpec() {
  return ObjectSchema(
      "What to migrate, and how urgently.",
      {
          {"addedNodeSelector",
           StringMapField("Node labels the target node must carry, in addition to the VMI's own node selector.")},
          {"priority", EnumField("How urgent the migration is; more urgent ones leave the queue first. Absent means "
                                 "the lowest priority.",
                                 {"system-critical", "user-triggered", "system-maintenance"})},
          {"vmiName", StringField("Name of the VirtualMachineInstance to migrate, in the migration's namespace.")},
      },
      {"vmiName"});
}

nlohmann::json MigrationStatus() {
  return ObjectSchema(
      "What happened to the migration so far. Written by the monitor.",
      {
          {"conditions", ArrayField(Ref(Kv("VirtualMachineInstanceMigrationCondition")), "Observed conditions.")},
          {"migrationState", RefField(Kv("VirtualMachineInstanceMigrationState"), "Details of the live migration.")},
          {"phase", StringField("Where the migration is: Pending, Scheduling, Scheduled, PreparingTarget, "
                                "TargetReady, Running, Succeeded or Failed.")},
          {"phaseTransitionTimestamps",
           ArrayField(Ref(Kv("VirtualMachineInstanceMigrationPhaseTransitionTimestamp")),
                      "When the migration entered each phase.")},
      });
}

nlohmann::json PhaseTransition() {
  return ObjectSchema("When the migration entered a phase.",
                      {
                          {"phase", StringField("The phase entered.")},
                          {"phaseTransitionTimestamp", TimeField("When it was entered.")},
                      });
}

nlohmann::json Condition() {
  return ObjectSchema("One observed condition of the migration.",
                      {
                          {"lastProbeTime", TimeField("When the condition was last checked.")},
                          {"lastTransitionTime", TimeField("When the condition last changed status.")},
                          {"message", StringField("Human-readable details.")},
                          {"reason", StringField("Machine-readable reason for the last change.")},
                          {"status", StringField("True, False or Unknown.")},
                          {"type", StringField("Kind of condition.")},
                      },
                      {"status", "type"});
}

nlohmann::json MigrationState() {
  return ObjectSchema(
      "The state of a live migration, as KubeVirt reports it on both the migration and the VMI.",
      {
          {"abortRequested", BoolField("Whether an abort was asked for.")},
          {"abortStatus", EnumField("Outcome of an abort request.", {"Succeeded", "Failed", "Aborting"})},
          {"completed", BoolField("Whether the migration finished, successfully or not.")},
          {"endTimestamp", TimeField("When the migration finished.")},
          {"failed", BoolField("Whether the migration failed.")},
          {"failureReason", StringField("Why the migration failed.")},
          {"migrationMethod", EnumField("Whether disks are copied too.",
                                        {MigrationMethodName(true), MigrationMethodName(false)})},
          {"migrationUid", StringField("UID of the VirtualMachineInstanceMigration this state belongs to.")},
          {"mode", EnumField("Migration mode in use (PostCopyFailed: post-copy failed, the guest is paused on both nodes).",
                             {ModeName(MigrationMode::kPreCopy), ModeName(MigrationMode::kPostCopy),
                              ModeName(MigrationMode::kPostCopyFailed)})},
          {"progress", RefField(Kv("VirtualMachineInstanceMigrationProgress"),
                                "Live transfer progress, sampled by the monitor while the migration runs. An "
                                "extension of the monitor; KubeVirt has no such field.")},
          {"sourceNode", StringField("Node the VMI is migrated from.")},
          {"startTimestamp", TimeField("When the migration started.")},
          {"targetNode", StringField("Node the VMI is migrated to.")},
          {"targetNodeAddress", StringField("Address on the target node the migration connects to.")},
      });
}

nlohmann::json Progress() {
  return ObjectSchema(
      "Transfer progress of a running migration, from the hypervisor's job statistics.",
      {
          {"dataProcessedBytes", IntegerField("Bytes transferred so far, memory and disks.")},
          {"dataRemainingBytes", IntegerField("Bytes still to transfer in the current pass.")},
          {"dataTotalBytes", IntegerField("Bytes to transfer in total, as last estimated.")},
          {"memoryTransferRateBytesPerSecond", NumberField("Memory transfer rate.")},
          {"diskTransferRateBytesPerSecond", NumberField("Disk copy rate of a block migration.")},
          {"dirtyRateBytesPerSecond", NumberField("Rate at which the guest dirties memory again.")},
          {"elapsedSeconds", NumberField("Seconds since the migration job started.")},
          {"estimatedRemainingSeconds", NumberField("Seconds left at the current net rate; absent when it does not converge.")},
          {"iteration", IntegerField("Memory pass in progress; each pass resends the pages dirtied since the last.")},
          {"progressRatio", NumberField("Share of the data transferred, 0 to 1; never goes backwards.")},
      });
}

nlohmann::json VmiStatus() {
  return ObjectSchema(
      "The part of a VMI's status the monitor knows.",
      {
          {"migrationState", RefField(Kv("VirtualMachineInstanceMigrationState"), "The last or current migration.")},
          {"nodeName", StringField("Node the VMI runs on.")},
          {"phase", StringField("Lifecycle phase, e.g. Running.")},
      });
}

nlohmann::json VmiSpec() {
  // The monitor does not model a VMI's spec; whatever it holds is kept.
  nlohmann::json schema = ObjectSchema("Desired state of the VMI, as KubeVirt defines it.", {});
  schema["x-kubernetes-preserve-unknown-fields"] = true;
  return schema;
}

}  // namespace

nlohmann::json KubevirtSchemas() {
  return {
      {Kv("VirtualMachineInstance"),
       TopLevel(kVmiKind, "A running virtual machine, as known to the monitor.",
                {{"spec", RefField(Kv("VirtualMachineInstanceSpec"), "Desired state; not interpreted.")},
                 {"status", RefField(Kv("VirtualMachineInstanceStatus"), "Observed state.")}},
                {})},
      {Kv("VirtualMachineInstanceList"), ListOf(kVmiListKind, "VirtualMachineInstance", "VirtualMachineInstances")},
      {Kv("VirtualMachineInstanceSpec"), VmiSpec()},
      {Kv("VirtualMachineInstanceStatus"), VmiStatus()},
      {Kv("VirtualMachineInstanceMigration"),
       TopLevel(kMigrationKind,
                "A request to live-migrate one VirtualMachineInstance to another node. The monitor queues it by "
                "priority and launches it when the migration limits allow.",
                {{"spec", RefField(Kv("VirtualMachineInstanceMigrationSpec"), "What to migrate.")},
                 {"status", RefField(Kv("VirtualMachineInstanceMigrationStatus"), "What happened so far.")}},
                {"spec"})},
      {Kv("VirtualMachineInstanceMigrationList"),
       ListOf(kMigrationListKind, "VirtualMachineInstanceMigration", "VirtualMachineInstanceMigrations")},
      {Kv("VirtualMachineInstanceMigrationSpec"), MigrationSpec()},
      {Kv("VirtualMachineInstanceMigrationStatus"), MigrationStatus()},
      {Kv("VirtualMachineInstanceMigrationPhaseTransitionTimestamp"), PhaseTransition()},
      {Kv("VirtualMachineInstanceMigrationCondition"), Condition()},
      {Kv("VirtualMachineInstanceMigrationState"), MigrationState()},
      {Kv("VirtualMachineInstanceMigrationProgress"), Progress()},
  };
}

}  // namespace migmon::api::k8s::detail
