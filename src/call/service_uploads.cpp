// Inspection of applicants' uploads before anyone else can download them (R8.4, issue 13 item
// 7): the inspector's verdict for review decides whether the file is taken; a taken file is
// stored with a disarmed copy for reviewers.
#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <system_error>

#include "call/service.h"
#include "inspect/disarm.h"
#include "inspect/upload.h"

namespace kakehashi::call {

namespace {

Result<std::string> read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Removes the disarmed copy whatever happens.
struct RemovedAtEnd {
  std::filesystem::path path;
  ~RemovedAtEnd() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

}  // namespace

Result<InspectedAttachment> inspect_attachment(const std::filesystem::path& path, std::string file_name,
                                               std::string sha256, const inspect::IsolationLimits& limits) {
  std::error_code size_error;
  auto size = std::filesystem::file_size(path, size_error);
  if (size_error) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  if (size > std::uintmax_t(kAttachmentLimit))
    return fail(Error::invalid(fmt::format("添付ファイルは {} MB 以下にしてください", kAttachmentLimit / 1024 / 1024)));
  auto verdict = inspect::check_upload(path, inspect::UploadPurpose::kReview, limits);
  if (!verdict) return fail(Error::internal("ファイルの検査に失敗しました"));
  if (!verdict->ok) return fail(Error::invalid(verdict->summary));
  if (verdict->type != inspect::FileType::kPdf)
    return fail(Error::invalid("添付できるのは PDF ファイルのみです（ファイルの中身が PDF ではありません）"));
  InspectedAttachment out{std::move(file_name), std::move(sha256), {}, {}, {}, {}};
  for (const auto& finding : verdict->findings) ++out.findings[finding.code];
  RemovedAtEnd copy{std::filesystem::path(path.string() + ".disarmed.pdf")};
  auto disarmed = inspect::disarm_file(path, copy.path);
  if (!disarmed)
    return fail(Error::invalid(fmt::format("審査用に受け付けられません: PDF を安全な形に変換できませんでした（{}）",
                                           disarmed.error().message)));
  for (const auto& removed : disarmed->removed) out.removed[removed.kind] = removed.count;
  auto original = read_all(path);
  if (!original) return fail(original.error());
  auto safe = read_all(copy.path);
  if (!safe) return fail(safe.error());
  out.original = std::move(*original);
  out.disarmed = std::move(*safe);
  return out;
}

}  // namespace kakehashi::call
