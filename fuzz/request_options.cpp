// The options of a request: the URL's query (dryRun, fieldValidation,
// timeoutSeconds, resourceVersion, ...) and a DELETE's DeleteOptions body.
// The input is the query text ("k=v&k=v", not percent-decoded: the HTTP
// layer does that), optionally followed by a NUL byte and a JSON body. Every
// parser must answer options or a 4xx Status, and never throw.
#include <string>
#include <string_view>

#include "api/k8s/request_options.h"
#include "api/k8s/vmim.h"
#include "fuzz/fuzz_request.h"

namespace {

migmon::api::k8s::QueryParams SplitQuery(std::string_view text) {
  migmon::api::k8s::QueryParams query;
  while (!text.empty()) {
    const size_t end = text.find('&');
    const std::string_view pair = text.substr(0, end);
    const size_t equals = pair.find('=');
    query.emplace(std::string(pair.substr(0, equals)),
                  equals == std::string_view::npos ? std::string() : std::string(pair.substr(equals + 1)));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return query;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace k8s = migmon::api::k8s;
  const std::string_view input = migmon::fuzz::AsText(data, size);
  const size_t split = input.find('\0');
  const k8s::QueryParams query = SplitQuery(input.substr(0, split));

  migmon::fuzz::CheckRejection(k8s::ParseCreateOptions(query).error);
  migmon::fuzz::CheckRejection(k8s::ParseWatchTimeout(query).error);
  migmon::fuzz::CheckRejection(k8s::ParseRequestedVersion(query).error);
  const k8s::ListPageOptions page = k8s::ParseListPage(query);
  migmon::fuzz::CheckRejection(page.error);
  if (page.after && page.after->first.find('/') != std::string::npos) __builtin_trap();  // split at the first '/'

  if (split == std::string_view::npos) {
    migmon::fuzz::CheckRejection(k8s::ParseDeleteOptions(nullptr, query).error);
    return 0;
  }
  const k8s::ParsedBody body = k8s::ParseBody(input.substr(split + 1), "application/json");
  if (body.error) {
    migmon::fuzz::CheckRejection(body.error);
    return 0;
  }
  const k8s::DeleteOptionsResult result = k8s::ParseDeleteOptions(&body.object, query);
  migmon::fuzz::CheckRejection(result.error);
  if (!result.error) {
    static const nlohmann::json kObject = {{"metadata", {{"uid", "u-1"}, {"resourceVersion", "7"}}}};
    (void)k8s::PreconditionFailure(result.options.preconditions, kObject);
  }
  return 0;
}
