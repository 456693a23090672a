// Routes: a method and a path pattern (a regular expression matched against
// the whole decoded path) to a handler and the pool it runs on. The router
// knows every path's methods, so a known path asked with another method is
// told apart from an unknown path (405 with Allow, not 404).
//
// Thread-safety: Add() before the server starts; Find() is const and safe
// to call from any thread afterwards.
#pragma once

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "http/message.h"

namespace migmon::http {

// Where a handler runs. Monitoring handlers (/metrics, /healthz, ...) have a
// pool of their own, so API traffic can never starve them.
enum class Pool { kMonitoring, kApi };

using Handler = std::function<void(const Request&, Response&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::regex regex;
  Handler handler;
  Pool pool = Pool::kApi;
};

struct RouteMatch {
  enum class Kind { kFound, kMethodNotAllowed, kNotFound };
  Kind kind = Kind::kNotFound;
  const Route* route = nullptr;  // kFound only
  std::string allow;             // kMethodNotAllowed: "GET, HEAD, POST"
};

class Router {
 public:
  // Throws std::regex_error for a bad pattern (a programming error).
  void Add(std::string method, std::string pattern, Handler handler, Pool pool);

  // Matches req.path (filling req.matches on success) and req.method. HEAD
  // is served by a GET route. The first route added wins.
  RouteMatch Find(Request& req) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace migmon::http
