#include "hypervisor/errors.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

namespace migmon::hv {
namespace {
void IgnoreError(void*, virErrorPtr) {}
}  // namespace

void SilenceLibvirtErrorPrinting() { virSetErrorFunc(nullptr, IgnoreError); }

std::string LastLibvirtError() {
  const virErrorPtr err = virGetLastError();
  if (err == nullptr || err->message == nullptr) return "unknown libvirt error";
  return err->message;
}

bool LastErrorIsNoDomain() {
  const virErrorPtr err = virGetLastError();
  return err != nullptr && err->code == VIR_ERR_NO_DOMAIN;
}

bool LastErrorIsNoSupport() {
  const virErrorPtr err = virGetLastError();
  return err != nullptr && err->code == VIR_ERR_NO_SUPPORT;
}

}  // namespace migmon::hv
