#include "docs/zip.h"

#include <fmt/format.h>
#include <zip.h>

#include <ctime>

namespace kakehashi::docs {

namespace {
constexpr time_t kZipTime = 946684800;  // 2000-01-01T00:00:00Z

bool compressed_already(const std::string& name) {
  return name.ends_with(".png") || name.ends_with(".jpg") || name.ends_with(".jpeg");
}
}  // namespace

Result<std::string> zip_in_memory(const std::vector<std::pair<std::string, std::string>>& entries,
                                  std::string_view what) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* zip = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : nullptr;
  zip_error_fini(&error);
  if (!zip) {
    if (buffer) zip_source_free(buffer);
    return fail(Error::internal(fmt::format("{} の書き出しを始められません", what)));
  }
  zip_source_keep(buffer);
  for (const auto& [name, data] : entries) {
    zip_source_t* s = zip_source_buffer(zip, data.data(), data.size(), 0);
    zip_int64_t index = s ? zip_file_add(zip, name.c_str(), s, ZIP_FL_ENC_UTF_8) : -1;
    if (index < 0) {
      if (s) zip_source_free(s);
      zip_discard(zip);
      zip_source_free(buffer);
      return fail(Error::internal(fmt::format("{} に {} を追加できません", what, name)));
    }
    auto at = static_cast<zip_uint64_t>(index);
    zip_file_set_mtime(zip, at, kZipTime, 0);
    bool store = compressed_already(name);
    zip_set_file_compression(zip, at, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, store ? 0 : 6);
  }
  if (zip_close(zip) != 0) {
    zip_discard(zip);
    zip_source_free(buffer);
    return fail(Error::internal(fmt::format("{} を閉じられません", what)));
  }
  std::string out;
  if (zip_source_open(buffer) == 0) {
    char chunk[65536];
    zip_int64_t n;
    while ((n = zip_source_read(buffer, chunk, sizeof chunk)) > 0) out.append(chunk, static_cast<std::size_t>(n));
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  return out;
}

}  // namespace kakehashi::docs
