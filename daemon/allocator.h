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

// Whether to trim now, given the process's resident bytes: when they grew
// by `grow` bytes since the last trim (or their lowest since), so a large
// answer built and freed is trimmed once, and a process whose size does not
// change is never trimmed. The caller sets `baseline` to the size after a
// trim. Pure.
struct TrimPolicy {
  size_t grow = 4 << 20;
  size_t baseline = 0;  // resident bytes after the last trim, or their lowest since
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
