// kubectl's server-side printing: `kubectl get vmim` asks for a
// meta.k8s.io/v1 Table, and prints its columns and cells as they come.
//
// Contract: kubectl 1.32 sends, for get/list/watch,
//   Accept: application/json;as=Table;v=v1;g=meta.k8s.io,
//           application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json
// When WantsTable(accept), answer MakeTable(...) with Content-Type
// kTableContentType; otherwise the plain object or list. Columns: Name,
// Phase, VMI, Source, Target, Progress, Age, and Priority (priority 1: only
// with `-o wide`); kubectl upper-cases the names. A missing value is a null
// cell, which kubectl prints as an empty column. Each row's object is the migration's
// metadata as a PartialObjectMetadata (what kubectl reads for -A, -L and
// --show-labels), the default of kube-apiserver's includeObject=Metadata.
//
// Thread-safety: pure functions (given `now`).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/k8s/list_meta.h"

namespace migmon::api::k8s {

inline constexpr std::string_view kTableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

// True when `accept` offers meta.k8s.io/v1 Table.
bool WantsTable(std::string_view accept);

// A Table of `vmims` (VirtualMachineInstanceMigration objects, any order
// kept), with `meta` as its metadata (a page of a list carries `continue`,
// which `kubectl get` follows to fetch the rest).
nlohmann::json MakeTable(const std::vector<nlohmann::json>& vmims,
                         std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
                         const ListMeta& meta = {});

// The object of one event of a Table watch (`kubectl get -w`, which sends
// the Table Accept header with ?watch=true): the Table of that migration
// alone. kubectl prints the header from the first event that has columns;
// `with_columns` false sends an empty columnDefinitions to save bytes on
// later events (kubectl 1.32 accepts both).
nlohmann::json MakeWatchTable(const nlohmann::json& vmim, bool with_columns,
                              std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// One event of a watch answer, written as dump() + "\n" each:
// {"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, "object": object}; an
// ERROR event's object is a Status (e.g. Expired, status.h).
nlohmann::json MakeWatchEvent(std::string_view type, nlohmann::json object);

// kubectl's age format: "45s", "3m20s", "5h", "2d4h", "3y" ...;
// "<invalid>" for a time more than a second in the future.
std::string HumanDuration(std::chrono::seconds age);

// The instant of an RFC 3339 timestamp ("2025-03-11T19:52:21Z", "...+02:00";
// fractions ignored), or nullopt when `text` is not one.
std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text);

}  // namespace migmon::api::k8s
