// Fuzz target: the application/x-www-form-urlencoded parser. A successful parse must return
// UTF-8 names and values within the limits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/text.h"
#include "web/form_urlencoded.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  kakehashi::web::FormLimits limits;
  limits.max_fields = 16;
  limits.max_name_bytes = 16;
  limits.max_value_bytes = 64;
  auto form = kakehashi::web::parse_form_urlencoded(body, limits);
  if (form) {
    if (form->size() > limits.max_fields) __builtin_trap();
    for (const auto& field : form->fields()) {
      if (field.name.size() > limits.max_name_bytes || field.value.size() > limits.max_value_bytes) {
        __builtin_trap();
      }
      if (!kakehashi::text::is_valid_utf8(field.name) || !kakehashi::text::is_valid_utf8(field.value)) {
        __builtin_trap();
      }
      if (form->find(field.name) == nullptr) __builtin_trap();
    }
  }
  auto decoded = kakehashi::web::percent_decode(body, false);
  if (decoded && decoded->size() > body.size()) __builtin_trap();
  return 0;
}
