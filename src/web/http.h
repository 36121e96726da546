// The request and response as handlers see them, independent of Boost.Beast's types.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/roles.h"
#include "base/result.h"
#include "auth/sessions.h"
#include "web/form_urlencoded.h"
#include "web/multipart.h"

namespace kakehashi::web {

namespace http = boost::beast::http;

struct Request {
  http::verb method = http::verb::get;
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path without query
  std::string query;   // raw query string without '?'
  http::fields headers;
  std::string body;  // for form and JSON bodies (bounded by the route's limit)
  FormFields form;                     // parsed form fields (urlencoded or multipart)
  std::vector<QuarantinedFile> files;  // uploaded files, in quarantine; the handler moves or deletes them
  std::map<std::string, std::string> params;  // path parameters of the matched route
  std::string remote_address;
  bool secure = false;  // TLS here or at the proxy
  std::string request_id;

  // Set by the middleware.
  std::optional<auth::Session> session;
  std::optional<auth::Principal> principal;
  // The principal came from an `Authorization: Bearer` API token, not the session cookie: no
  // ambient authority a foreign page could borrow, so the CSRF token is not asked for.
  bool bearer = false;
  // A visitor's notice from the previous response (no session row to hold a flash): set by the
  // server in an HttpOnly cookie, never from the URL.
  std::optional<auth::Flash> cookie_notice;

  // The first value of a form field, or empty.
  std::string field(std::string_view name) const;
  // The first value of a query parameter (percent-decoded), or empty.
  std::string query_param(std::string_view name) const;
  std::string header(http::field name) const;
  bool is_api() const { return path.starts_with("/api/"); }
};

struct Response {
  http::status status = http::status::ok;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::filesystem::path> file;  // streamed from disk instead of body
  bool delete_file_after = false;             // a temporary export: removed once sent
  bool cacheable = false;  // static assets; everything else is no-store

  static Response html(std::string body, http::status status = http::status::ok);
  static Response json(std::string body, http::status status = http::status::ok);
  static Response redirect(const std::string& location, http::status status = http::status::see_other);
  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Percent-encodes everything but unreserved characters (RFC 3986), for query values.
std::string url_encode(std::string_view text);

// The one table from a service's error code to the HTTP status its caller sees: 422 for input
// or a business rule refused, 404 (also what a screen answers for an object the caller may not
// see), 403, 409, 429, 503 and 500. Every screen and the API answer through it.
http::status http_status(ErrorCode code);

}  // namespace kakehashi::web
