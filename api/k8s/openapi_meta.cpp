// The apimachinery meta/v1 schemas the kubevirt.io/v1 document refers to:
// object and list metadata, and the Status body of error answers.
#include <string>

#include "api/k8s/openapi_builders.h"

namespace migmon::api::k8s::detail {

namespace {

std::string Meta(std::string_view name) { return std::string(kMetaPrefix) + std::string(name); }

nlohmann::json ObjectMeta() {
  return ObjectSchema(
      "Metadata every persisted object carries: its identity, labels and annotations, and the "
      "server-maintained bookkeeping fields.",
      {
          {"annotations", StringMapField("Free-form key/value data kept with the object; not usable in selectors.")},
          {"creationTimestamp", TimeField("When the server stored the object. Set by the server; read-only.")},
          {"deletionGracePeriodSeconds",
           IntegerField("Seconds the object is given to terminate once deletion was requested. Read-only.")},
          {"deletionTimestamp", TimeField("When deletion was requested. Set by the server; read-only.")},
          {"finalizers", ArrayField({{"type", "string"}, {"default", ""}},
                                    "Names of cleanups that must finish before the object is removed.")},
          {"generateName", StringField("Prefix from which the server makes a unique name when `name` is empty.")},
          {"generation", IntegerField("Sequence number of the desired state. Set by the server; read-only.")},
          {"labels", StringMapField("Key/value pairs used to select and group objects.")},
          {"managedFields", ArrayField(Ref(Meta("ManagedFieldsEntry")),
                                       "Which client manages which fields; kept by the server for server-side apply.")},
          {"name", StringField("Name of the object, unique within its namespace; cannot be changed.")},
          {"namespace", StringField("Namespace the object lives in.")},
          {"ownerReferences", ArrayField(Ref(Meta("OwnerReference")), "Objects this one depends on.")},
          {"resourceVersion",
           StringField("Opaque version of the object, changed on every write; used for watches and concurrency.")},
          {"selfLink", StringField("Deprecated and never set.")},
          {"uid", StringField("Unique identity of this object across time. Set by the server; read-only.")},
      });
}

nlohmann::json ListMeta() {
  return ObjectSchema("Metadata of a list answer.",
                      {
                          {"continue", StringField("Token that fetches the next page when limit cut the list.")},
                          {"remainingItemCount", IntegerField("How many items the next pages hold, when known.")},
                          {"resourceVersion", StringField("Version of the collection, from which a watch can start.")},
                          {"selfLink", StringField("Deprecated and never set.")},
                      });
}

nlohmann::json OwnerReference() {
  nlohmann::json schema = ObjectSchema(
      "Names an object that owns this one; the owned object is removed with its owner.",
      {
          {"apiVersion", StringField("API version of the owner.")},
          {"blockOwnerDeletion", BoolField("Whether the owner's foreground deletion waits for this object.")},
          {"controller", BoolField("Whether the owner is the managing controller.")},
          {"kind", StringField("Kind of the owner.")},
          {"name", StringField("Name of the owner.")},
          {"uid", StringField("UID of the owner.")},
      },
      {"apiVersion", "kind", "name", "uid"});
  schema["x-kubernetes-map-type"] = "atomic";
  return schema;
}

nlohmann::json ManagedFieldsEntry() {
  return ObjectSchema("One manager's set of fields, as tracked by server-side apply.",
                      {
                          {"apiVersion", StringField("Version of the object the field set refers to.")},
                          {"fieldsType", StringField("Format of fieldsV1; always \"FieldsV1\".")},
                          {"fieldsV1", RefField(Meta("FieldsV1"), "The fields, as a trie of field names.")},
                          {"manager", StringField("Name of the client that manages these fields.")},
                          {"operation", StringField("Apply or Update.")},
                          {"subresource", StringField("Subresource through which the fields were written.")},
                          {"time", TimeField("When the fields last changed.")},
                      });
}

nlohmann::json Status() {
  return ObjectSchema(
      "The outcome of a call that returns no object: the body of every error answer.",
      {
          {"apiVersion", StringField("Always \"v1\".")},
          {"code", IntegerField("The HTTP status code of the answer.", "int32")},
          {"details", RefField(Meta("StatusDetails"), "Which object and fields the outcome concerns.")},
          {"kind", StringField("Always \"Status\".")},
          {"message", StringField("Human-readable explanation.")},
          {"metadata", RefField(Meta("ListMeta"), "Always empty.")},
          {"reason", StringField("Machine-readable reason, e.g. NotFound, AlreadyExists, Invalid.")},
          {"status", StringField("Success or Failure.")},
      });
}

nlohmann::json StatusDetails() {
  return ObjectSchema("The object and fields a Status concerns.",
                      {
                          {"causes", ArrayField(Ref(Meta("StatusCause")), "One entry per failing field.")},
                          {"group", StringField("API group of the object.")},
                          {"kind", StringField("Kind or resource of the object.")},
                          {"name", StringField("Name of the object.")},
                          {"retryAfterSeconds", IntegerField("Seconds to wait before retrying.", "int32")},
                          {"uid", StringField("UID of the object.")},
                      });
}

nlohmann::json StatusCause() {
  return ObjectSchema("One reason a request failed, tied to a field when it is about one.",
                      {
                          {"field", StringField("JSON path of the field, e.g. spec.vmiName.")},
                          {"message", StringField("Human-readable explanation.")},
                          {"reason", StringField("Machine-readable cause, e.g. FieldValueRequired.")},
                      });
}

}  // namespace

nlohmann::json MetaSchemas() {
  return {
      {Meta("FieldsV1"), {{"type", "object"}, {"description", "A set of field paths, encoded as a JSON trie."}}},
      {Meta("ListMeta"), ListMeta()},
      {Meta("ManagedFieldsEntry"), ManagedFieldsEntry()},
      {Meta("ObjectMeta"), ObjectMeta()},
      {Meta("OwnerReference"), OwnerReference()},
      {Meta("Status"), Status()},
      {Meta("StatusCause"), StatusCause()},
      {Meta("StatusDetails"), StatusDetails()},
      {Meta("Time"),
       {{"type", "string"}, {"format", "date-time"}, {"description", "An RFC 3339 timestamp in UTC, to the second."}}},
  };
}

}  // namespace migmon::api::k8s::detail
