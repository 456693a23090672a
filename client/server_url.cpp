#include "client/server_url.h"

#include <cctype>
#include <stdexcept>

namespace migmon::client {

ServerUrl ParseServerUrl(std::string_view url) {
  ServerUrl out;
  std::string_view rest;
  if (url.rfind("https://", 0) == 0) {
    out.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    throw std::invalid_argument("\"" + std::string(url) + "\" is not an http:// or https:// URL");
  }
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  std::string path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  if (authority.empty()) throw std::invalid_argument("\"" + std::string(url) + "\" has no host");
  if (authority.find('@') != std::string_view::npos) {
    throw std::invalid_argument("\"" + std::string(url) + "\": user info in the URL is not supported; use --token-file");
  }
  if (path.find_first_of("?#") != std::string::npos) {
    throw std::invalid_argument("\"" + std::string(url) + "\" must not have a query or fragment");
  }
  // The port, if any, follows the last ':' outside an IPv6 literal's brackets.
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  const bool has_port = colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
  std::string_view host = has_port ? authority.substr(0, colon) : authority;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) throw std::invalid_argument("\"" + std::string(url) + "\" has no host");
  out.host = std::string(host);
  out.port = out.tls ? 443 : 80;
  if (has_port) {
    const std::string_view port = authority.substr(colon + 1);
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) digits = digits && c >= '0' && c <= '9';
    out.port = digits ? std::stoi(std::string(port)) : 0;
    if (out.port < 1 || out.port > 65535) throw std::invalid_argument("\"" + std::string(url) + "\" has a bad port");
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  out.scheme_host_port = std::string(out.tls ? "https://" : "http://") + std::string(authority);
  out.base_path = path;
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace migmon::client
