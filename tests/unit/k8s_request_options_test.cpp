// Request options as kube-apiserver reads them: dryRun and fieldValidation
// of a create, DeleteOptions (body or query) with preconditions, a watch's
// timeoutSeconds and a list's or watch's resourceVersion.
#include "api/k8s/request_options.h"

#include <gtest/gtest.h>

#include "api/k8s/vmim.h"

namespace migmon::api::k8s {
namespace {

using nlohmann::json;

QueryParams Query(std::initializer_list<std::pair<const std::string, std::string>> items) { return QueryParams(items); }

TEST(K8sCreateOptions, DryRunAllIsADryRunAndAbsentIsNot) {
  const auto none = ParseCreateOptions({});
  EXPECT_FALSE(none.error);
  EXPECT_FALSE(none.options.dry_run);
  EXPECT_EQ(none.options.field_validation, FieldValidation::kWarn);
  const auto all = ParseCreateOptions(Query({{"dryRun", "All"}}));
  EXPECT_FALSE(all.error);
  EXPECT_TRUE(all.options.dry_run);
}

TEST(K8sCreateOptions, AnyOtherDryRunValueIsInvalidCreateOptions) {
  for (const auto& query : {Query({{"dryRun", "bogus"}}), Query({{"dryRun", "All"}, {"dryRun", "bogus"}}),
                            Query({{"dryRun", ""}}), Query({{"dryRun", "all"}})}) {
    const auto r = ParseCreateOptions(query);
    ASSERT_TRUE(r.error) << query.begin()->second;
    EXPECT_EQ((*r.error)["code"], 422);
    EXPECT_EQ((*r.error)["reason"], "Invalid");
    EXPECT_EQ((*r.error)["details"]["kind"], "CreateOptions");
    EXPECT_EQ((*r.error)["details"]["causes"][0]["field"], "dryRun");
  }
  const auto r = ParseCreateOptions(Query({{"dryRun", "bogus"}}));
  EXPECT_EQ((*r.error)["message"],
            "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"bogus\"}: "
            "supported values: \"All\"");
}

TEST(K8sCreateOptions, FieldValidationValues) {
  EXPECT_EQ(ParseCreateOptions(Query({{"fieldValidation", "Strict"}})).options.field_validation,
            FieldValidation::kStrict);
  EXPECT_EQ(ParseCreateOptions(Query({{"fieldValidation", "Ignore"}})).options.field_validation,
            FieldValidation::kIgnore);
  EXPECT_EQ(ParseCreateOptions(Query({{"fieldValidation", "Warn"}})).options.field_validation, FieldValidation::kWarn);
  const auto bad = ParseCreateOptions(Query({{"fieldValidation", "strict"}}));
  ASSERT_TRUE(bad.error);
  EXPECT_EQ((*bad.error)["code"], 422);
  EXPECT_EQ((*bad.error)["details"]["causes"][0]["message"],
            "Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
}

TEST(K8sDeleteOptions, BodyAsKubectlSendsIt) {
  const json body = {{"kind", "DeleteOptions"},
                     {"apiVersion", "v1"},
                     {"propagationPolicy", "Background"},
                     {"dryRun", {"All"}},
                     {"preconditions", {{"uid", "u-1"}, {"resourceVersion", "7"}}}};
  const auto r = ParseDeleteOptions(&body, {});
  ASSERT_FALSE(r.error) << r.error->dump();
  EXPECT_TRUE(r.options.dry_run);
  EXPECT_EQ(r.options.preconditions.uid, "u-1");
  EXPECT_EQ(r.options.preconditions.resource_version, "7");
}

TEST(K8sDeleteOptions, ABodyIsTheWholeOfTheOptionsAndTheQueryIsReadWithoutOne) {
  const json body = json::object();
  EXPECT_FALSE(ParseDeleteOptions(&body, Query({{"dryRun", "All"}})).options.dry_run);
  EXPECT_TRUE(ParseDeleteOptions(nullptr, Query({{"dryRun", "All"}})).options.dry_run);
  EXPECT_FALSE(ParseDeleteOptions(nullptr, {}).options.dry_run);
}

TEST(K8sDeleteOptions, UnsupportedValuesAre422AndUndecodableOnes400) {
  const auto bogus = ParseDeleteOptions(nullptr, Query({{"dryRun", "bogus"}}));
  ASSERT_TRUE(bogus.error);
  EXPECT_EQ((*bogus.error)["code"], 422);
  EXPECT_EQ((*bogus.error)["details"]["kind"], "DeleteOptions");
  const json policy = {{"propagationPolicy", "Sometimes"}};
  EXPECT_EQ((*ParseDeleteOptions(&policy, {}).error)["code"], 422);
  const json both = {{"propagationPolicy", "Orphan"}, {"orphanDependents", true}};
  EXPECT_EQ((*ParseDeleteOptions(&both, {}).error)["code"], 422);

  for (const json& body : {json::array(), json{{"kind", "Pod"}}, json{{"apiVersion", "apps/v1"}},
                           json{{"dryRun", "All"}}, json{{"dryRun", {1}}}, json{{"preconditions", "x"}},
                           json{{"preconditions", {{"uid", 5}}}}, json{{"gracePeriodSeconds", "5"}},
                           json{{"orphanDependents", "yes"}}, json{{"propagationPolicy", 1}}}) {
    const auto r = ParseDeleteOptions(&body, {});
    ASSERT_TRUE(r.error) << body.dump();
    EXPECT_EQ((*r.error)["code"], 400) << body.dump();
    EXPECT_EQ((*r.error)["kind"], "Status");
  }
  EXPECT_EQ((*ParseDeleteOptions(nullptr, Query({{"gracePeriodSeconds", "x"}})).error)["code"], 400);
  EXPECT_EQ((*ParseDeleteOptions(nullptr, Query({{"orphanDependents", "maybe"}})).error)["code"], 400);
  const json nulls = {{"dryRun", nullptr}, {"preconditions", nullptr}, {"kind", nullptr}};
  EXPECT_FALSE(ParseDeleteOptions(&nulls, {}).error);
}

TEST(K8sDeleteOptions, PreconditionsInKubeApiserversWords) {
  const json object = {{"metadata", {{"uid", "u-1"}, {"resourceVersion", "7"}}}};
  EXPECT_FALSE(PreconditionFailure({}, object));
  EXPECT_FALSE(PreconditionFailure({"u-1", "7"}, object));
  EXPECT_EQ(PreconditionFailure({"u-2", std::nullopt}, object),
            "Precondition failed: UID in precondition: u-2, UID in object meta: u-1");
  EXPECT_EQ(PreconditionFailure({std::nullopt, "6"}, object),
            "Precondition failed: ResourceVersion in precondition: 6, ResourceVersion in meta: 7");
}

TEST(K8sWatchTimeout, NonNegativeIntegersOnly) {
  EXPECT_FALSE(ParseWatchTimeout({}).seconds);
  EXPECT_FALSE(ParseWatchTimeout({}).error);
  EXPECT_FALSE(ParseWatchTimeout(Query({{"timeoutSeconds", "0"}})).seconds);  // the server's default
  EXPECT_EQ(ParseWatchTimeout(Query({{"timeoutSeconds", "30"}})).seconds, 30u);
  for (const char* bad : {"abc", "-1", "1.5", "", " 5", "5s", "99999999999999999999"}) {
    const auto r = ParseWatchTimeout(Query({{"timeoutSeconds", bad}}));
    ASSERT_TRUE(r.error) << bad;
    EXPECT_EQ((*r.error)["code"], 400) << bad;
    EXPECT_FALSE(r.seconds);
  }
  EXPECT_EQ((*ParseWatchTimeout(Query({{"timeoutSeconds", "abc"}})).error)["message"],
            "timeoutSeconds must be a non-negative integer, got \"abc\"");
}

TEST(K8sRequestedVersion, AbsentEmptyOrZeroIsAnyVersion) {
  EXPECT_EQ(ParseRequestedVersion({}).rv, 0u);
  EXPECT_EQ(ParseRequestedVersion(Query({{"resourceVersion", ""}})).rv, 0u);
  EXPECT_EQ(ParseRequestedVersion(Query({{"resourceVersion", "0"}})).rv, 0u);
  EXPECT_EQ(ParseRequestedVersion(Query({{"resourceVersion", "42"}})).rv, 42u);
  const auto bad = ParseRequestedVersion(Query({{"resourceVersion", "x1"}}));
  ASSERT_TRUE(bad.error);
  EXPECT_EQ((*bad.error)["code"], 400);
}

TEST(K8sListPage, LimitAndContinueOrA400NamingWhatIsWrong) {
  const auto page = ParseListPage(Query({{"limit", "500"}, {"continue", "prod/mig-a"}}));
  ASSERT_FALSE(page.error);
  EXPECT_EQ(page.limit, 500u);
  ASSERT_TRUE(page.after);
  EXPECT_EQ(*page.after, std::make_pair(std::string("prod"), std::string("mig-a")));
  EXPECT_EQ(ParseListPage(Query({})).limit, 0u) << "no limit: every item";
  EXPECT_FALSE(ParseListPage(Query({})).after);
  for (const char* bad : {"-1", "abc", "5x", "1e3"}) {
    const auto r = ParseListPage(Query({{"limit", bad}}));
    ASSERT_TRUE(r.error) << bad;
    EXPECT_EQ((*r.error)["code"], 400);
    EXPECT_NE((*r.error)["message"].get<std::string>().find("limit must be a non-negative integer"), std::string::npos);
  }
  const auto token = ParseListPage(Query({{"continue", "no-slash"}}));
  ASSERT_TRUE(token.error);
  EXPECT_NE((*token.error)["message"].get<std::string>().find("invalid continue token"), std::string::npos);
}

TEST(K8sPruneNulls, NullNameWithGenerateNameBecomesAGeneratedName) {
  json obj = json::parse(R"({"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstanceMigration",
      "metadata":{"name":null,"generateName":"m-","labels":null},"spec":{"vmiName":"v","priority":null},
      "status":null})");
  PruneNulls(obj);
  EXPECT_EQ(obj["metadata"], (json{{"generateName", "m-"}}));
  EXPECT_EQ(obj["spec"], (json{{"vmiName", "v"}}));
  EXPECT_FALSE(obj.contains("status"));
  EXPECT_FALSE(ValidateMigration(obj, "default", true).error);
  json not_object = json::array({nullptr});
  PruneNulls(not_object);
  EXPECT_EQ(not_object, json::array({nullptr}));
}

}  // namespace
}  // namespace migmon::api::k8s
