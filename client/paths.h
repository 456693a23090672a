// The API paths the client uses, in one place. Names and namespaces are
// percent-encoded (valid Kubernetes names need none; anything else must
// still reach the server as typed, to be rejected there with a Status).
#pragma once

#include <optional>
#include <string>

namespace migmon::client {

inline constexpr const char* kApiVersion = "kubevirt.io/v1";
inline constexpr const char* kMigrationKind = "VirtualMachineInstanceMigration";

// The namespace's migrations, or every namespace's for nullopt.
std::string MigrationsPath(const std::optional<std::string>& ns);
std::string MigrationPath(const std::string& ns, const std::string& name);
// Every namespace's VMIs.
std::string AllVmisPath();

}  // namespace migmon::client
