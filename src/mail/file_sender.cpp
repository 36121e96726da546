#include "mail/file_sender.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace kakehashi::mail {
namespace {

std::string random_suffix() {
  unsigned char raw[6];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("RAND_bytes failed");
  std::string out;
  for (unsigned char c : raw) out += fmt::format("{:02x}", c);
  return out;
}

std::string compact_utc(std::chrono::sys_seconds at) {
  auto day = std::chrono::floor<std::chrono::days>(at);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss time{at - day};
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

}  // namespace

FileSender::FileSender(std::filesystem::path folder, Identity from) : folder_(std::move(folder)), from_(std::move(from)) {}

std::string FileSender::describe() const { return fmt::format("ファイル {}", folder_.string()); }

Result<void> FileSender::send(const Message& message, std::chrono::sys_seconds now) {
  auto data = format_message(message, from_, now, make_message_id(from_.address));
  if (!data) return fail(data.error());
  std::error_code ec;
  if (!std::filesystem::is_directory(folder_, ec)) {
    std::filesystem::create_directories(folder_, ec);
    if (ec) return fail(Error::unavailable(fmt::format("メールの保存フォルダを作成できません: {}", folder_.string())));
    ::chmod(folder_.c_str(), 0700);
  }
  // Sorted by name, the files are in the order this process wrote them.
  static std::atomic<unsigned> sequence{0};
  std::string name = fmt::format("{}-{:06}-{}", compact_utc(now), sequence++ % 1000000, random_suffix());
  std::filesystem::path temporary = folder_ / ("." + name + ".tmp");
  std::filesystem::path final_path = folder_ / (name + ".eml");
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Error::unavailable(fmt::format("メールを保存できません: {}", temporary.string())));
  ::fchmod(fd, 0600);  // whatever the umask
  std::string_view rest = *data;
  bool ok = true;
  while (!rest.empty()) {
    ssize_t written = ::write(fd, rest.data(), rest.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      ok = false;
      break;
    }
    rest.remove_prefix(std::size_t(written));
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (ok) ok = ::rename(temporary.c_str(), final_path.c_str()) == 0;
  if (!ok) {
    ::unlink(temporary.c_str());
    return fail(Error::unavailable(fmt::format("メールを保存できません: {}", final_path.string())));
  }
  return {};
}

}  // namespace kakehashi::mail
