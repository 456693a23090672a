#include "util/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace migmon::log {
namespace {

std::atomic<Level> g_min_level{Level::kInfo};
std::atomic<void (*)(std::string_view)> g_sink{nullptr};
std::mutex g_write_mutex;

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return buf;
}

}  // namespace

void SetMinLevel(Level level) { g_min_level = level; }
void SetSinkForTesting(void (*sink)(std::string_view)) { g_sink = sink; }

void Write(Level level, std::string_view message, const nlohmann::json& fields) {
  if (level < g_min_level.load()) return;
  nlohmann::json line = {{"time", NowRfc3339()},
                         {"level", LevelName(level)},
                         {"message", message},
                         {"fields", fields}};
  // Replace invalid UTF-8 (a domain name from libvirt could hold any bytes)
  // instead of throwing from a log call.
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(g_write_mutex);
  if (auto sink = g_sink.load()) {
    sink(text);
    return;
  }
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace migmon::log
