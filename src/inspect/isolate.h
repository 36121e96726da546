// Inspection in a child process with memory and CPU limits, for files uploaded to `serve`: a
// hostile file can exhaust only the child, never the server.
//
// The child is a fresh process, not a fork of the (multi-threaded) server: the parent starts
// `kakehashi inspect-child` with posix_spawn, the child sets its own limits before it reads a
// byte of the file and prints its report as JSON on standard output.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "base/result.h"
#include "inspect/finding.h"
#include "inspect/inspector.h"

namespace kakehashi::inspect {

struct IsolationLimits {
  // Address space the child may add to what it already maps when it starts (RLIMIT_AS).
  // Not applied in AddressSanitizer builds, whose shadow memory needs terabytes of address space.
  std::uint64_t memory_bytes = 1ull << 30;
  // CPU time of the child (RLIMIT_CPU); SIGXCPU ends it past this.
  unsigned cpu_seconds = 30;
  // Wall-clock time the parent waits before killing the child (a file that blocks, a child
  // that sleeps).
  unsigned wall_seconds = 60;
  // The kakehashi binary whose hidden `inspect-child` command inspects. Empty: the program set
  // with set_inspection_program, or this very program (/proc/self/exe) when it is kakehashi
  // and said so (allow_self_as_inspection_child). Unit tests, which run in a test binary, name
  // the built kakehashi (the KAKEHASHI_BIN environment variable).
  std::string program;
};

// Starts the child on `path` under `limits` and returns its report. When the child breaks a
// limit or dies, the report holds one file.resource_limit finding (severity error) that says
// which limit; the caller never crashes. A child past the wall-clock limit is killed, and the
// child is always reaped before this returns. Fails only when the file cannot be read at all,
// like inspect_file, or when no child can be started (Error::unavailable).
// Safe to call from any thread of a multi-threaded server.
// The program started for an inspection when IsolationLimits::program is empty. Unset by
// default: the kakehashi binary's main calls allow_self_as_inspection_child (the program is then
// /proc/self/exe); a test binary that runs screens or services in process (and so reaches
// inspect_file_isolated or check_upload without naming a program) sets the built kakehashi here
// once, before any request. An empty string unsets it again.
// Without a program, or when the program is this very process's executable and it is not
// kakehashi (a test binary would run all its tests again in every child, and so on), the
// inspection fails with Error::unavailable and nothing is started.
void set_inspection_program(std::string program);
void allow_self_as_inspection_child();

[[nodiscard]] Result<FileReport> inspect_file_isolated(const std::string& path,
                                                       const InspectOptions& options,
                                                       const IsolationLimits& limits = {});

// The child's side, run by `kakehashi inspect-child`. First apply_inspection_limits: RLIMIT_CORE
// 0, RLIMIT_CPU `cpu_seconds`, RLIMIT_AS what is mapped now plus `memory_bytes`. Then
// run_inspection_child inspects `path` and writes to `out` either the report
// (file_report_to_json) or {"error":"…"} when the file cannot be read, and returns the exit
// status the parent understands.
inline constexpr int kChildReport = 0;
inline constexpr int kChildUnreadable = 2;
inline constexpr int kChildOutOfMemory = 10;
inline constexpr int kChildFailed = 11;
void apply_inspection_limits(std::uint64_t memory_bytes, unsigned cpu_seconds);
int run_inspection_child(const std::string& path, const InspectOptions& options, std::FILE* out);

}  // namespace kakehashi::inspect
