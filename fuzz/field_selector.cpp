// ?fieldSelector= of list and watch requests: parsing (with Kubernetes'
// backslash escapes), then matching. Bad text must come back as
// std::invalid_argument only.
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_text.h"
#include "store/selectors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  migmon::store::FieldSelector selector;
  try {
    selector = migmon::store::FieldSelector::Parse(migmon::fuzz::AsText(data, size));
  } catch (const std::invalid_argument&) {
    return 0;
  }
  (void)selector.Matches(nlohmann::json{{"metadata", {{"name", "m"}, {"namespace", "default"}}}});
  (void)selector.Matches("", "");
  return 0;
}
