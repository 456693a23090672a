// HTTP media types as Kubernetes clients send them: "type/subtype" plus
// ";key=value" parameters, several of them comma-separated in Accept.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace migmon::api::k8s {

struct MediaType {
  std::string type;                           // "application/json", lowercased
  std::map<std::string, std::string> params;  // keys lowercased, values as sent (quotes removed)
};

// One media type; surrounding spaces are ignored. Never fails: an empty
// input gives an empty type.
MediaType ParseMediaType(std::string_view text);
// Every entry of an Accept header, in order.
std::vector<MediaType> ParseAccept(std::string_view accept);
// True when some entry of `accept` has type `type` and every given parameter
// with the given value (e.g. {"as","Table"},{"g","meta.k8s.io"},{"v","v1"}).
bool AcceptsWith(std::string_view accept, std::string_view type,
                 const std::map<std::string, std::string>& params);

}  // namespace migmon::api::k8s
