#include "hypervisor/event_loop.h"

#include <libvirt/libvirt.h>

#include <mutex>

#include "hypervisor/errors.h"
#include "util/log.h"

namespace migmon::hv {
namespace {

std::once_flag g_register_once;

void RemoveSelf(int timer, void*) { virEventRemoveTimeout(timer); }

}  // namespace

EventLoop::EventLoop() {
  std::call_once(g_register_once, [] {
    SilenceLibvirtErrorPrinting();
    if (virEventRegisterDefaultImpl() < 0) {
      log::Error("cannot register libvirt event loop", {{"error", LastLibvirtError()}});
    }
  });
  thread_ = std::thread([this] { Run(); });
}

EventLoop::~EventLoop() {
  running_ = false;
  // virEventRunDefaultImpl blocks until something happens: a zero timeout
  // makes it return so the thread sees running_ == false.
  virEventAddTimeout(0, RemoveSelf, nullptr, nullptr);
  if (thread_.joinable()) thread_.join();
}

void EventLoop::Run() {
  while (running_) {
    if (virEventRunDefaultImpl() < 0) {
      log::Warn("libvirt event loop iteration failed", {{"error", LastLibvirtError()}});
    }
  }
}

}  // namespace migmon::hv
