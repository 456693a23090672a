#include "http/request_handling.h"

#include <exception>

#include "util/log.h"

namespace migmon::http {
namespace {

std::string ExceptionText(std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
  }
  return "unknown error";
}

// The error body for `res.status`, or plain text when the hook is missing or fails.
void FillErrorBody(const Hooks& hooks, const Request& req, Response& res, const std::string& message) {
  if (hooks.error_body) {
    try {
      hooks.error_body(req, res, message);
      return;
    } catch (...) {
      log::Error("http error body failed", {{"path", req.path}, {"error", ExceptionText(std::current_exception())}});
    }
  }
  res.set_content(message + "\n", "text/plain");
}

void CallLogger(const Hooks& hooks, const Request& req, const Response& res) {
  if (!hooks.logger) return;
  try {
    hooks.logger(req, res);
  } catch (...) {
    log::Error("http logger failed", {{"path", req.path}, {"error", ExceptionText(std::current_exception())}});
  }
}

}  // namespace

std::string_view ReasonPhrase(int code) {
  switch (code) {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

Response HandleRequest(const Hooks& hooks, const Request& req, const RouteMatch& match) {
  Response res;
  std::string message;
  try {
    if (!hooks.pre_routing || hooks.pre_routing(req, res) == PreRouting::kContinue) {
      switch (match.kind) {
        case RouteMatch::Kind::kFound:
          match.route->handler(req, res);
          break;
        case RouteMatch::Kind::kMethodNotAllowed:
          res.status = 405;
          res.set_header("Allow", match.allow);
          message = "method " + req.method + " is not allowed on " + req.path + "; allowed: " + match.allow;
          break;
        case RouteMatch::Kind::kNotFound:
          res.status = 404;
          break;
      }
    }
  } catch (...) {
    message = ExceptionText(std::current_exception());
    log::Error("http handler failed", {{"method", req.method}, {"path", req.path}, {"error", message}});
    res = Response{};
    res.status = 500;
  }
  if (res.status == -1) res.status = (!res.body.empty() || res.provider) ? 200 : 404;
  if (res.status >= 400 && res.body.empty() && !res.provider) {
    if (message.empty()) message = std::string(ReasonPhrase(res.status));
    FillErrorBody(hooks, req, res, message);
  }
  CallLogger(hooks, req, res);
  return res;
}

void AnswerError(const Hooks& hooks, const Request& req, Response& res, int code, std::string message) {
  res = Response{};
  res.status = code;
  FillErrorBody(hooks, req, res, message);
  CallLogger(hooks, req, res);
}

}  // namespace migmon::http
