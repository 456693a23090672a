// Reading traces (trace/reader.h) and turning them into replay steps
// (daemon/trace_steps.h): what is accepted, and errors that name the line.
#include <gtest/gtest.h>

#include <sstream>

#include "daemon/trace_steps.h"
#include "trace/reader.h"

namespace migmon {
namespace {

trace::Trace Read(const std::string& text) {
  std::istringstream in(text);
  return trace::ReadTrace(in, "t.jsonl");
}

std::string ErrorOf(const std::string& text) {
  try {
    Read(text);
  } catch (const trace::TraceError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TraceReader, ABareTraceIsJobStatsLinesTimedByTheirElapsedTime) {
  const auto t = Read(R"({"type":2,"time_elapsed":1500,"data_total":100,"data_remaining":60,"memory_iteration":1}
{"type":2,"time_elapsed":2000,"data_total":100,"data_remaining":50,"memory_iteration":1}
)");
  EXPECT_TRUE(t.bare);
  ASSERT_EQ(2u, t.records.size());
  EXPECT_DOUBLE_EQ(1.5, t.records[0].t);
  EXPECT_EQ(50, t.records[1].stats.at("data_remaining"));
}

TEST(TraceReader, KnownKindsAreReadAndUnknownOnesSkipped) {
  const auto t = Read(R"({"kind":"meta","format":"migmon-recording","version":1,"source":"lab","expect":"never","domain":{"name":"g","uuid":"u","memory_kib":1024}}
{"kind":"limits","t":0.2,"max_downtime_ms":300,"max_speed_mib":4}
{"kind":"event","t":0.5,"event":"migration-iteration","iteration":2}
{"kind":"something-new","t":0.6,"whatever":true}
{"kind":"jobstats","t":0.5,"stats":{"type":2,"data_total":9}}
{"kind":"jobstats","t":0.7,"error":{"code":1,"message":"x"}}
{"kind":"decision","t":0.8,"action":"abort","reason":"progress_timeout","message":"m"}
)");
  EXPECT_FALSE(t.bare);
  EXPECT_EQ(1024u * 1024, *t.meta.memory_bytes);
  EXPECT_FALSE(*t.meta.expect_converges);
  ASSERT_EQ(4u, t.records.size());  // limits, event, jobstats, decision (time order)
  EXPECT_EQ(trace::TraceRecord::Kind::kLimits, t.records[0].kind);
  EXPECT_EQ(trace::TraceRecord::Kind::kIterationEvent, t.records[1].kind);
  EXPECT_EQ(2u, t.records[1].iteration);
  EXPECT_EQ(trace::TraceRecord::Kind::kDecision, t.records.back().kind);
}

TEST(TraceReader, ErrorsNameTheFileTheLineAndWhatIsWrong) {
  EXPECT_EQ("t.jsonl:2: not valid JSON", ErrorOf("{\"time_elapsed\":1}\n{oops\n"));
  EXPECT_EQ("t.jsonl:1: not a JSON object", ErrorOf("[1,2]\n"));
  EXPECT_EQ("t.jsonl:1: job statistic \"data_remaining\" must be a finite number >= 0",
            ErrorOf("{\"time_elapsed\":1,\"data_remaining\":-5}\n"));
  EXPECT_EQ("t.jsonl:2: a recording's line in a bare trace (only job-stats objects may follow one)",
            ErrorOf("{\"time_elapsed\":1}\n{\"kind\":\"mark\",\"t\":1}\n"));
  EXPECT_EQ("t.jsonl:2: the meta record must come first",
            ErrorOf("{\"kind\":\"mark\",\"t\":1,\"what\":\"x\"}\n{\"kind\":\"meta\"}\n"));
  EXPECT_EQ("t.jsonl:1: missing \"t\"", ErrorOf("{\"kind\":\"jobstats\",\"stats\":{}}\n"));
  EXPECT_EQ("t.jsonl:1: \"t\" must be a number from 0 to 1e+09", ErrorOf("{\"kind\":\"mark\",\"t\":4e31}\n"));
  EXPECT_EQ("t.jsonl:1: a migration-iteration event needs \"iteration\"",
            ErrorOf("{\"kind\":\"event\",\"t\":1,\"event\":\"migration-iteration\"}\n"));
  EXPECT_EQ("t.jsonl:1: line longer than 65536 bytes", ErrorOf(std::string(70000, ' ') + "\n"));
}

TEST(TraceSteps, LimitsReadInTheSamePollApplyToItsSample) {
  const auto t = Read(R"({"kind":"meta","domain":{"memory_kib":1024}}
{"kind":"jobstats","t":0.50,"stats":{"type":2,"operation":5,"time_elapsed":500,"data_total":9,"data_remaining":9}}
{"kind":"limits","t":0.51,"max_downtime_ms":500,"max_speed_mib":4}
{"kind":"jobstats","t":1.00,"stats":{"type":2,"operation":5,"time_elapsed":1000,"data_total":9,"data_remaining":8}}
)");
  const auto run = app::StepsOf(t, {});
  ASSERT_EQ(2u, run.steps.size());
  EXPECT_DOUBLE_EQ(4.0 * 1024 * 1024, *run.steps[0].sample.bandwidth_limit_bytes_per_second);
  EXPECT_DOUBLE_EQ(0.5, *run.steps[0].sample.allowed_downtime_seconds);
  app::TraceOptions flags;
  flags.bandwidth_bytes_per_second = 1e6;
  flags.max_downtime_seconds = 2;
  const auto overridden = app::StepsOf(t, flags);
  EXPECT_DOUBLE_EQ(1e6, *overridden.steps[1].sample.bandwidth_limit_bytes_per_second);
  EXPECT_DOUBLE_EQ(2, *overridden.steps[1].sample.allowed_downtime_seconds);
}

TEST(TraceSteps, EventsFromTheRecordingOrFromTheFirstSampleOfAPass) {
  const std::string recorded = R"({"kind":"jobstats","t":1.0,"stats":{"type":2,"time_elapsed":1000,"data_total":9,"data_remaining":9,"memory_iteration":1}}
{"kind":"jobstats","t":1.5,"stats":{"type":2,"time_elapsed":1500,"data_total":9,"data_remaining":5,"memory_iteration":2}}
{"kind":"event","t":1.6,"event":"migration-iteration","iteration":2}
{"kind":"jobstats","t":1.61,"stats":{"type":2,"time_elapsed":1610,"data_total":9,"data_remaining":7,"memory_iteration":2}}
)";
  app::TraceOptions options;
  options.memory_bytes = 9;
  auto run = app::StepsOf(Read(recorded), options);
  ASSERT_EQ(3u, run.steps.size());
  EXPECT_FALSE(run.steps[1].at_event);  // a poll saw pass 2 before its event
  EXPECT_TRUE(run.steps[2].at_event);   // the sample read right after the event
  options.events = app::TraceOptions::Events::kNone;
  run = app::StepsOf(Read(recorded), options);
  EXPECT_FALSE(run.steps[2].at_event);
  // A bare trace has no events: the first sample of each new pass stands for it.
  options.events = app::TraceOptions::Events::kSeen;
  const auto bare = app::StepsOf(Read(R"({"type":2,"time_elapsed":1000,"data_total":9,"data_remaining":9,"memory_iteration":1}
{"type":2,"time_elapsed":1500,"data_total":9,"data_remaining":5,"memory_iteration":2}
)"), options);
  EXPECT_FALSE(bare.steps[0].at_event);
  EXPECT_TRUE(bare.steps[1].at_event);
}

TEST(TraceSteps, TheGuestsMemoryMustBeKnown) {
  try {
    app::StepsOf(Read("{\"type\":2,\"time_elapsed\":1000,\"data_total\":9,\"data_remaining\":9}\n"), {});
    FAIL() << "accepted a trace without the guest's memory";
  } catch (const trace::TraceError& e) {
    EXPECT_NE(std::string::npos, std::string(e.what()).find("pass --memory")) << e.what();
  }
}

}  // namespace
}  // namespace migmon
