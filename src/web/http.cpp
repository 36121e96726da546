#include "web/http.h"

namespace kakehashi::web {

http::status http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return http::status::unprocessable_entity;
    case ErrorCode::kNotFound: return http::status::not_found;
    case ErrorCode::kPermissionDenied: return http::status::forbidden;
    case ErrorCode::kConflict: return http::status::conflict;
    case ErrorCode::kRateLimited: return http::status::too_many_requests;
    case ErrorCode::kUnavailable: return http::status::service_unavailable;
    case ErrorCode::kInternal: return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::string Request::field(std::string_view name) const {
  const std::string* value = form.find(name);
  return value ? *value : std::string{};
}

std::string Request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    size_t eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    if (key && *key == name) {
      if (eq == std::string_view::npos) return {};
      return percent_decode(pair.substr(eq + 1), true).value_or("");
    }
  }
  return {};
}

std::string Request::header(http::field name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string{} : std::string(it->value());
}

Response Response::html(std::string body, http::status status) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response Response::json(std::string body, http::status status) {
  Response response;
  response.status = status;
  response.content_type = "application/json; charset=utf-8";
  response.body = std::move(body);
  return response;
}

Response Response::redirect(const std::string& location, http::status status) {
  Response response;
  response.status = status;
  response.headers.emplace_back("Location", location);
  return response;
}

}  // namespace kakehashi::web
