// The lifecycle stage's typed errors as Kubernetes Status objects
// (api/error_status.h): the code and reason from the kind, the message the
// stage gave, never a generic one in its place.
#include "api/error_status.h"

#include <gtest/gtest.h>

namespace migmon::api {
namespace {

using migrations::Error;
using migrations::ErrorCode;

TEST(ErrorStatus, DeleteCarriesTheStagesMessage) {
  auto s = DeleteErrorStatus({ErrorCode::kNotFound, "the store lost \"m1\""}, "m1");
  EXPECT_EQ(s["code"], 404);
  EXPECT_EQ(s["reason"], "NotFound");
  EXPECT_EQ(s["message"], "the store lost \"m1\"");
  EXPECT_EQ(s["details"]["name"], "m1");
  s = DeleteErrorStatus({ErrorCode::kConflict, "Precondition failed: UID in precondition: x, UID in object meta: y"},
                        "m1");
  EXPECT_EQ(s["code"], 409);
  EXPECT_EQ(s["reason"], "Conflict");
  EXPECT_NE(s["message"].get<std::string>().find("Precondition failed: UID in precondition: x"), std::string::npos);
  s = DeleteErrorStatus({ErrorCode::kStoreFailed, "database or disk is full"}, "m1");
  EXPECT_EQ(s["code"], 500);
  EXPECT_NE(s["message"].get<std::string>().find("database or disk is full"), std::string::npos);
}

TEST(ErrorStatus, CreateMapsEachKind) {
  auto s = CreateErrorStatus({ErrorCode::kNotFound, "virtualmachineinstances.kubevirt.io \"web\" not found"}, "m1", "web");
  EXPECT_EQ(s["code"], 404);
  EXPECT_EQ(s["details"]["kind"], "virtualmachineinstances");
  EXPECT_EQ(s["message"], "virtualmachineinstances.kubevirt.io \"web\" not found");
  s = CreateErrorStatus({ErrorCode::kAlreadyExists, "virtualmachineinstancemigrations.kubevirt.io \"m1\" already exists"},
                        "m1", "web");
  EXPECT_EQ(s["code"], 409);
  EXPECT_EQ(s["reason"], "AlreadyExists");
  EXPECT_EQ(s["message"], "virtualmachineinstancemigrations.kubevirt.io \"m1\" already exists");
  s = CreateErrorStatus({ErrorCode::kInvalid, "VMI web has an active migration already: m0"}, "m1", "web");
  EXPECT_EQ(s["code"], 422);
  EXPECT_NE(s["message"].get<std::string>().find("VMI web has an active migration already: m0"), std::string::npos);
  s = CreateErrorStatus({ErrorCode::kUnavailable, "node-1 is not connected"}, "m1", "web");
  EXPECT_EQ(s["code"], 503);
  EXPECT_EQ(s["message"], "node-1 is not connected");
}

}  // namespace
}  // namespace migmon::api
