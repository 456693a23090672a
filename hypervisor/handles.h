// Move-only owners of libvirt handles. This folder is the only one that sees
// libvirt types; everything it hands out is converted to plain values first.
#pragma once

#include <libvirt/libvirt.h>

#include <memory>

namespace migmon::hv {

struct ConnectCloser {
  void operator()(virConnectPtr c) const noexcept { virConnectClose(c); }
};
struct DomainFreer {
  void operator()(virDomainPtr d) const noexcept { virDomainFree(d); }
};

using ConnectionHandle = std::unique_ptr<virConnect, ConnectCloser>;
using DomainHandle = std::unique_ptr<virDomain, DomainFreer>;

// Owns a typed-parameter array filled by libvirt (virDomainGetJobStats, events).
class TypedParams {
 public:
  TypedParams() = default;
  TypedParams(const TypedParams&) = delete;
  TypedParams& operator=(const TypedParams&) = delete;
  TypedParams(TypedParams&& other) noexcept : params_(other.params_), count_(other.count_) {
    other.params_ = nullptr;
    other.count_ = 0;
  }
  TypedParams& operator=(TypedParams&& other) noexcept {
    if (this != &other) {
      Reset();
      params_ = other.params_;
      count_ = other.count_;
      other.params_ = nullptr;
      other.count_ = 0;
    }
    return *this;
  }
  ~TypedParams() { Reset(); }

  // Out-parameters for the libvirt call that fills this array.
  virTypedParameterPtr* out_params() {
    Reset();
    return &params_;
  }
  int* out_count() { return &count_; }

  virTypedParameterPtr get() const { return params_; }
  int count() const { return count_; }

 private:
  void Reset() {
    if (params_) virTypedParamsFree(params_, count_);
    params_ = nullptr;
    count_ = 0;
  }
  virTypedParameterPtr params_ = nullptr;
  int count_ = 0;
};

}  // namespace migmon::hv
