// Inspection of PDF files with qpdf (structure) and poppler (text layer).
#pragma once

#include "inspect/finding.h"
#include "inspect/pii.h"

namespace kakehashi::inspect {

// The detail of pdf.encrypted when the file cannot be opened without a password (as opposed to
// an owner password that only restricts printing or copying).
inline constexpr std::string_view kPasswordRequired = "（開くにはパスワードが必要です）";

// Inspects the PDF at `path` into `report`. Never throws for a malformed file: it becomes
// file.unreadable (or pdf.encrypted when a password is needed).
void inspect_pdf(const std::string& path, const DenyList& deny_list, FileReport& report);

}  // namespace kakehashi::inspect
