// Inspection of OOXML packages (XLSX, DOCX, PPTX and their macro and template variants).
#pragma once

#include "inspect/finding.h"
#include "inspect/package.h"
#include "inspect/pii.h"

namespace kakehashi::inspect {

// Inspects the package at `path` into `report` (type, stats.pages and stats.chars, findings).
// Never throws for a malformed file: it becomes file.unreadable or file.zip_bomb.
void inspect_ooxml(const std::string& path, const DenyList& deny_list, FileReport& report);
// The same for an archive already open, its bytes not yet counted (one open a file).
void inspect_ooxml(ZipArchive zip, const DenyList& deny_list, FileReport& report);

// The OOXML relationship kinds the cleaner removes and the inspector reports, by family.
bool is_comment_kind(std::string_view kind);
bool is_macro_kind(std::string_view kind);
bool is_embedded_kind(std::string_view kind);

}  // namespace kakehashi::inspect
