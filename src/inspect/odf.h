// OpenDocument files (ODT, ODS, ODP: LibreOffice, 一太郎's ODF export), inspected and cleaned like
// OOXML (issue 23 item 3). Findings use the codes of their OOXML counterparts (meta.xml's
// creator is ooxml.core_properties, a hidden sheet xlsx.hidden_sheet, ...), so screens and the
// upload verdict treat both families alike.
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "inspect/cleaner.h"
#include "inspect/finding.h"
#include "inspect/package.h"
#include "inspect/pii.h"

namespace kakehashi::inspect {

// Whether the ZIP at `path` is an OpenDocument package (its `mimetype` entry or manifest says
// application/vnd.oasis.opendocument.*).
bool is_odf_package(const std::string& path);
// The same for an archive already open; nullopt when reading it hit the limits (then the
// archive must not be reused). Its inflated bytes are forgotten (ZipArchive::restart_count).
std::optional<bool> is_odf_package(ZipArchive& zip);

// Inspects the package at `path` into `report`. Never throws for a malformed file.
void inspect_odf(const std::string& path, const DenyList& deny_list, FileReport& report);
void inspect_odf(ZipArchive zip, const DenyList& deny_list, FileReport& report);

// Writes a cleaned copy (see docs/inspect.md, "The cleaner").
[[nodiscard]] Result<CleanReport> clean_odf(const std::string& in, const std::string& out,
                                            const CleanOptions& options);

}  // namespace kakehashi::inspect
