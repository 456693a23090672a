// VirtualMachineInstance objects for the read-only VMI API, built from a
// snapshot: every domain on every managed node, once (the paused copy a
// migration target holds is not a second VMI), with status.nodeName and,
// while it migrates, status.migrationState. The same snapshot gives the
// same objects whenever they are built (a watch compares them): a
// migration's startTimestamp is the start the tracker fixed when it
// discovered the job, not derived from the time of the call.
//
// A fleet holds tens of thousands of VMIs, so a list is built as text: each
// object is built, offered to the filter and dumped before the next one, and
// the answer holds texts (about 400 bytes a VMI), never every json tree at
// once (about 3 KB a VMI). Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tracker/snapshot.h"
#include "tracker/vmi_name.h"

namespace migmon::api {

// One VMI as its JSON text, with the key lists sort and page by.
struct VmiText {
  std::string name_space;
  std::string name;
  std::string text;  // invalid UTF-8 in a domain's name is replaced, never thrown on
};

// Keeps a VMI when true (label and field selectors); empty: every VMI.
using VmiFilter = std::function<bool(const nlohmann::json& vmi)>;

// The VMIs of `snapshot` (only those in `name_space` when given) that `keep`
// accepts, sorted by (namespace, name).
std::vector<VmiText> VmiTexts(const Snapshot& snapshot, NamingScheme naming,
                              const std::optional<std::string>& name_space, const VmiFilter& keep = {});

// What a watch reports between two lists as VmiTexts gives them (sorted):
// `emit` is called in key order for each VMI added, changed (its text
// differs) or gone.
enum class VmiChange { kAdded, kModified, kDeleted };
void DiffVmis(const std::vector<VmiText>& before, const std::vector<VmiText>& after,
              const std::function<void(VmiChange, const VmiText&)>& emit);

// The one VMI `name_space`/`name`; nullopt when no domain maps to it.
std::optional<nlohmann::json> VmiObject(const Snapshot& snapshot, NamingScheme naming,
                                        const std::string& name_space, const std::string& name);

}  // namespace migmon::api
