#include "store/names.h"

#include <ctime>
#include <random>

namespace migmon::store {
namespace {

// One engine per thread: no lock, and seeded from the OS so two processes
// (or a restarted one) never draw the same UIDs.
std::mt19937_64& Engine() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return engine;
}

constexpr std::string_view kNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
constexpr size_t kMaxNameLength = 63;
constexpr size_t kRandomSuffixLength = 5;

}  // namespace

std::string GenerateName(std::string_view prefix) {
  std::string name(prefix.substr(0, kMaxNameLength - kRandomSuffixLength));
  std::uniform_int_distribution<size_t> pick(0, kNameAlphabet.size() - 1);
  for (size_t i = 0; i < kRandomSuffixLength; ++i) name += kNameAlphabet[pick(Engine())];
  return name;
}

std::string NewUid() {
  std::uniform_int_distribution<unsigned> byte(0, 255);
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(byte(Engine()));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0f];
  }
  return out;
}


}  // namespace migmon::store
