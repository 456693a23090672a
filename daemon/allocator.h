// glibc's allocator, kept small for a long-running daemon whose threads
// mostly wait.
//
// TuneAllocator caps the arenas and the mmap threshold (see allocator.cpp).
// HeapTrimmer hands freed heap pages back to the kernel: a list of 10,000
// objects or VMIs builds megabytes that are freed at once, and glibc keeps
// free pages that sit between live blocks resident until malloc_trim.
// Measured with 10,000 stored objects after the bench's lists: 81 MB of RSS
// before a trim, 62 MB after.
//
// Thread-safety: TuneAllocator once, before other threads start. HeapTrimmer
// runs its own thread; construct and destroy it from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace migmon::app {

void TuneAllocator();

// Whether to trim now, given the allocator's free bytes. A trim does not
// lower that count (the pages go, the free blocks stay), so the policy
// trims when it grew by `grow` bytes since the last trim, and follows it
// down as free blocks are reused: memory freed once is trimmed once, not at
// every check. Pure.
struct TrimPolicy {
  size_t grow = 4 << 20;
  size_t baseline = 0;  // free bytes after the last trim, or their lowest since
  bool Due(size_t free_bytes);
};

class HeapTrimmer {
 public:
  explicit HeapTrimmer(std::chrono::milliseconds every = std::chrono::seconds(2));
  ~HeapTrimmer();
  HeapTrimmer(const HeapTrimmer&) = delete;
  HeapTrimmer& operator=(const HeapTrimmer&) = delete;

 private:
  void Run(std::chrono::milliseconds every);

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace migmon::app
