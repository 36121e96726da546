#include "inspect/isolate.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <new>
#include <vector>

extern char** environ;

namespace kakehashi::inspect {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

std::uint64_t current_address_space() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  unsigned long pages = 0;
  if (std::fscanf(statm, "%lu", &pages) != 1) pages = 0;
  std::fclose(statm);
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

bool write_all(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
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

// Owns what posix_spawn needs and closes the descriptors it was given.
class SpawnSetup {
 public:
  SpawnSetup() {
    ::posix_spawn_file_actions_init(&actions_);
    ::posix_spawnattr_init(&attributes_);
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions_);
    ::posix_spawnattr_destroy(&attributes_);
    for (int fd : owned_) ::close(fd);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  void own(int fd) { owned_.push_back(fd); }
  posix_spawn_file_actions_t* actions() { return &actions_; }
  posix_spawnattr_t* attributes() { return &attributes_; }
  void close_owned() {
    for (int fd : owned_) ::close(fd);
    owned_.clear();
  }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
  std::vector<int> owned_;
};

// The deny list as the child's standard input: a memory file, so nothing is written through a
// pipe the child might never read. -1 when it cannot be made.
int deny_list_file(const DenyList& deny_list) {
  int fd = ::memfd_create("kakehashi-deny-list", MFD_CLOEXEC);
  if (fd < 0) return -1;
  std::string text;
  for (const auto& name : deny_list.normalized_names()) text += name + "\n";
  if (!write_all(fd, text) || ::lseek(fd, 0, SEEK_SET) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void kill_and_reap(pid_t child, int& status) {
  ::kill(child, SIGKILL);
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
}

std::mutex& program_mutex() {
  static std::mutex mutex;
  return mutex;
}

// Unset until the kakehashi binary declares itself (allow_self_as_inspection_child) or a
// program is named: a test binary that reaches an inspection without naming the built
// kakehashi would otherwise start itself again, and its children would too.
std::string& default_program() {
  static std::string program;
  return program;
}

bool& self_is_kakehashi() {
  static bool declared = false;
  return declared;
}

// The file a path names, through symbolic links (/proc/self/exe included); empty when it
// cannot be resolved.
std::string resolved(const std::string& path) {
  std::error_code ec;
  auto canonical = std::filesystem::canonical(path, ec);
  return ec ? std::string() : canonical.string();
}

Result<std::string> inspection_program(const IsolationLimits& limits) {
  std::string program;
  bool declared = false;
  {
    std::lock_guard lock(program_mutex());
    program = limits.program.empty() ? default_program() : limits.program;
    declared = self_is_kakehashi();
  }
  if (program.empty()) {
    return fail(Error::unavailable(
        "検査用のプログラムが設定されていません（set_inspection_program で kakehashi を指定してください）"));
  }
  // Only the kakehashi binary has the inspect-child command: any other program started on
  // itself (a test binary) would run all over again instead of inspecting.
  if (!declared) {
    std::string self = resolved("/proc/self/exe");
    if (program == "/proc/self/exe" || (!self.empty() && resolved(program) == self)) {
      return fail(Error::unavailable(
          "検査用のプログラムにこのプログラム自身は使えません（kakehashi を指定してください）"));
    }
  }
  return program;
}

}  // namespace

void set_inspection_program(std::string program) {
  std::lock_guard lock(program_mutex());
  default_program() = std::move(program);
}

void allow_self_as_inspection_child() {
  std::lock_guard lock(program_mutex());
  self_is_kakehashi() = true;
  if (default_program().empty()) default_program() = "/proc/self/exe";
}

void apply_inspection_limits(std::uint64_t memory_bytes, unsigned cpu_seconds) {
  rlimit core{0, 0};
  ::setrlimit(RLIMIT_CORE, &core);
  rlimit cpu{cpu_seconds, cpu_seconds + 1};
  ::setrlimit(RLIMIT_CPU, &cpu);
  if (!kAddressSanitizer) {
    rlim_t memory = static_cast<rlim_t>(current_address_space() + memory_bytes);
    rlimit address_space{memory, memory};
    ::setrlimit(RLIMIT_AS, &address_space);
  }
}

int run_inspection_child(const std::string& path, const InspectOptions& options, std::FILE* out) {
  try {
    auto report = inspect_file(path, options);
    std::string text = report ? file_report_to_json(*report)
                              : boost::json::serialize(boost::json::object{{"error", report.error().message}});
    text.push_back('\n');
    if (std::fwrite(text.data(), 1, text.size(), out) != text.size() || std::fflush(out) != 0) return kChildFailed;
    return report ? kChildReport : kChildUnreadable;
  } catch (const std::bad_alloc&) {
    return kChildOutOfMemory;
  } catch (...) {
    return kChildFailed;
  }
}

Result<FileReport> inspect_file_isolated(const std::string& path, const InspectOptions& options,
                                         const IsolationLimits& limits) {
  auto program = inspection_program(limits);
  if (!program) return fail(program.error());
  SpawnSetup setup;
  int output[2];
  if (::pipe2(output, O_CLOEXEC) != 0) return fail(Error::unavailable("検査用のパイプを作れません"));
  int read_end = output[0];
  setup.own(output[1]);
  // The child's standard output is the pipe; standard error stays the server's (its log).
  ::posix_spawn_file_actions_adddup2(setup.actions(), output[1], STDOUT_FILENO);
  std::vector<std::string> arguments = {"kakehashi",     "inspect-child",
                                        "--memory-mb",   std::to_string((limits.memory_bytes + (1u << 20) - 1) >> 20),
                                        "--cpu-seconds", std::to_string(limits.cpu_seconds)};
  if (!options.deny_list.empty()) {
    int names = deny_list_file(options.deny_list);
    if (names < 0) {
      ::close(read_end);
      return fail(Error::unavailable("検査用の名前の一覧を渡せません"));
    }
    setup.own(names);
    ::posix_spawn_file_actions_adddup2(setup.actions(), names, STDIN_FILENO);
    arguments.insert(arguments.end(), {"--deny-list", "/dev/stdin"});
  } else {
    ::posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  // Nothing of the server (sockets, database files) reaches the child.
  ::posix_spawn_file_actions_addclosefrom_np(setup.actions(), STDERR_FILENO + 1);
  arguments.insert(arguments.end(), {"--", path});
  // Signals the server handles or ignores are the default again in the child; none is blocked.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int signal : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGXCPU, SIGCHLD}) sigaddset(&defaults, signal);
  ::posix_spawnattr_setsigmask(setup.attributes(), &none);
  ::posix_spawnattr_setsigdefault(setup.attributes(), &defaults);
  ::posix_spawnattr_setflags(setup.attributes(), POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  int spawned = ::posix_spawn(&child, program->c_str(), setup.actions(), setup.attributes(), argv.data(), environ);
  setup.close_owned();  // the write end now belongs to the child alone: EOF when it exits
  if (spawned != 0) {
    ::close(read_end);
    return fail(Error::unavailable(fmt::format("検査用のプロセスを起動できません（{}）", std::strerror(spawned))));
  }

  std::string output_text;
  bool timed_out = false;
  bool broken = false;  // poll or read failed: the child is killed, its report is lost
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.wall_seconds);
  char buffer[65536];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd poll_fd{read_end, POLLIN, 0};
    int ready = ::poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      broken = true;
      break;
    }
    if (ready == 0) continue;  // the deadline is checked at the top
    ssize_t n = ::read(read_end, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      broken = true;
      break;
    }
    if (n == 0) break;
    output_text.append(buffer, static_cast<size_t>(n));
  }
  ::close(read_end);
  int status = 0;
  if (timed_out || broken) {
    kill_and_reap(child, status);
  } else {
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (timed_out) return limit_report(path, fmt::format("時間 {} 秒", limits.wall_seconds));
  if (broken) return limit_report(path, "検査プロセスの出力を読めません");
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
  if (code == kChildUnreadable) {
    boost::system::error_code ec;
    auto parsed = boost::json::parse(output_text, ec);
    if (!ec && parsed.is_object() && parsed.as_object().contains("error") && parsed.at("error").is_string()) {
      return fail(Error::unavailable(std::string(parsed.at("error").as_string())));
    }
    return limit_report(path, "検査プロセスの出力が壊れています");
  }
  if (code != kChildReport || output_text.empty()) return limit_report(path, "検査プロセスが異常終了しました");
  auto report = file_report_from_json(output_text);
  if (!report) return limit_report(path, "検査プロセスの出力が壊れています");
  return report;
}

}  // namespace kakehashi::inspect
