// The errors the lifecycle stage answers with: a kind the HTTP layer maps to
// a status code and a Kubernetes StatusReason, and the message to show.
// Plain values.
#pragma once

#include <string>

namespace migmon::migrations {

enum class ErrorCode {
  kNotFound,       // no such migration object (DELETE), or no such VMI (create)
  kAlreadyExists,  // the name is taken
  kInvalid,        // the request cannot be carried out (the VMI migrates already, no target matches)
  kUnavailable,    // cannot be answered now (a node is down or not listed yet): try again
  kConflict,       // a precondition failed
  kBadRequest,     // the store refused the object itself
  kStoreFailed,    // the store could not carry out the write
};

struct Error {
  ErrorCode code = ErrorCode::kStoreFailed;
  std::string message;  // complete, in kube-apiserver's words where it has them
};

}  // namespace migmon::migrations
