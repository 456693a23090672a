// The names under which the monitor serves KubeVirt's API, in one place so
// discovery, OpenAPI, Status messages and validation cannot disagree.
//
// Thread-safety: constants only.
#pragma once

#include <string_view>

namespace migmon::api::k8s {

inline constexpr std::string_view kGroup = "kubevirt.io";
inline constexpr std::string_view kVersion = "v1";
inline constexpr std::string_view kGroupVersion = "kubevirt.io/v1";
// KubeVirt still serves its pre-v1 version; manifests written for it are
// accepted by ValidateMigration (the object is the same).
inline constexpr std::string_view kLegacyGroupVersion = "kubevirt.io/v1alpha3";

inline constexpr std::string_view kMigrationKind = "VirtualMachineInstanceMigration";
inline constexpr std::string_view kMigrationListKind = "VirtualMachineInstanceMigrationList";
inline constexpr std::string_view kMigrationPlural = "virtualmachineinstancemigrations";
inline constexpr std::string_view kMigrationSingular = "virtualmachineinstancemigration";

inline constexpr std::string_view kVmiKind = "VirtualMachineInstance";
inline constexpr std::string_view kVmiListKind = "VirtualMachineInstanceList";
inline constexpr std::string_view kVmiPlural = "virtualmachineinstances";
inline constexpr std::string_view kVmiSingular = "virtualmachineinstance";

// The Kubernetes release whose API shapes these documents follow; /version
// reports it, and kubectl's dispatcher picks its client binary from it.
inline constexpr std::string_view kKubernetesGitVersion = "v1.32.3";

}  // namespace migmon::api::k8s
