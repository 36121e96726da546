#include "inspect/isolate.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <new>

namespace kakehashi::inspect {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

// Exit statuses of the child beyond 0 (report written).
constexpr int kChildOutOfMemory = 3;
constexpr int kChildFailed = 4;

std::uint64_t current_address_space() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  unsigned long pages = 0;
  if (std::fscanf(statm, "%lu", &pages) != 1) pages = 0;
  std::fclose(statm);
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

void write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void run_child(int fd, const std::string& path, const InspectOptions& options,
                            const IsolationLimits& limits) {
  rlimit core{0, 0};
  ::setrlimit(RLIMIT_CORE, &core);
  rlimit cpu{limits.cpu_seconds, limits.cpu_seconds + 1};
  ::setrlimit(RLIMIT_CPU, &cpu);
  if (!kAddressSanitizer) {
    rlim_t memory = static_cast<rlim_t>(current_address_space() + limits.memory_bytes);
    rlimit address_space{memory, memory};
    ::setrlimit(RLIMIT_AS, &address_space);
  }
  int status = 0;
  try {
    auto report = inspect_file(path, options);
    if (report) {
      write_all(fd, "R" + file_report_to_json(*report));
    } else {
      write_all(fd, "E" + report.error().message);
    }
  } catch (const std::bad_alloc&) {
    status = kChildOutOfMemory;
  } catch (...) {
    status = kChildFailed;
  }
  ::close(fd);
  ::_exit(status);
}

FileReport limit_report(const std::string& path, std::string_view reason) {
  FileReport report;
  report.path = path;
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0)
    report.stats.bytes = static_cast<std::uint64_t>(info.st_size);
  FileType type = sniff_type(path);
  report.type = type == FileType::kXlsx ? FileType::kUnknown : type;
  report.findings.push_back(make_finding("file.resource_limit", "", reason));
  return report;
}

}  // namespace

Result<FileReport> inspect_file_isolated(const std::string& path, const InspectOptions& options,
                                         const IsolationLimits& limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fail(Error::unavailable("検査用のパイプを作れません"));
  std::fflush(nullptr);
  pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return fail(Error::unavailable("検査用のプロセスを起動できません"));
  }
  if (child == 0) {
    ::close(fds[0]);
    run_child(fds[1], path, options, limits);
  }
  ::close(fds[1]);
  std::string output;
  bool timed_out = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.wall_seconds);
  char buffer[65536];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd poll_fd{fds[0], POLLIN, 0};
    int ready = ::poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = ready == 0;
      if (ready == 0) continue;
      break;
    }
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return limit_report(path, fmt::format("時間 {} 秒", limits.wall_seconds));
  if (WIFSIGNALED(status)) {
    int signal = WTERMSIG(status);
    if (signal == SIGXCPU || signal == SIGKILL)
      return limit_report(path, fmt::format("CPU 時間 {} 秒", limits.cpu_seconds));
    return limit_report(path, fmt::format("検査プロセスが異常終了しました（シグナル {}）", signal));
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : kChildFailed;
  if (code == kChildOutOfMemory) {
    return limit_report(path, fmt::format("メモリ {} MiB", limits.memory_bytes / (1024 * 1024)));
  }
  if (code != 0 || output.empty()) return limit_report(path, "検査プロセスが異常終了しました");
  if (output[0] == 'E') return fail(Error::unavailable(output.substr(1)));
  auto report = file_report_from_json(std::string_view(output).substr(1));
  if (!report) return limit_report(path, "検査プロセスの出力が壊れています");
  return report;
}

}  // namespace kakehashi::inspect
