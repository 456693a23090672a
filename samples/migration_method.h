// KubeVirt's migrationState.migrationMethod: how the guest's storage moves.
// The one place the two words are spelled.
#pragma once

namespace migmon {

// "BlockMigration" when disks are copied with the memory, else "LiveMigration".
inline const char* MigrationMethodName(bool block_migration) {
  return block_migration ? "BlockMigration" : "LiveMigration";
}

}  // namespace migmon
