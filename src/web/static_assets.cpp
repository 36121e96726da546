#include "web/static_assets.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <vector>

namespace kakehashi::web {
namespace generated {
struct EmbeddedFile {
  std::string_view path;
  std::string_view content_type;
  const char* begin;
  const char* end;
};
extern const EmbeddedFile kStaticFiles[];
extern const std::size_t kStaticFileCount;
}  // namespace generated

namespace {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

const std::vector<StaticAsset>& assets() {
  static const std::vector<StaticAsset> table = [] {
    std::vector<StaticAsset> out;
    for (std::size_t i = 0; i < generated::kStaticFileCount; ++i) {
      const auto& file = generated::kStaticFiles[i];
      std::string_view content(file.begin, std::size_t(file.end - file.begin));
      out.push_back({file.path, file.content_type, content, "\"" + sha256_hex(content).substr(0, 32) + "\""});
    }
    return out;
  }();
  return table;
}

}  // namespace

const StaticAsset* find_static_asset(std::string_view path) {
  for (const auto& asset : assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

const std::string& asset_version() {
  static const std::string version = [] {
    std::string all;
    for (const auto& asset : assets()) all += asset.etag;
    return sha256_hex(all).substr(0, 12);
  }();
  return version;
}

}  // namespace kakehashi::web
