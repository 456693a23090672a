#include "trace/reader.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <limits>

namespace migmon::trace {
namespace {

using nlohmann::json;

std::string Format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

class LineReader {
 public:
  LineReader(const std::string& path, size_t line) : where_(path + ":" + std::to_string(line) + ": ") {}
  [[noreturn]] void Fail(const std::string& what) const { throw TraceError(where_ + what); }

  // Seconds (or, for time_elapsed, milliseconds) up to `max`: a trace
  // spans minutes or days, and clocks past 10^9 s do not fit a steady time.
  double Time(const json& j, const char* key, double max = kMaxTraceSeconds) const {
    auto it = j.find(key);
    if (it == j.end()) Fail(std::string("missing \"") + key + "\"");
    if (!it->is_number()) Fail(std::string("\"") + key + "\" is not a number");
    const double v = it->get<double>();
    if (!std::isfinite(v) || v < 0 || v > max) {
      Fail(std::string("\"") + key + "\" must be a number from 0 to " + Format(max));
    }
    return v;
  }

  std::optional<uint64_t> Count(const json& j, const char* key) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_unsigned()) Fail(std::string("\"") + key + "\" must be a whole number >= 0");
    return it->get<uint64_t>();
  }

  std::string Text(const json& j, const char* key) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) Fail(std::string("\"") + key + "\" must be a string");
    return it->get<std::string>();
  }

  // Job statistics: numbers >= 0 (libvirt's are unsigned), flags and text.
  const json& Stats(const json& stats) const {
    if (!stats.is_object()) Fail("\"stats\" must be an object");
    for (const auto& [name, value] : stats.items()) {
      if (value.is_number()) {
        const double v = value.get<double>();
        if (!std::isfinite(v) || v < 0 || v > static_cast<double>(std::numeric_limits<int64_t>::max())) {
          Fail("job statistic \"" + name + "\" must be a finite number >= 0");
        }
      } else if (!value.is_boolean() && !value.is_string()) {
        Fail("job statistic \"" + name + "\" must be a number, a boolean or a string");
      }
    }
    return stats;
  }

 private:
  std::string where_;
};

TraceMeta ReadMeta(const LineReader& r, const json& j) {
  TraceMeta m;
  m.source = r.Text(j, "source");
  m.scenario = r.Text(j, "scenario");
  m.note = r.Text(j, "note");
  if (const std::string expect = r.Text(j, "expect"); !expect.empty()) {
    if (expect != "converges" && expect != "never") r.Fail("\"expect\" must be \"converges\" or \"never\"");
    m.expect_converges = expect == "converges";
  }
  if (auto it = j.find("domain"); it != j.end()) {
    if (!it->is_object()) r.Fail("\"domain\" must be an object");
    m.domain = r.Text(*it, "name");
    m.uuid = r.Text(*it, "uuid");
    if (const auto kib = r.Count(*it, "memory_kib")) m.memory_bytes = *kib * 1024;
  }
  return m;
}

// nullopt: a record of a kind this reader does not know (or an error sample).
std::optional<TraceRecord> ReadRecord(const LineReader& r, const json& j, const std::string& kind) {
  TraceRecord rec;
  rec.t = r.Time(j, "t");
  if (kind == "jobstats" || kind == "completedjob") {
    if (!j.contains("stats")) {
      if (j.contains("error")) return std::nullopt;  // a failed read: no sample
      r.Fail("a " + kind + " record needs \"stats\" or \"error\"");
    }
    rec.kind = kind == "jobstats" ? TraceRecord::Kind::kJobStats : TraceRecord::Kind::kCompletedJob;
    rec.stats = r.Stats(j.at("stats"));
  } else if (kind == "event") {
    const std::string event = r.Text(j, "event");
    if (event == "migration-iteration") {
      rec.kind = TraceRecord::Kind::kIterationEvent;
      const auto it = r.Count(j, "iteration");
      if (!it) r.Fail("a migration-iteration event needs \"iteration\"");
      rec.iteration = *it;
    } else if (event == "job-completed" && j.contains("stats")) {
      rec.kind = TraceRecord::Kind::kCompletedJob;
      rec.stats = r.Stats(j.at("stats"));
    } else {
      return std::nullopt;
    }
  } else if (kind == "limits") {
    rec.kind = TraceRecord::Kind::kLimits;
    rec.max_downtime_ms = r.Count(j, "max_downtime_ms");
    rec.max_speed_mib = r.Count(j, "max_speed_mib");
  } else if (kind == "decision") {
    rec.kind = TraceRecord::Kind::kDecision;
    rec.action = r.Text(j, "action");
    rec.reason = r.Text(j, "reason");
    rec.text = r.Text(j, "message");
    if (auto it = j.find("dry_run"); it != j.end()) {
      if (!it->is_boolean()) r.Fail("\"dry_run\" must be true or false");
      rec.dry_run = it->get<bool>();
    }
  } else if (kind == "mark") {
    rec.kind = TraceRecord::Kind::kMark;
    rec.text = r.Text(j, "what");
  } else {
    return std::nullopt;
  }
  return rec;
}

}  // namespace

Trace ReadTrace(std::istream& in, const std::string& path) {
  Trace trace;
  trace.path = path;
  std::optional<bool> bare;
  size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const LineReader r(path, number);
    if (line.size() > kMaxLineBytes) r.Fail("line longer than " + std::to_string(kMaxLineBytes) + " bytes");
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) r.Fail("not valid JSON");
    if (!j.is_object()) r.Fail("not a JSON object");
    const bool this_bare = !j.contains("kind");
    if (bare && *bare != this_bare) {
      r.Fail(this_bare ? "a bare job-stats line in a recording (it has no \"kind\")"
                       : "a recording's line in a bare trace (only job-stats objects may follow one)");
    }
    bare = this_bare;
    if (this_bare) {
      TraceRecord rec;
      rec.t = r.Time(j, "time_elapsed", kMaxTraceSeconds * 1000.0) / 1000.0;
      rec.stats = r.Stats(j);
      trace.records.push_back(std::move(rec));
      continue;
    }
    if (!j.at("kind").is_string()) r.Fail("\"kind\" must be a string");
    const std::string kind = j.at("kind").get<std::string>();
    if (kind == "meta") {
      if (number != 1 && !trace.records.empty()) r.Fail("the meta record must come first");
      trace.meta = ReadMeta(r, j);
      continue;
    }
    if (auto rec = ReadRecord(r, j, kind)) trace.records.push_back(std::move(*rec));
  }
  if (in.bad()) throw TraceError(path + ": read error");
  trace.bare = bare.value_or(false);
  // A recorder's threads may stamp a record before writing the one ahead of it.
  std::stable_sort(trace.records.begin(), trace.records.end(),
                   [](const TraceRecord& a, const TraceRecord& b) { return a.t < b.t; });
  return trace;
}

Trace ReadTraceFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw TraceError(path + ": cannot open");
  return ReadTrace(in, path);
}

}  // namespace migmon::trace
