// The client's verbs, one function each, behind RunClient (client/client.h),
// which parses the arguments, connects and maps exceptions to exit codes:
// these functions throw ApiError for whatever the server refuses and return
// the exit status otherwise. Internal to client/.
#pragma once

#include <map>
#include <ostream>
#include <set>
#include <string>

#include "client/api_client.h"
#include "client/args.h"
#include "client/follow.h"
#include "client/live.h"

namespace migmon::client {

struct Context {
  ApiClient& api;
  std::ostream& out;
  std::ostream& err;
  bool terminal = false;
  size_t width = 80;
  FollowPolicy follow;
};

int RunMigrate(Context& ctx, const ClientArgs& args);
int RunGet(Context& ctx, const ClientArgs& args);
int RunList(Context& ctx, const ClientArgs& args);
int RunCancel(Context& ctx, const ClientArgs& args);
int RunWatch(Context& ctx, const ClientArgs& args);
int RunDrain(Context& ctx, const ClientArgs& args);

// Follows the migrations `keys` ("ns/name") through `spec` until each has
// succeeded, failed or been deleted, printing their progress through
// `presenter`. Returns each one's outcome.
std::map<std::string, Outcome> AwaitMigrations(Context& ctx, const FollowSpec& spec, const std::set<std::string>& keys,
                                               Presenter& presenter);

}  // namespace migmon::client
