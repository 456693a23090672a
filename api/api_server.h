// The Kubernetes-compatible HTTP surface: discovery, OpenAPI v3, the
// VirtualMachineInstanceMigration collection (list, watch, create, get,
// delete) and the read-only VirtualMachineInstances, with Kubernetes
// conventions (Status errors, label and field selectors, limit/continue,
// resourceVersion, watch streams with bookmarks, Table output for kubectl),
// bearer-token auth and a cap on concurrent watches.
//
// HTTP only: requests are decoded and validated here, then carried out by
// the lifecycle stage (migrations::Controller), whose typed errors become
// Status objects (error_status.h); reads are served from the store. The
// watch handlers are in api_watch.cpp, on watch_stream.h; the pieces every
// handler shares (selectors, limit/continue, resourceVersion) in
// request_parts.h.
//
// Thread-safety: handlers run on the HTTP pool; all state is the store's,
// the controller's or a snapshot, and the counters here are guarded.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "api/vmi_objects.h"
#include "http/server.h"
#include "migrations/controller.h"
#include "store/object_store.h"
#include "tracker/snapshot.h"
#include "tracker/vmi_name.h"
#include "util/clock.h"

namespace migmon::api {

struct ApiSettings {
  std::string token;  // empty: no auth
  uint32_t max_watches = 16;
  NamingScheme naming = NamingScheme::kDomain;
};

class ApiServer {
 public:
  ApiServer(store::ObjectStore& store, migrations::Controller& controller, std::function<Snapshot()> snapshot,
            ApiSettings settings, const Clock& clock = RealClock());

  void Install(http::Server& server);
  void UpdateSettings(ApiSettings settings);

  // API requests answered, by (method, status code).
  std::map<std::pair<std::string, int>, uint64_t> RequestCounts() const;

 private:
  void ListOrWatchMigrations(const http::Request& req, http::Response& res, const std::optional<std::string>& ns);
  void WatchMigrations(const http::Request& req, http::Response& res, const std::optional<std::string>& ns);
  void CreateMigration(const http::Request& req, http::Response& res, const std::string& ns);
  void GetMigration(const http::Request& req, http::Response& res, const std::string& ns, const std::string& name);
  void DeleteMigration(const http::Request& req, http::Response& res, const std::string& ns, const std::string& name);
  void ListOrWatchVmis(const http::Request& req, http::Response& res, const std::optional<std::string>& ns);
  void WatchVmis(const http::Request& req, http::Response& res, std::function<std::vector<VmiText>()> current);
  void GetVmi(const http::Request& req, http::Response& res, const std::string& ns, const std::string& name);
  bool AdmitWatch(http::Response& res);  // false: answered 429
  void Count(const std::string& method, int code);
  ApiSettings Settings() const;

  store::ObjectStore& store_;
  migrations::Controller& controller_;
  std::function<Snapshot()> snapshot_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  ApiSettings settings_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::shared_ptr<std::atomic<uint32_t>> watches_ = std::make_shared<std::atomic<uint32_t>>(0);
};

}  // namespace migmon::api
