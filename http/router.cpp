#include "http/router.h"

#include <algorithm>

namespace migmon::http {

void Router::Add(std::string method, std::string pattern, Handler handler, Pool pool) {
  std::regex regex(pattern);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(regex), std::move(handler), pool});
}

RouteMatch Router::Find(Request& req) const {
  const std::string& want = req.method == "HEAD" ? std::string("GET") : req.method;
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    std::smatch m;
    if (!std::regex_match(req.path, m, route.regex)) continue;
    if (route.method == want) {
      req.matches = std::move(m);
      return {RouteMatch::Kind::kFound, &route, {}};
    }
    allowed.push_back(route.method);
    if (route.method == "GET") allowed.push_back("HEAD");
  }
  if (allowed.empty()) return {};
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  std::string allow;
  for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  return {RouteMatch::Kind::kMethodNotAllowed, nullptr, std::move(allow)};
}

}  // namespace migmon::http
