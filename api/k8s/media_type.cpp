#include "api/k8s/media_type.h"

#include <algorithm>
#include <cctype>

namespace migmon::api::k8s {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

MediaType ParseMediaType(std::string_view text) {
  MediaType media;
  size_t semi = text.find(';');
  media.type = Lower(Trim(text.substr(0, semi)));
  while (semi != std::string_view::npos) {
    text.remove_prefix(semi + 1);
    semi = text.find(';');
    std::string_view param = Trim(text.substr(0, semi));
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    media.params[Lower(Trim(param.substr(0, eq)))] = std::string(value);
  }
  return media;
}

std::vector<MediaType> ParseAccept(std::string_view accept) {
  // Kubernetes media-type parameters never hold commas, so splitting on
  // them is safe for every Accept header its clients send.
  std::vector<MediaType> out;
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    MediaType media = ParseMediaType(accept.substr(0, comma));
    if (!media.type.empty()) out.push_back(std::move(media));
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  return out;
}

bool AcceptsWith(std::string_view accept, std::string_view type,
                 const std::map<std::string, std::string>& params) {
  for (const MediaType& media : ParseAccept(accept)) {
    if (media.type != type) continue;
    bool all = std::all_of(params.begin(), params.end(), [&](const auto& want) {
      auto it = media.params.find(want.first);
      return it != media.params.end() && it->second == want.second;
    });
    if (all) return true;
  }
  return false;
}

}  // namespace migmon::api::k8s
