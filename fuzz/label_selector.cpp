// ?labelSelector= of list and watch requests: parsing, then matching against
// an object. Bad text must come back as std::invalid_argument only.
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_text.h"
#include "store/selectors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  migmon::store::LabelSelector selector;
  try {
    selector = migmon::store::LabelSelector::Parse(migmon::fuzz::AsText(data, size));
  } catch (const std::invalid_argument&) {
    return 0;
  }
  static const nlohmann::json kObject = {
      {"metadata", {{"name", "m"}, {"labels", {{"app", "web"}, {"tier", ""}, {"example.com/zone", "a"}}}}}};
  (void)selector.Matches(kObject);
  (void)selector.Matches(nlohmann::json::object());
  return 0;
}
