#include "api/k8s/status.h"

#include <gtest/gtest.h>

namespace migmon::api::k8s {
namespace {

void ExpectEnvelope(const nlohmann::json& s, int code, const char* reason) {
  EXPECT_EQ(s["kind"], "Status");
  EXPECT_EQ(s["apiVersion"], "v1");
  EXPECT_EQ(s["metadata"], nlohmann::json::object());
  EXPECT_EQ(s["status"], code < 300 ? "Success" : "Failure");
  EXPECT_EQ(s["code"], code);
  if (*reason != '\0') {
    EXPECT_EQ(s["reason"], reason);
  }
}

TEST(K8sStatus, MakeStatusOmitsEmptyPartsAndMarks2xxAsSuccess) {
  nlohmann::json ok = MakeStatus(200, "", "");
  ExpectEnvelope(ok, 200, "");
  EXPECT_FALSE(ok.contains("message"));
  EXPECT_FALSE(ok.contains("reason"));
  EXPECT_FALSE(ok.contains("details"));
  nlohmann::json bad = MakeStatus(400, "BadRequest", "nope", {{"name", "x"}});
  ExpectEnvelope(bad, 400, "BadRequest");
  EXPECT_EQ(bad["message"], "nope");
  EXPECT_EQ(bad["details"]["name"], "x");
}

TEST(K8sStatus, NotFoundNamesThePluralResourceAndGroup) {
  nlohmann::json s = NotFound(kMigrationPlural, "x");
  ExpectEnvelope(s, 404, "NotFound");
  EXPECT_EQ(s["message"], "virtualmachineinstancemigrations.kubevirt.io \"x\" not found");
  EXPECT_EQ(s["details"], (nlohmann::json{{"name", "x"}, {"group", "kubevirt.io"}, {"kind", kMigrationPlural}}));
}

TEST(K8sStatus, AlreadyExistsAndConflict) {
  nlohmann::json s = AlreadyExists(kMigrationPlural, "m1");
  ExpectEnvelope(s, 409, "AlreadyExists");
  EXPECT_EQ(s["message"], "virtualmachineinstancemigrations.kubevirt.io \"m1\" already exists");
  nlohmann::json c = Conflict(kMigrationPlural, "m1", "the object has been modified");
  ExpectEnvelope(c, 409, "Conflict");
  EXPECT_EQ(c["message"],
            "Operation cannot be fulfilled on virtualmachineinstancemigrations.kubevirt.io \"m1\": the object has "
            "been modified");
}

TEST(K8sStatus, InvalidWithOneCauseReadsBare) {
  nlohmann::json s = Invalid(kMigrationKind, "m1", {RequiredCause("spec.vmiName")});
  ExpectEnvelope(s, 422, "Invalid");
  EXPECT_EQ(s["message"],
            "VirtualMachineInstanceMigration.kubevirt.io \"m1\" is invalid: spec.vmiName: Required value");
  EXPECT_EQ(s["details"]["kind"], "VirtualMachineInstanceMigration");
  EXPECT_EQ(s["details"]["group"], "kubevirt.io");
  EXPECT_EQ(s["details"]["name"], "m1");
  ASSERT_EQ(s["details"]["causes"].size(), 1u);
  EXPECT_EQ(s["details"]["causes"][0],
            (nlohmann::json{
                {"reason", "FieldValueRequired"}, {"message", "Required value"}, {"field", "spec.vmiName"}}));
}

TEST(K8sStatus, InvalidWithSeveralCausesListsThemInBrackets) {
  nlohmann::json s = Invalid(kMigrationKind, "m1",
                             {RequiredCause("spec.vmiName"), NotSupportedCause("spec.priority", "high", {"a", "b"})});
  EXPECT_EQ(s["message"],
            "VirtualMachineInstanceMigration.kubevirt.io \"m1\" is invalid: [spec.vmiName: Required value, "
            "spec.priority: Unsupported value: \"high\": supported values: \"a\", \"b\"]");
  EXPECT_EQ(s["details"]["causes"][1]["reason"], "FieldValueNotSupported");
}

TEST(K8sStatus, CauseWordings) {
  EXPECT_EQ(RequiredCause("metadata.name", "name or generateName is required").message,
            "Required value: name or generateName is required");
  Cause invalid = InvalidCause("metadata.name", "A\"b", "bad");
  EXPECT_EQ(invalid.reason, "FieldValueInvalid");
  EXPECT_EQ(invalid.message, "Invalid value: \"A\\\"b\": bad");
  Cause type = TypeInvalidCause("spec.vmiName", "integer", "string");
  EXPECT_EQ(type.reason, "FieldValueTypeInvalid");
  EXPECT_EQ(type.message, "Invalid value: \"integer\": spec.vmiName in body must be of type string: \"integer\"");
  Cause long_cause = TooLongCause("metadata.annotations", 262144);
  EXPECT_EQ(long_cause.reason, "FieldValueTooLong");
  EXPECT_EQ(long_cause.message, "Too long: must have at most 262144 bytes");
  EXPECT_EQ(CauseText(invalid), "metadata.name: Invalid value: \"A\\\"b\": bad");
}

TEST(K8sStatus, GoQuoteEscapesLikePercentQ) {
  EXPECT_EQ(GoQuote("plain"), "\"plain\"");
  EXPECT_EQ(GoQuote("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\x01\"");
  EXPECT_EQ(GoQuote("é"), "\"é\"");
}

TEST(K8sStatus, EveryHelperHasItsCodeAndReason) {
  ExpectEnvelope(BadRequest("x"), 400, "BadRequest");
  ExpectEnvelope(Unauthorized(), 401, "Unauthorized");
  EXPECT_EQ(Unauthorized()["message"], "Unauthorized");
  ExpectEnvelope(Forbidden(kMigrationPlural, "m", "no"), 403, "Forbidden");
  ExpectEnvelope(UnknownPath(), 404, "NotFound");
  EXPECT_EQ(UnknownPath()["message"], "the server could not find the requested resource");
  ExpectEnvelope(Expired("too old resource version: 1 (5)"), 410, "Expired");
  ExpectEnvelope(RequestEntityTooLarge(3145728), 413, "RequestEntityTooLarge");
  EXPECT_EQ(RequestEntityTooLarge(3145728)["message"], "Request entity too large: limit is 3145728");
  ExpectEnvelope(UnsupportedMediaType("text/plain"), 415, "UnsupportedMediaType");
  nlohmann::json busy = TooManyRequests("too many requests, please try again later", 7);
  ExpectEnvelope(busy, 429, "TooManyRequests");
  EXPECT_EQ(busy["details"]["retryAfterSeconds"], 7);
  nlohmann::json internal = InternalError("store unavailable");
  ExpectEnvelope(internal, 500, "InternalError");
  EXPECT_EQ(internal["message"], "Internal error occurred: store unavailable");
  EXPECT_EQ(internal["details"]["causes"][0]["message"], "store unavailable");
}

TEST(K8sStatus, MethodNotAllowedNamesVerbAndResource) {
  nlohmann::json s = MethodNotAllowed("patch", kMigrationPlural);
  ExpectEnvelope(s, 405, "MethodNotAllowed");
  EXPECT_EQ(s["message"],
            "patch is not supported on resources of kind \"virtualmachineinstancemigrations.kubevirt.io\"");
  EXPECT_EQ(s["details"]["kind"], kMigrationPlural);
  EXPECT_FALSE(s["details"].contains("name"));
}

TEST(K8sStatus, DeleteSuccessCarriesTheDeletedObjectsIdentity) {
  nlohmann::json s = DeleteSuccess(kMigrationPlural, "m1", "uid-1");
  ExpectEnvelope(s, 200, "");
  EXPECT_EQ(s["details"],
            (nlohmann::json{{"name", "m1"}, {"group", "kubevirt.io"}, {"kind", kMigrationPlural}, {"uid", "uid-1"}}));
}

TEST(K8sStatus, ServiceUnavailableAndTooLargeResourceVersion) {
  nlohmann::json s = ServiceUnavailable("node node-2 is not connected");
  ExpectEnvelope(s, 503, "ServiceUnavailable");
  EXPECT_EQ(s["message"], "node node-2 is not connected");
  nlohmann::json t = ResourceVersionTooLarge(99, 12, 1);
  ExpectEnvelope(t, 504, "Timeout");
  EXPECT_EQ(t["message"], "Timeout: Too large resource version: 99, current: 12");
  EXPECT_EQ(t["details"]["retryAfterSeconds"], 1);
  EXPECT_EQ(t["details"]["causes"][0]["reason"], "ResourceVersionTooLarge");
}

}  // namespace
}  // namespace migmon::api::k8s
