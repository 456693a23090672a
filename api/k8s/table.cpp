#include "api/k8s/table.h"

#include <cstdio>

#include "api/k8s/media_type.h"

namespace migmon::api::k8s {

namespace {

using nlohmann::json;

// The value at a chain of object keys, or null when any step is missing.
json At(const json& object, std::initializer_list<const char*> keys) {
  const json* node = &object;
  for (const char* key : keys) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  return *node;
}

json Column(const char* name, const char* type, const char* description, int priority = 0,
            const char* format = "") {
  return {{"name", name}, {"type", type}, {"format", format}, {"description", description}, {"priority", priority}};
}

json Columns() {
  return json::array({
      Column("Name", "string", "Name of the migration.", 0, "name"),
      Column("Phase", "string", "Phase of the migration (status.phase)."),
      Column("VMI", "string", "The VirtualMachineInstance migrated (spec.vmiName)."),
      Column("Source", "string", "Node migrated from (status.migrationState.sourceNode)."),
      Column("Target", "string", "Node migrated to (status.migrationState.targetNode)."),
      Column("Progress", "string", "Share of the data transferred (status.migrationState.progress.progressRatio)."),
      Column("Age", "date", "Time since the migration was created (metadata.creationTimestamp)."),
      Column("Priority", "string", "Queue priority (spec.priority).", 1),
  });
}

json Progress(const json& vmim) {
  json ratio = At(vmim, {"status", "migrationState", "progress", "progressRatio"});
  if (!ratio.is_number()) return nullptr;
  return std::to_string(static_cast<int64_t>(ratio.get<double>() * 100)) + "%";
}

json Age(const json& vmim, std::chrono::system_clock::time_point now) {
  json created = At(vmim, {"metadata", "creationTimestamp"});
  if (!created.is_string()) return "<unknown>";
  auto when = ParseTimestamp(created.get<std::string>());
  if (!when) return "<unknown>";
  return HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - *when));
}

// Reads "NN" digits at text[pos..pos+count); -1 on a non-digit.
int Digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::string Format(const char* pattern, long a, long b = 0) {
  char text[48];
  std::snprintf(text, sizeof text, pattern, a, b);
  return text;
}

}  // namespace

bool WantsTable(std::string_view accept) {
  return AcceptsWith(accept, "application/json", {{"as", "Table"}, {"g", "meta.k8s.io"}, {"v", "v1"}});
}

json MakeTable(const std::vector<json>& vmims, std::chrono::system_clock::time_point now,
               const ListMeta& meta) {
  json rows = json::array();
  for (const json& vmim : vmims) {
    json cells = json::array({At(vmim, {"metadata", "name"}),
                  At(vmim, {"status", "phase"}),
                  At(vmim, {"spec", "vmiName"}),
                  At(vmim, {"status", "migrationState", "sourceNode"}),
                  At(vmim, {"status", "migrationState", "targetNode"}),
                  Progress(vmim),
                  Age(vmim, now),
                  At(vmim, {"spec", "priority"})});
    json metadata = At(vmim, {"metadata"});
    if (!metadata.is_object()) metadata = json::object();
    rows.push_back({{"cells", std::move(cells)},
                    {"object",
                     {{"kind", "PartialObjectMetadata"},
                      {"apiVersion", "meta.k8s.io/v1"},
                      {"metadata", std::move(metadata)}}}});
  }
  json table_metadata = ListMetaJson(meta);
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", std::move(table_metadata)},
          {"columnDefinitions", Columns()},
          {"rows", std::move(rows)}};
}

json MakeWatchTable(const json& vmim, bool with_columns, std::chrono::system_clock::time_point now) {
  json table = MakeTable({vmim}, now);
  if (!with_columns) table["columnDefinitions"] = json::array();
  return table;
}

json MakeWatchEvent(std::string_view type, json object) { return {{"type", type}, {"object", std::move(object)}}; }

std::string HumanDuration(std::chrono::seconds age) {
  // kubectl's thresholds: finer units while they still matter to a reader.
  const long s = static_cast<long>(age.count());
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return Format("%lds", s);
  const long m = s / 60;
  if (m < 10) return s % 60 == 0 ? Format("%ldm", m) : Format("%ldm%lds", m, s % 60);
  if (m < 180) return Format("%ldm", m);
  const long h = m / 60;
  if (h < 8) return m % 60 == 0 ? Format("%ldh", h) : Format("%ldh%ldm", h, m % 60);
  if (h < 48) return Format("%ldh", h);
  if (h < 24 * 8) return h % 24 == 0 ? Format("%ldd", h / 24) : Format("%ldd%ldh", h / 24, h % 24);
  if (h < 24 * 365 * 2) return Format("%ldd", h / 24);
  const long y = h / 24 / 365, d = (h / 24) % 365;
  if (h < 24 * 365 * 8) return d == 0 ? Format("%ldy", y) : Format("%ldy%ldd", y, d);
  return Format("%ldy", y);
}

std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  const int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) {
    offset_minutes = 0;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') && text[pos + 3] == ':') {
    const int oh = Digits(text, pos + 1, 2), om = Digits(text, pos + 4, 2);
    if (oh < 0 || om < 0) return std::nullopt;
    offset_minutes = (text[pos] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute - offset_minutes) +
         std::chrono::seconds(second);
}

}  // namespace migmon::api::k8s
