// The inspector's verdict on an upload, for the web (issue 13 item 7: every upload is inspected
// before anyone else can download it). One call gives whether the file may be handed on and
// what was found, with plain-Japanese labels for the screens.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "inspect/finding.h"
#include "inspect/isolate.h"

namespace kakehashi::inspect {

// Who opens the file next decides what keeps it back.
enum class UploadPurpose {
  // An applicant's document for reviewers and the secretariat. Reviewers get a disarmed copy
  // (disarm_file), so scripts, macros and attachments do not keep it back, nor does personal
  // data (an application carries the applicant's own). Kept back: a file that cannot be read,
  // is of a type not accepted, needs a password, or is a bomb or too big to inspect.
  kReview,
  // A file to be published (R6.8): every finding of severity error keeps it back.
  kPublication,
};

struct UploadFinding {
  std::string code;  // stable, for logs and tests: "pdf.javascript"
  Severity severity;
  std::string label;  // plain Japanese for screens: 「JavaScript（自動で動くプログラム）」
  std::string location;
  std::string message;
  bool blocks = false;  // this finding alone keeps the file back for the purpose
};

struct UploadVerdict {
  bool ok = false;  // may be stored and handed on (for review: as a disarmed copy)
  FileType type = FileType::kUnknown;
  Stats stats;
  std::vector<UploadFinding> findings;  // every finding, blocking ones first, then as reported
  // One line for people: 「審査用に受け付けられます」, 「審査用に受け付けられません:
  // 圧縮爆弾の疑い（PDF 内のデータ）」, 「公開できます」, 「公開できません（エラー 2 件: 非表示の行、
  // 電話番号）」.
  std::string summary;
};

// The verdict on an inspected file.
UploadVerdict upload_verdict(const FileReport& report, UploadPurpose purpose);

// Inspects `path` in a child process under `limits` (a hostile upload can exhaust only the
// child) and gives the verdict. Fails only when the file cannot be read at all.
[[nodiscard]] Result<UploadVerdict> check_upload(const std::filesystem::path& path,
                                                 UploadPurpose purpose,
                                                 const IsolationLimits& limits = {});

}  // namespace kakehashi::inspect
