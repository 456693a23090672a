// A migration object kept as its JSON text. A queued object is about 0.8 KB
// as text and about five times that as a json tree, and the stage holds
// every stored object: the loop parses one only to answer or change it.
// What every plan reads (the Scheduled condition's reason and message) is
// kept beside the text, read once when the text is set.
// A plain value; not thread-safe (the Controller guards it).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace migmon::migrations {

class ObjectText {
 public:
  ObjectText() = default;
  ObjectText(const nlohmann::json& object) { Set(object); }  // NOLINT: an object is its text
  ObjectText& operator=(const nlohmann::json& object) {
    Set(object);
    return *this;
  }

  nlohmann::json Json() const;
  const std::string& text() const { return text_; }
  // The object's Scheduled condition says `reason` and `message`.
  bool Waits(const std::string& reason, const std::string& message) const {
    return has_wait_ && wait_reason_ == reason && wait_message_ == message;
  }
  bool HasWait() const { return has_wait_; }

 private:
  void Set(const nlohmann::json& object);

  std::string text_;
  bool has_wait_ = false;
  std::string wait_reason_;
  std::string wait_message_;
};

}  // namespace migmon::migrations
