#include "migrations/object_text.h"

#include "migrations/object_status.h"

namespace migmon::migrations {

void ObjectText::Set(const nlohmann::json& object) {
  text_ = object.is_null() ? std::string() : object.dump();
  text_.shrink_to_fit();
  const nlohmann::json* wait = object.is_object() ? WaitCondition(object) : nullptr;
  has_wait_ = wait != nullptr;
  wait_reason_ = wait ? wait->value("reason", "") : "";
  wait_message_ = wait ? wait->value("message", "") : "";
}

nlohmann::json ObjectText::Json() const {
  return text_.empty() ? nlohmann::json() : nlohmann::json::parse(text_);
}

}  // namespace migmon::migrations
