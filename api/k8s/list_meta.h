// The metadata of a list answer (meta.k8s.io/v1 ListMeta), shared by every
// list form (a JSON list, kubectl's Table) so that each pages the same way:
// a client that sent limit=N gets `continue` and remainingItemCount on a
// cut list, whatever form it asked for. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace migmon::api::k8s {

struct ListMeta {
  std::string resource_version;      // omitted when empty
  std::string continue_token;        // the next page's token; empty: the last page
  std::optional<size_t> remaining;   // items after this page, when cut
};

nlohmann::json ListMetaJson(const ListMeta& meta);

}  // namespace migmon::api::k8s
