// The publication-safety inspector: one entry point per file, folder walking, and the
// isolated variant the server uses for uploads.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "inspect/finding.h"
#include "inspect/pii.h"

namespace kakehashi::inspect {

struct InspectOptions {
  DenyList deny_list;  // names reported as pii.deny_list
};

// Guesses the type from the first bytes (%PDF, a ZIP) and the extension (.csv). OOXML files
// are told apart later, from their main part's content type.
FileType sniff_type(const std::string& path);

// Inspects one file. Reads it, never writes it. Fails only when the file cannot be read at
// all (missing, permission denied, not a regular file); every problem inside the file is a
// finding (file.unreadable, file.zip_bomb ...).
[[nodiscard]] Result<FileReport> inspect_file(const std::string& path,
                                              const InspectOptions& options);

// Expands files and folders (recursively, sorted, every regular file: types the inspector
// cannot read become file.unsupported). Fails naming a missing path.
[[nodiscard]] Result<std::vector<std::string>> collect_paths(const std::vector<std::string>& paths);

// For a process that does nothing but inspect (`kakehashi inspect`, `inspect-child`): the
// allocator keeps freed memory for the next file instead of giving it back to the kernel and
// faulting it in again (a fifth of an XLSX or ODS folder's CPU time went to page faults,
// issue 23 item 8), and buffers up to 32 MiB come from the heap rather than a fresh mapping.
void tune_allocator_for_inspection();

// Whether the CLI exits 1: any finding with severity error.
bool any_error(const std::vector<FileReport>& reports);

}  // namespace kakehashi::inspect
