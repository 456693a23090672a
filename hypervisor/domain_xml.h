// Reading what a launch needs from a domain's XML description: its disks.
// Pure; thread-safe (libxml2 parses into a private document).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migmon::hv {

struct DiskInfo {
  std::string target;  // <target dev='vda'>: how libvirt names the disk in migrate_disks
  std::string source;  // file path (or pool/volume for type='volume'); empty for an empty drive
  bool writable = true;  // false for <readonly/> and <shareable/> disks and CD-ROMs
};

// The <devices><disk device='disk'> elements (and CD-ROMs, as not writable).
// Throws std::invalid_argument when the XML does not parse.
std::vector<DiskInfo> ParseDisks(std::string_view domain_xml);

// The disks a migration must copy: writable, with a source, and not under
// one of the shared-storage path prefixes.
std::vector<std::string> DisksToCopy(const std::vector<DiskInfo>& disks,
                                     const std::vector<std::string>& shared_storage_paths);

}  // namespace migmon::hv
