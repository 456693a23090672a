// Move-only owners of what libvirt hands out: connections, domains, typed
// parameters and malloc'ed buffers. Private to hypervisor/ .cpp files (it
// includes libvirt); everything the folder hands out is converted to plain
// values first.
#pragma once

#include <libvirt/libvirt.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace migmon::hv {

struct ConnectCloser {
  void operator()(virConnectPtr c) const noexcept { virConnectClose(c); }
};
struct DomainFreer {
  void operator()(virDomainPtr d) const noexcept { virDomainFree(d); }
};

struct MallocFreer {
  void operator()(void* p) const noexcept { std::free(p); }
};

using ConnectionHandle = std::unique_ptr<virConnect, ConnectCloser>;
using DomainHandle = std::unique_ptr<virDomain, DomainFreer>;
// A buffer libvirt malloc'ed for us: a string (virDomainGetXMLDesc) or an array.
template <typename T>
using Malloced = std::unique_ptr<T, MallocFreer>;

// Owns a typed-parameter array filled by libvirt (virDomainGetJobStats,
// events) or built here (Add*) for a call such as virDomainMigrateToURI3.
class TypedParams {
 public:
  TypedParams() = default;
  TypedParams(const TypedParams&) = delete;
  TypedParams& operator=(const TypedParams&) = delete;
  TypedParams(TypedParams&& other) noexcept : params_(other.params_), count_(other.count_), max_(other.max_) {
    other.params_ = nullptr;
    other.count_ = 0;
    other.max_ = 0;
  }
  TypedParams& operator=(TypedParams&& other) noexcept {
    if (this != &other) {
      Reset();
      params_ = other.params_;
      count_ = other.count_;
      max_ = other.max_;
      other.params_ = nullptr;
      other.count_ = 0;
      other.max_ = 0;
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

  // Appends a parameter; false (libvirt's error set) when that failed.
  bool AddString(const char* name, const std::string& value) {
    return virTypedParamsAddString(&params_, &count_, &max_, name, value.c_str()) == 0;
  }
  bool AddULLong(const char* name, unsigned long long value) {
    return virTypedParamsAddULLong(&params_, &count_, &max_, name, value) == 0;
  }

  virTypedParameterPtr get() const { return params_; }
  int count() const { return count_; }

 private:
  void Reset() {
    if (params_) virTypedParamsFree(params_, count_);
    params_ = nullptr;
    count_ = 0;
    max_ = 0;
  }
  virTypedParameterPtr params_ = nullptr;
  int count_ = 0;
  int max_ = 0;  // allocated slots, for Add*
};

}  // namespace migmon::hv
