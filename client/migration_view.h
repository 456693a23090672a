// A typed, read-only view of a VirtualMachineInstanceMigration object as the
// server sends it (status.migrationState.progress carries the live figures).
// A client must survive partial or newer objects: fields that are missing or
// of another JSON type read as empty / nullopt, never throw.
// Pure: thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace migmon::client {

struct ProgressView {
  std::optional<double> data_total_bytes;
  std::optional<double> data_processed_bytes;
  std::optional<double> data_remaining_bytes;
  double memory_rate = 0;  // bytes per second
  double disk_rate = 0;
  std::optional<double> dirty_rate;
  std::optional<uint64_t> iteration;
  std::optional<double> ratio;  // 0..1: progressRatio, else processed/total
  std::optional<double> eta_seconds;
  bool will_not_converge = false;  // the monitor's model: convergence "WillNotConverge"
  std::optional<double> elapsed_seconds;
};

struct MigrationView {
  std::string name;
  std::string ns;
  std::string vmi;
  std::string phase;  // "Pending" when the server has not set one yet
  std::string priority;
  std::string requested_node;  // spec.addedNodeSelector["kubernetes.io/hostname"]
  std::string resource_version;
  std::string creation_timestamp;
  std::string source_node;
  std::string target_node;
  std::string mode;              // PreCopy / PostCopy
  std::string migration_method;  // e.g. LiveMigration / BlockMigration
  std::string failure_reason;
  std::string abort_status;
  bool abort_requested = false;
  std::string start_timestamp;  // migrationState.startTimestamp
  std::string end_timestamp;
  // For a Pending migration: the message of the first condition that has one
  // (the server's reason for the wait).
  std::string waiting_message;
  std::optional<ProgressView> progress;
};

MigrationView ViewOf(const nlohmann::json& object);

// Succeeded and Failed are final: no change follows.
bool IsFinalPhase(const std::string& phase);

// Whole percent, floored and capped at 99 until the phase is Succeeded, so
// "100%" never shows for a migration that could still fail; 100 once
// Succeeded. nullopt when there is nothing to show.
std::optional<int> PercentOf(const MigrationView& view);

// "ns/name".
std::string KeyOf(const MigrationView& view);

}  // namespace migmon::client
