// Structured logging: one JSON object per line on stderr
// ({"time": RFC 3339 UTC, "level", "message", "fields": {...}}), so a log
// shipper never has to parse free text. Thread-safe: a line is written whole.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace migmon::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Lines below this level are dropped. Default: kInfo.
void SetMinLevel(Level level);
// Test hook: send lines to this function instead of stderr (nullptr restores).
void SetSinkForTesting(void (*sink)(std::string_view line));

void Write(Level level, std::string_view message, const nlohmann::json& fields = nlohmann::json::object());
inline void Debug(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { Write(Level::kDebug, m, f); }
inline void Info(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { Write(Level::kInfo, m, f); }
inline void Warn(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { Write(Level::kWarn, m, f); }
inline void Error(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { Write(Level::kError, m, f); }

}  // namespace migmon::log
