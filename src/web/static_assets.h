// Static files (our CSS and scripts, and the vendored npm assets) compiled into the binary and
// served with strong ETags and a one-year cache: their URLs carry the asset version.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kakehashi::web {

struct StaticAsset {
  std::string_view path;          // "/static/app.css"
  std::string_view content_type;  // "text/css; charset=utf-8"
  std::string_view content;
  std::string etag;               // "\"<first 32 hex digits of SHA-256>\""
};

const StaticAsset* find_static_asset(std::string_view path);
// A short hash of every asset together; pages append ?v=<version> to asset URLs.
const std::string& asset_version();

}  // namespace kakehashi::web
