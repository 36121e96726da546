// application/x-www-form-urlencoded bodies (WHATWG URL standard, "urlencoded parser") decoded
// into an ordered list of UTF-8 name/value pairs, with limits so a hostile body cannot make the
// server allocate without bound.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace kakehashi::web {

// Bounds applied while decoding one form body. The defaults suit every form of the product;
// a route that needs more passes its own.
struct FormLimits {
  // The whole encoded body, in bytes (checked before anything is decoded).
  size_t max_body_bytes = 1024 * 1024;
  // Name/value pairs; a page with more inputs than this is a bug or an attack.
  size_t max_fields = 1000;
  // One decoded field name, in bytes.
  size_t max_name_bytes = 256;
  // One decoded value, in bytes (a long free-text answer is ~10,000 characters of Japanese).
  size_t max_value_bytes = 256 * 1024;
};

struct FormField {
  std::string name;
  std::string value;
  bool operator==(const FormField&) const = default;
};

// An ordered multimap: fields keep the order of the body, names may repeat (check boxes).
class FormFields {
 public:
  FormFields() = default;
  explicit FormFields(std::vector<FormField> fields) : fields_(std::move(fields)) {}

  // The first value sent under `name`, or nullptr.
  const std::string* find(std::string_view name) const;
  // Every value sent under `name`, in body order.
  std::vector<std::string_view> all(std::string_view name) const;
  bool contains(std::string_view name) const { return find(name) != nullptr; }

  void add(std::string name, std::string value) { fields_.push_back({std::move(name), std::move(value)}); }
  const std::vector<FormField>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<FormField> fields_;
};

// Decodes `body` (the raw request body): pairs split on '&', name and value on the first '=',
// '+' as a space, %XX percent escapes. Empty pairs ("a=1&&b=2") are skipped; a pair without
// '=' has an empty value. Fails (Error::invalid, Japanese message) on a malformed escape, on
// names or values that are not UTF-8 after decoding, and when any limit is exceeded.
[[nodiscard]] Result<FormFields> parse_form_urlencoded(std::string_view body,
                                                       const FormLimits& limits = {});

// Decodes %XX escapes (and '+' as a space when `plus_as_space`). Returns nullopt on a '%' not
// followed by two hex digits. The result is bytes: callers check UTF-8 themselves.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);

}  // namespace kakehashi::web
