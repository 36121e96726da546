// Inspection in a child process with memory and CPU limits, for files uploaded to `serve`: a
// hostile file can exhaust only the child, never the server.
#pragma once

#include <cstdint>
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
  // Wall-clock time the parent waits before killing the child (a lock inherited through fork,
  // or a file that blocks).
  unsigned wall_seconds = 60;
};

// Forks, inspects `path` in the child under `limits` and returns the child's report, sent
// back as JSON over a pipe. When the child breaks a limit or dies, the report holds one
// file.resource_limit finding (severity error) that says which limit; the caller never
// crashes. Fails only when the file cannot be read at all, like inspect_file.
// Safe to call from a multi-threaded server: the child only inspects and _exit()s.
[[nodiscard]] Result<FileReport> inspect_file_isolated(const std::string& path,
                                                       const InspectOptions& options,
                                                       const IsolationLimits& limits = {});

}  // namespace kakehashi::inspect
