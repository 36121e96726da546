#include "inspect/upload.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "inspect/pdf.h"

namespace kakehashi::inspect {

namespace {

// For review, what keeps a file back: reviewers could not open it, or opening it is the attack.
bool blocks_review(const Finding& finding) {
  const std::string& code = finding.code;
  if (code == "file.unreadable") return finding.severity == Severity::kError;
  if (code == "pdf.encrypted") return finding.message.ends_with(kPasswordRequired);
  return code == "file.unsupported" || code == "file.zip_bomb" ||
         code == "file.decompression_bomb" || code == "file.resource_limit" ||
         code == "ooxml.xml_limit";
}

std::string join_labels(const std::vector<UploadFinding>& findings) {
  std::vector<std::string> labels;
  for (const auto& finding : findings) {
    if (finding.blocks && std::find(labels.begin(), labels.end(), finding.label) == labels.end())
      labels.push_back(finding.label);
  }
  std::string out;
  for (const auto& label : labels) {
    if (!out.empty()) out += "、";
    out += label;
  }
  return out;
}

}  // namespace

UploadVerdict upload_verdict(const FileReport& report, UploadPurpose purpose) {
  UploadVerdict verdict;
  verdict.type = report.type;
  verdict.stats = report.stats;
  int blocking = 0;
  for (const auto& finding : report.findings) {
    bool blocks = purpose == UploadPurpose::kReview ? blocks_review(finding)
                                                    : finding.severity == Severity::kError;
    blocking += blocks ? 1 : 0;
    verdict.findings.push_back(UploadFinding{finding.code, finding.severity,
                                             std::string(finding_label(finding.code)),
                                             finding.location, finding.message, blocks});
  }
  std::stable_partition(verdict.findings.begin(), verdict.findings.end(),
                        [](const UploadFinding& finding) { return finding.blocks; });
  verdict.ok = blocking == 0;
  if (purpose == UploadPurpose::kReview) {
    verdict.summary = verdict.ok ? "審査用に受け付けられます"
                                 : "審査用に受け付けられません: " + join_labels(verdict.findings);
  } else {
    verdict.summary = verdict.ok ? "公開できます"
                                 : fmt::format("公開できません（エラー {} 件: {}）", blocking,
                                               join_labels(verdict.findings));
  }
  return verdict;
}

Result<UploadVerdict> check_upload(const std::filesystem::path& path, UploadPurpose purpose,
                                   const IsolationLimits& limits) {
  auto report = inspect_file_isolated(path.string(), {}, limits);
  if (!report) return fail(report.error());
  return upload_verdict(*report, purpose);
}

}  // namespace kakehashi::inspect
