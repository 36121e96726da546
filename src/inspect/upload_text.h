// Words for a refused upload and the media type of an accepted one, shared by every module that
// stores an inspected file (milestone evidence, meeting materials, …).
#pragma once

#include <string>
#include <string_view>

#include "inspect/upload.h"

namespace kakehashi::inspect {

// 「非表示の行（Sheet1）、電話番号」: the findings that keep the file back, or the verdict's
// summary when none is marked as blocking.
inline std::string blocking_findings_text(const UploadVerdict& verdict) {
  std::string listed;
  for (const auto& f : verdict.findings) {
    if (!f.blocks) continue;
    if (!listed.empty()) listed += "、";
    listed += f.label;
    if (!f.location.empty()) listed += "（" + f.location + "）";
  }
  return listed.empty() ? verdict.summary : listed;
}

// The Content-Type to serve an inspected file of this type with.
inline std::string_view media_type(FileType type) {
  std::string_view name = file_type_name(type);
  if (name == "pdf") return "application/pdf";
  if (name == "csv") return "text/csv; charset=utf-8";
  if (name == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (name == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (name == "pptx") return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  return "application/octet-stream";
}

}  // namespace kakehashi::inspect
