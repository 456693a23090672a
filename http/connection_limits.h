// Counts open connections in total and per client address, and refuses one
// over either bound. A slot is held by a ConnectionSlot and given back when
// it is destroyed.
//
// Thread-safety: all members are safe to call from any thread; a slot may be
// released on a thread other than the one that took it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace migmon::http {

class ConnectionLimits;

class ConnectionSlot {
 public:
  ConnectionSlot(std::shared_ptr<ConnectionLimits> limits, std::string address);
  ~ConnectionSlot();
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::shared_ptr<ConnectionLimits> limits_;
  std::string address_;
};

class ConnectionLimits : public std::enable_shared_from_this<ConnectionLimits> {
 public:
  enum class Refusal { kTotal, kPerAddress };

  ConnectionLimits(uint32_t max_total, uint32_t max_per_address);

  // A slot for a connection from `address`, or why there is none.
  struct Admission {
    std::unique_ptr<ConnectionSlot> slot;
    std::optional<Refusal> refused;
  };
  Admission Admit(const std::string& address);

  uint32_t Open() const;
  uint32_t OpenFrom(const std::string& address) const;

 private:
  friend class ConnectionSlot;
  void Release(const std::string& address);

  const uint32_t max_total_;
  const uint32_t max_per_address_;
  mutable std::mutex mutex_;
  uint32_t total_ = 0;
  std::map<std::string, uint32_t> per_address_;
};

}  // namespace migmon::http
