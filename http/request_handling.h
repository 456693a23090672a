// Internal to http/: turning one parsed request into its answer (pre-routing,
// the route, 404/405, exceptions to 500, the error body, the logger), apart
// from any socket so that it reads as one function.
//
// Thread-safety: stateless; the hooks it calls must be thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"
#include "http/router.h"
#include "http/server.h"

namespace migmon::http {

struct Hooks {
  PreRoutingHandler pre_routing;
  ErrorBodyHandler error_body;
  Logger logger;
};

// Runs the matched route (or answers 404/405) for `req`. Never throws.
Response HandleRequest(const Hooks& hooks, const Request& req, const RouteMatch& match);

// Sets `res` to an error answer made by the server itself: status `code`,
// body from the error body hook (plain `message` without one, or if it
// fails), then calls the logger. Never throws.
void AnswerError(const Hooks& hooks, const Request& req, Response& res, int code, std::string message);

// The reason phrase's words for the codes the server makes ("Not Found").
std::string_view ReasonPhrase(int code);

}  // namespace migmon::http
