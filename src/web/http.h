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
#include "auth/sessions.h"

namespace kakehashi::web {

namespace http = boost::beast::http;

// One uploaded file, already in quarantine on disk (server-chosen name).
struct UploadedFile {
  std::string field;
  std::filesystem::path stored_path;
  std::string original_name;  // metadata only, never used as a path
  std::string sniffed_type;   // from the content (libmagic)
  std::uint64_t size = 0;
  std::string sha256_hex;
};

struct Request {
  http::verb method = http::verb::get;
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path without query
  std::string query;   // raw query string without '?'
  http::fields headers;
  std::string body;  // for form and JSON bodies (bounded by the route's limit)
  std::vector<std::pair<std::string, std::string>> form;  // parsed form fields (urlencoded or multipart)
  std::vector<UploadedFile> files;
  std::map<std::string, std::string> params;  // path parameters of the matched route
  std::string remote_address;
  bool secure = false;  // TLS here or at the proxy
  std::string request_id;

  // Set by the middleware.
  std::optional<auth::Session> session;
  std::optional<auth::Principal> principal;

  // The first value of a form field, or empty.
  std::string field(std::string_view name) const;
  // The first value of a query parameter (percent-decoded), or empty.
  std::string query_param(std::string_view name) const;
  std::string header(http::field name) const;
  bool is_htmx() const { return headers.find("HX-Request") != headers.end(); }
  bool is_api() const { return path.starts_with("/api/"); }
};

struct Response {
  http::status status = http::status::ok;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::filesystem::path> file;  // streamed from disk instead of body
  bool cacheable = false;  // static assets; everything else is no-store

  static Response html(std::string body, http::status status = http::status::ok);
  static Response json(std::string body, http::status status = http::status::ok);
  static Response redirect(const std::string& location, http::status status = http::status::see_other);
  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Percent-decodes a URL component; '+' becomes a space when `plus_is_space`. Returns nullopt for
// malformed escapes.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
// Escapes text for HTML (for the few places not rendered by Mustache).
std::string html_escape(std::string_view text);

}  // namespace kakehashi::web
