#include "config/api.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "config/file_text.h"
#include "config/quote.h"
#include "config/strict_yaml.h"

namespace migmon::config::detail {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// A file the API needs, read now so a bad path fails the config rather than
// the first request.
std::string ReadApiFile(const std::string& file, const std::string& path) {
  return ReadFileText(file, [&](const std::string& why) {
    return ConfigError(path, "cannot read " + Quoted(file) + ": " + why);
  });
}

// The token file's content without surrounding whitespace. The token itself
// never appears in a message.
std::string ReadToken(const std::string& file, const std::string& path) {
  const std::string text = ReadApiFile(file, path);
  const auto first = std::find_if_not(text.begin(), text.end(), IsSpace);
  const auto last = std::find_if_not(text.rbegin(), text.rend(), IsSpace).base();
  if (first >= last) throw ConfigError(path, Quoted(file) + " is empty; it must hold the bearer token");
  std::string token(first, last);
  const bool has_space_inside = std::any_of(token.begin(), token.end(), [](char c) {
    return IsSpace(c) || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (has_space_inside) {
    throw ConfigError(path, Quoted(file) +
                                " holds more than one word; a bearer token has no spaces, line breaks or "
                                "control characters");
  }
  return token;
}

void RequireReadablePem(const std::string& file, const std::string& path) {
  if (ReadApiFile(file, path).empty()) {
    throw ConfigError(path, Quoted(file) + " is empty; expected a PEM file");
  }
}

}  // namespace

ApiConfig ReadApi(const YAML::Node& map, const std::string& path) {
  ApiConfig api;
  using Node = YAML::Node;
  using Path = std::string;
  const std::array<Field, 1> auth_fields{{
      {"tokenFile", [&](const Node& v, const Path& p) { api.token_file = ReadStringOrEmpty(v, p); }},
  }};
  const std::array<Field, 2> tls_fields{{
      {"certFile", [&](const Node& v, const Path& p) { api.tls_cert_file = ReadStringOrEmpty(v, p); }},
      {"keyFile", [&](const Node& v, const Path& p) { api.tls_key_file = ReadStringOrEmpty(v, p); }},
  }};
  const std::array<Field, 2> retention_fields{{
      {"perVMI", [&](const Node& v, const Path& p) { api.retention_per_vmi = ReadUint32(v, p, 0); }},
      {"ttl",
       [&](const Node& v, const Path& p) {
         api.retention_ttl = ReadDuration(v, p, kMinRetentionTtl, std::chrono::milliseconds::max());
       }},
  }};
  const std::array<Field, 6> fields{{
      {"enabled", [&](const Node& v, const Path& p) { api.enabled = ReadBool(v, p); }},
      {"auth", [&](const Node& v, const Path& p) { ReadFields(v, p, auth_fields); }},
      {"tls", [&](const Node& v, const Path& p) { ReadFields(v, p, tls_fields); }},
      {"finishedRetention", [&](const Node& v, const Path& p) { ReadFields(v, p, retention_fields); }},
      {"maxWatches",
       [&](const Node& v, const Path& p) {
         api.max_watches = static_cast<uint32_t>(ReadInteger(v, p, kMinWatches, kMaxWatches));
       }},
      {"maxRequestBytes",
       [&](const Node& v, const Path& p) { api.max_request_bytes = ReadQuantity(v, p, kMinRequestBytes); }},
  }};
  ReadFields(map, path, fields);

  const std::string tls_path = ChildPath(path, "tls");
  const std::string cert_path = ChildPath(tls_path, "certFile");
  const std::string key_path = ChildPath(tls_path, "keyFile");
  if (api.tls_cert_file.empty() != api.tls_key_file.empty()) {
    const bool has_cert = !api.tls_cert_file.empty();
    const std::string& set_path = has_cert ? cert_path : key_path;
    const std::string& missing_path = has_cert ? key_path : cert_path;
    throw ConfigError(missing_path, "missing; " + set_path + " is set, so set both " + cert_path + " and " +
                                        key_path + " (or neither, for plain HTTP)");
  }
  if (!api.tls_cert_file.empty()) {
    RequireReadablePem(api.tls_cert_file, cert_path);
    RequireReadablePem(api.tls_key_file, key_path);
  }
  if (!api.token_file.empty()) {
    api.token = ReadToken(api.token_file, ChildPath(ChildPath(path, "auth"), "tokenFile"));
  }
  return api;
}

}  // namespace migmon::config::detail
