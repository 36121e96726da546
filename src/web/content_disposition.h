// Content-Disposition in both directions: building the download header so Japanese file names
// survive every browser (RFC 6266 + RFC 5987 filename*), and parsing the header of a
// multipart/form-data part (RFC 7578).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace kakehashi::web {

enum class DispositionType { kAttachment, kInline };

// The Content-Disposition header value for sending a file named `utf8_name`:
//   attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded UTF-8>
// The fallback keeps printable ASCII, turns every other character (and '"', '\\', '/', ';')
// into '_'; filename* percent-encodes every byte outside RFC 5987 attr-char. Control
// characters (CR, LF, NUL ...) are dropped from both and invalid UTF-8 bytes become U+FFFD, so
// no input can inject a header or break out of the quotes. An empty or all-dropped name becomes
// "download". Never fails.
std::string content_disposition(std::string_view utf8_name,
                                DispositionType type = DispositionType::kAttachment);

// Percent-encodes `utf8` as an RFC 5987 value-chars string (attr-char kept, the rest %XX).
std::string rfc5987_encode(std::string_view utf8);

// Decodes an RFC 5987 ext-value ("UTF-8'ja'%E6%97%A5.pdf", charset UTF-8 or ISO-8859-1, any
// case) into UTF-8. Returns nullopt when it is malformed, uses another charset, or is not UTF-8.
std::optional<std::string> decode_rfc5987(std::string_view ext_value);

// `text` as valid UTF-8 without control characters (C0, DEL, C1 are dropped; bytes that are not
// UTF-8 become U+FFFD). Safe to place in a header or a log line.
std::string printable_utf8(std::string_view text);

// A header value of the form `type; key=value; key="quoted value"` (Content-Type,
// Content-Disposition). Keys are lowercased; quoted strings are unquoted (\" and \\ escapes).
struct ParameterizedValue {
  struct Parameter {
    std::string key;
    std::string value;
  };
  std::string type;  // lowercased, trimmed
  std::vector<Parameter> parameters;
  // The value of the first parameter named `lowercase_key`, or nullptr.
  const std::string* find(std::string_view lowercase_key) const;
};

// Splits a parameterised header value. Returns nullopt when a parameter has no '=' or an empty
// key, a quoted string is not closed, text follows a closing quote, or a control character
// (other than HT) appears anywhere.
std::optional<ParameterizedValue> parse_parameterized_value(std::string_view value);

// A multipart/form-data part's Content-Disposition, parameters decoded to UTF-8.
struct FormDataDisposition {
  std::string name;
  // The client's file name: filename* when present and valid, else filename; nullopt when
  // neither was sent (a text field). Not sanitised: see sanitize_client_filename().
  std::optional<std::string> filename;
};

// Parses `form-data; name="field"; filename="a.pdf"; filename*=UTF-8''...`. Quoted strings
// accept the \" and \\ escapes; other backslashes are kept (old browsers sent Windows paths).
// Fails (Error::invalid, Japanese message) when the type is not form-data, the name is missing,
// a parameter is malformed or repeated, or a value is not UTF-8.
[[nodiscard]] Result<FormDataDisposition> parse_form_data_disposition(std::string_view value);

}  // namespace kakehashi::web
