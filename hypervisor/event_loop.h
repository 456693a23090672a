// libvirt's default event loop, run on a thread of its own. Domain events and
// keepalive only work while it runs. Create one before opening any connection.
//
// Thread-safety: constructed and destroyed on one thread; the loop itself runs
// on its own thread, where libvirt invokes every registered callback.
#pragma once

#include <atomic>
#include <thread>

namespace migmon::hv {

class EventLoop {
 public:
  EventLoop();  // registers the default implementation (once per process) and starts the thread
  ~EventLoop();  // stops the thread
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

 private:
  void Run();
  std::atomic<bool> running_{true};
  std::thread thread_;
};

}  // namespace migmon::hv
